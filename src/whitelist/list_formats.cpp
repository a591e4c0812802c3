#include <fmt/format.h>

#include "util/error.h"
#include "whitelist/list_format.h"

namespace crowdfeed {

const std::vector<std::unique_ptr<ListFormat>>& list_formats() {
  static const std::vector<std::unique_ptr<ListFormat>> formats = [] {
    std::vector<std::unique_ptr<ListFormat>> all;
    all.push_back(make_misp_json_list());
    all.push_back(make_ranked_csv_list());
    all.push_back(make_hosts_list());
    all.push_back(make_plain_list());
    return all;
  }();
  return formats;
}

const ListFormat& list_format(std::string_view name, std::string_view content) {
  for (const auto& format : list_formats()) {
    if (name == "auto" ? format->detect(content) : format->name() == name) return *format;
  }
  throw UsageError(fmt::format("unknown whitelist format {:?}; use auto, plain, hosts, ranked-csv or misp-json", name));
}

void for_each_line(std::string_view content, const std::function<bool(std::string_view, std::size_t)>& on_line) {
  std::size_t number = 0;
  while (!content.empty()) {
    auto end = content.find('\n');
    std::string_view line = content.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!on_line(line, ++number)) return;
    if (end == std::string_view::npos) break;
    content.remove_prefix(end + 1);
  }
}

std::string_view first_content_line(std::string_view content, std::string_view comment_marks) {
  std::string_view found;
  for_each_line(content, [&](std::string_view line, std::size_t) {
    auto start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos || comment_marks.find(line[start]) != std::string_view::npos) return true;
    found = line.substr(start);
    return false;
  });
  return found;
}

}  // namespace crowdfeed
