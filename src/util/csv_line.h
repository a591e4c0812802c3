// Splits one CSV line into its fields, with RFC 4180 quoting, through libcsv.
// The files crowdfeed reads never carry a line break inside a field, so
// parsing line by line gives exact line numbers and keeps an unclosed quote
// from swallowing the rest of a file.
#pragma once

#include <csv.h>

#include <string>
#include <string_view>
#include <vector>

namespace crowdfeed {

class CsvLineParser {
 public:
  CsvLineParser();
  ~CsvLineParser();
  CsvLineParser(const CsvLineParser&) = delete;
  CsvLineParser& operator=(const CsvLineParser&) = delete;

  // Fills `fields` with the fields of `line` (without its line break).
  // Returns false and sets `error` when the line is not valid CSV.
  bool split(std::string_view line, std::vector<std::string>& fields, std::string& error);

 private:
  csv_parser parser_;
};

// `field` as one CSV field: quoted, with inner quotes doubled, when it holds
// a comma, a quote or a line break.
std::string csv_field(std::string_view field);

// `field`, text from outside (a report's name or id), as a CSV field a
// spreadsheet shows as text: one that begins with '=', '+', '-', '@', a tab
// or a carriage return, which Excel, LibreOffice and Google Sheets would
// run as a formula, gets a leading single quote and double quotes around
// it, as OWASP recommends against CSV injection.
std::string csv_text_field(std::string_view field);

}  // namespace crowdfeed
