// CSV for spreadsheets and SIEM lookups: '#' comment lines (as abuse.ch's
// CSV feeds have), then a header row and one row per indicator. The first
// column is named after what the feed holds: domain, ip or hash.
#include <fmt/format.h>

#include "feeds/formats.h"

namespace crowdfeed {
namespace {

class CsvFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "csv"; }

  std::string_view syntax() const override { return "CSV (RFC 4180) after # comment lines"; }
  std::string_view import_hint(Verdict /*verdict*/, IndicatorGroup /*group*/) const override {
    return "spreadsheets and SIEM lookup tables (skip lines starting with #)";
  }
  bool accepts(IndicatorGroup group) const override { return any_group(group); }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".csv";
  }

  void write(const FeedDocument& document, Output& out) const override {
    LineBuffer lines(out);
    write_comment_header(document, "#", lines);
    lines.format("{},verdict,malicious_votes,non_malicious_votes,first_vote_at,last_vote_at,confidence\n",
                 group_name(document.feed.group));
    const std::string_view verdict = verdict_name(document.feed.verdict);
    for (const FeedEntry& entry : document.feed.entries) {
      // Normalised indicators hold no comma or quote, so no field needs quoting.
      lines.format_compiled(FMT_COMPILE("{},{},{},{},"), entry.value, verdict, entry.malicious_votes,
                            entry.non_malicious_votes);
      if (entry.first_vote_at) lines.format_compiled(FMT_COMPILE("{}"), Iso8601{*entry.first_vote_at});
      lines.format_compiled(FMT_COMPILE(",{},{}\n"), Iso8601{entry.last_vote_at}, entry.confidence);
    }
    lines.flush();
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_csv_format() {
  return std::make_unique<CsvFormat>();
}

}  // namespace crowdfeed
