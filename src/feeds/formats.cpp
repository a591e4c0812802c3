#include "feeds/formats.h"

#include <fmt/format.h>

#include <algorithm>

#include "feeds/settings.h"
#include "util/error.h"
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
    all.push_back(make_misp_format());
    all.push_back(make_suricata_dataset_format());
    all.push_back(make_iprep_format());
    for (IndicatorType type : {IndicatorType::kMd5, IndicatorType::kSha1, IndicatorType::kSha256}) {
      all.push_back(make_filehash_format(type));
    }
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

std::vector<const FeedFormat*> formats_of(const FeedSettings& settings, const Feed& feed) {
  std::vector<FeedSpec> set = feed_set(settings);
  auto spec = std::find_if(set.begin(), set.end(), [&](const FeedSpec& each) { return each.name == feed.name; });
  if (spec == set.end() || spec->group != feed.group) {
    throw Error(fmt::format("the feed {:?} is not in the configured feed set", feed.name));
  }
  for (const auto& name : spec->formats) {
    const FeedFormat* format = find_feed_format(name);
    if (format == nullptr || !format->accepts(feed.group)) {
      throw UsageError(fmt::format("feed {:?}: the format {:?} is unknown or cannot hold {} indicators", feed.name,
                                   name, group_name(feed.group)));
    }
  }
  std::vector<const FeedFormat*> formats;
  for (const auto& format : feed_formats()) {
    if (std::find(spec->formats.begin(), spec->formats.end(), format->name()) != spec->formats.end() &&
        format->publishes(feed)) {
      formats.push_back(format.get());
    }
  }
  return formats;
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

void write_comment_header(const FeedDocument& document, std::string_view prefix, LineBuffer& lines) {
  for (const HeaderField& field : document.header) lines.format("{} {}: {}\n", prefix, field.name, field.value);
}

void write_comment_header(const FeedDocument& document, std::string_view prefix, Output& out) {
  LineBuffer lines(out);
  write_comment_header(document, prefix, lines);
  lines.flush();
}

}  // namespace crowdfeed
