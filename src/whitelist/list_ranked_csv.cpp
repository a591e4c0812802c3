// Ranked CSV lists: "rank,domain" without a header (Tranco, Cisco Umbrella
// top-1m), or with a header naming the columns, as the Majestic Million
// does ("GlobalRank,TldRank,Domain,TLD,...").
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include "util/csv_line.h"
#include "util/error.h"
#include "whitelist/list_format.h"

namespace crowdfeed {
namespace {

bool is_number(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::int64_t to_number(std::string_view text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

bool same_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

// "rank,domain" with a number first, or a header with a domain column.
bool is_header(std::string_view line) {
  return !is_number(line.substr(0, line.find(',')));
}

class RankedCsvList : public ListFormat {
 public:
  std::string_view name() const override { return "ranked-csv"; }

  bool detect(std::string_view content) const override {
    std::string_view line = first_content_line(content, "#");
    auto comma = line.find(',');
    if (comma == std::string_view::npos) return false;
    return is_number(line.substr(0, comma)) || same_name(line.substr(0, comma), "GlobalRank");
  }

  void parse(std::string_view content, const ListEntrySink& on_entry) const override {
    CsvLineParser parser;
    std::vector<std::string> fields;
    std::string error;
    std::size_t rank_column = 0, domain_column = 1;
    bool first = true;
    for_each_line(content, [&](std::string_view line, std::size_t number) {
      if (line.empty() || line.front() == '#') return true;
      if (!parser.split(line, fields, error)) throw Error(fmt::format("line {}: {}", number, error));
      if (first && is_header(line)) {
        first = false;
        find_columns(fields, number, rank_column, domain_column);
        return true;
      }
      first = false;
      if (fields.size() <= std::max(rank_column, domain_column)) {
        // Passed on as an entry without a domain: counted as invalid.
        return on_entry({std::string_view(), number, 0, std::nullopt});
      }
      return on_entry({fields[domain_column], number, to_number(fields[rank_column]), std::nullopt});
    });
  }

 private:
  static void find_columns(const std::vector<std::string>& header, std::size_t line, std::size_t& rank_column,
                           std::size_t& domain_column) {
    auto find = [&](std::initializer_list<std::string_view> names) {
      for (std::size_t i = 0; i < header.size(); ++i) {
        for (auto name : names) {
          if (same_name(header[i], name)) return i;
        }
      }
      throw Error(fmt::format("line {}: the header names no {} column", line, *names.begin()));
    };
    domain_column = find({"Domain", "host", "hostname"});
    rank_column = find({"GlobalRank", "rank"});
  }
};

}  // namespace

std::unique_ptr<ListFormat> make_ranked_csv_list() {
  return std::make_unique<RankedCsvList>();
}

}  // namespace crowdfeed
