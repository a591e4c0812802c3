// The family of whitelist list syntaxes: one parser per syntax behind this
// interface, each in its own list_*.cpp, all registered in list_formats.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "indicator/indicator.h"

namespace crowdfeed {

// One entry as it appears in the list, before normalisation.
struct ListEntry {
  std::string_view text;
  std::size_t line = 0;   // 1-based; 0 where the syntax has no lines
  std::int64_t rank = 0;  // from ranked lists; 0 when the list has none
  // What the list itself says the entry is (a MISP "cidr" list: IP ranges);
  // nullopt when it does not say.
  std::optional<IndicatorGroup> group;
};

// Receives the entries in list order; returns false to stop reading.
using ListEntrySink = std::function<bool(const ListEntry&)>;

class ListFormat {
 public:
  virtual ~ListFormat() = default;
  // The name used in the configuration: "plain", "hosts", "ranked-csv", "misp-json".
  virtual std::string_view name() const = 0;
  // Whether `content` looks like this syntax (used when the format is "auto").
  virtual bool detect(std::string_view content) const = 0;
  // Streams the entries of `content`; throws Error when the content is not
  // this syntax at all (a bad line is an entry that fails normalisation).
  virtual void parse(std::string_view content, const ListEntrySink& on_entry) const = 0;
};

// Every format, in the order auto-detection tries them (plain last: it
// accepts anything).
const std::vector<std::unique_ptr<ListFormat>>& list_formats();

// The format named `name`, or auto-detected from `content` for "auto";
// throws UsageError for an unknown name.
const ListFormat& list_format(std::string_view name, std::string_view content);

std::unique_ptr<ListFormat> make_misp_json_list();   // list_misp_json.cpp
std::unique_ptr<ListFormat> make_ranked_csv_list();  // list_ranked_csv.cpp
std::unique_ptr<ListFormat> make_hosts_list();       // list_hosts.cpp
std::unique_ptr<ListFormat> make_plain_list();       // list_plain.cpp

// Calls `on_line` with each line of `content` (without its line break) and
// its 1-based number, until it returns false. Shared by the line formats.
void for_each_line(std::string_view content, const std::function<bool(std::string_view, std::size_t)>& on_line);

// The first line that is neither blank nor a comment starting with one of
// `comment_marks`; empty when there is none.
std::string_view first_content_line(std::string_view content, std::string_view comment_marks);

}  // namespace crowdfeed
