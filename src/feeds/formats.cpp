#include "feeds/formats.h"

#include <fmt/format.h>

namespace crowdfeed {

const std::vector<std::unique_ptr<FeedFormat>>& feed_formats() {
  static const std::vector<std::unique_ptr<FeedFormat>> formats = [] {
    std::vector<std::unique_ptr<FeedFormat>> all;
    all.push_back(make_plain_format());
    all.push_back(make_hosts_format());
    all.push_back(make_adblock_format());
    all.push_back(make_rpz_format());
    all.push_back(make_unbound_format());
    all.push_back(make_dnsmasq_format());
    all.push_back(make_csv_format());
    all.push_back(make_json_format());
    all.push_back(make_zeek_format());
    all.push_back(make_ipset_format());
    all.push_back(make_nft_format());
    all.push_back(make_clamav_format());
    return all;
  }();
  return formats;
}

const FeedFormat* find_feed_format(std::string_view name) {
  for (const auto& format : feed_formats()) {
    if (format->name() == name) return format.get();
  }
  return nullptr;
}

std::string format_names() {
  std::string names;
  for (const auto& format : feed_formats()) names += (names.empty() ? "" : ", ") + std::string(format->name());
  return names;
}

void write_comment_header(const FeedDocument& document, std::string_view prefix, Output& out) {
  for (const HeaderField& field : document.header) {
    out.write(fmt::format("{} {}: {}\n", prefix, field.name, field.value));
  }
}

}  // namespace crowdfeed
