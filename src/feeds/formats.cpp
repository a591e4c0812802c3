#include "feeds/formats.h"

#include <fmt/format.h>

#include "util/text.h"

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
    all.push_back(make_stix_format());
    all.push_back(make_squid_format());
    all.push_back(make_mikrotik_format());
    all.push_back(make_checkpoint_format());
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

std::string unknown_format_hint(std::string_view name) {
  // What people type: the program that imports the file rather than the
  // file's format.
  static constexpr std::pair<std::string_view, std::string_view> kPrograms[] = {
      {"bind", "rpz"},       {"knot", "rpz"},        {"powerdns", "rpz"},      {"pihole", "hosts"},
      {"pi-hole", "hosts"},  {"adguard", "adblock"}, {"ublock", "adblock"},    {"nftables", "nft"},
      {"iptables", "ipset"}, {"clamd", "clamav"},    {"plain", "txt"},         {"text", "txt"},
      {"opencti", "stix"},   {"taxii", "stix"},      {"routeros", "mikrotik"}, {"check-point", "checkpoint"},
  };
  for (const auto& [program, format] : kPrograms) {
    if (name == program) return fmt::format("; {} reads the '{}' format", program, format);
  }
  std::vector<std::string> names;
  for (const auto& format : feed_formats()) names.emplace_back(format->name());
  return did_you_mean(name, names);
}

void write_comment_header(const FeedDocument& document, std::string_view prefix, Output& out) {
  for (const HeaderField& field : document.header) {
    out.write(fmt::format("{} {}: {}\n", prefix, field.name, field.value));
  }
}

}  // namespace crowdfeed
