#include "util/csv_line.h"

#include <algorithm>

#include "util/error.h"

namespace crowdfeed {
namespace {

constexpr unsigned char kOptions = CSV_STRICT | CSV_STRICT_FINI;

void on_field(void* text, std::size_t length, void* fields) {
  static_cast<std::vector<std::string>*>(fields)->emplace_back(static_cast<const char*>(text), length);
}

void on_record_end(int, void*) {}

}  // namespace

CsvLineParser::CsvLineParser() {
  if (csv_init(&parser_, kOptions) != 0) throw Error("cannot initialise the CSV parser");
}

CsvLineParser::~CsvLineParser() {
  csv_free(&parser_);
}

bool CsvLineParser::split(std::string_view line, std::vector<std::string>& fields, std::string& error) {
  fields.clear();
  // Most lines quote nothing: they split at their commas, each field
  // without the spaces and tabs around it, as libcsv splits them, at a
  // fraction of the cost. A line with a quote goes to libcsv.
  if (line.find('"') == std::string_view::npos) {
    if (line.empty()) return true;
    for (std::size_t start = 0;;) {
      std::size_t comma = std::min(line.find(',', start), line.size());
      std::string_view field = line.substr(start, comma - start);
      std::size_t first = field.find_first_not_of(" \t");
      field = first == std::string_view::npos ? std::string_view()
                                              : field.substr(first, field.find_last_not_of(" \t") - first + 1);
      fields.emplace_back(field);
      if (comma == line.size()) return true;
      start = comma + 1;
    }
  }
  bool parsed = csv_parse(&parser_, line.data(), line.size(), on_field, on_record_end, &fields) == line.size();
  if (parsed && csv_fini(&parser_, on_field, on_record_end, &fields) == 0) return true;
  error = parsed ? "malformed CSV: a quoted field is not closed on its line"
                 : "malformed CSV: a quote inside a field that is not quoted, or after a closing quote";
  // libcsv keeps its error state: start afresh for the next line.
  csv_free(&parser_);
  csv_init(&parser_, kOptions);
  return false;
}

std::string csv_field(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string csv_text_field(std::string_view field) {
  if (field.empty() || std::string_view("=+-@\t\r").find(field.front()) == std::string_view::npos) {
    return csv_field(field);
  }
  std::string quoted = "\"'";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace crowdfeed
