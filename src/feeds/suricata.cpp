#include "feeds/suricata.h"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "feeds/settings.h"
#include "util/error.h"
#include "util/gzip.h"

namespace crowdfeed {
namespace {

// The kinds of rule, the last digit of a sid.
enum RuleKind { kDatasetDestination = 1, kDatasetSource = 2, kReputation = 3, kMd5 = 4, kSha1 = 5, kSha256 = 6 };

std::size_t count_of(const Feed& feed, IndicatorType type) {
  return static_cast<std::size_t>(std::count_if(feed.entries.begin(), feed.entries.end(),
                                                [&](const FeedEntry& entry) { return entry.type == type; }));
}

}  // namespace

bool is_suricata_format(std::string_view format) {
  return format == "suricata" || format == "iprep" || format == "filemd5" || format == "filesha1" ||
         format == "filesha256";
}

std::string rule_text(std::string_view text) {
  // Suricata's rule parser takes ';', '"' and '\\' in a msg only escaped
  // with a backslash; nothing else of a one-line setting is special there.
  std::string escaped;
  for (char c : text) {
    if (c == ';' || c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

int suricata_category(const FeedSettings& settings, std::string_view feed) {
  std::vector<FeedSpec> set = feed_set(settings);
  auto found = std::find_if(set.begin(), set.end(), [&](const FeedSpec& spec) { return spec.name == feed; });
  int number = static_cast<int>(found - set.begin()) + 1;
  if (found == set.end() || number > static_cast<int>(kMaxSuricataFeeds)) {
    throw UsageError(fmt::format("feed {:?}: Suricata numbers at most {} feeds", feed, kMaxSuricataFeeds));
  }
  return number;
}

std::string render_suricata_rules(const FeedSettings& settings, const std::vector<SuricataFeed>& feeds,
                                  const std::vector<std::string>& header, bool for_suricata_update) {
  std::string text;
  for (const std::string& line : header) text += "# " + line + "\n";
  for (const SuricataFeed& each : feeds) {
    const Feed& feed = *each.feed;
    const int base = kSuricataSidBase + 10 * suricata_category(settings, feed.name);
    // Feed names hold letters, digits, '-', '_' and '.': nothing a rule
    // option would take for syntax.
    auto rule = [&](std::string_view action, std::string_view protocol, std::string_view message,
                    std::string_view options, std::string_view classtype, int kind) {
      text +=
          fmt::format("{} {} any any -> any any (msg:\"{} {}\"; {} classtype:{}; sid:{}; rev:1; metadata:feed {};)\n",
                      action, protocol, rule_text(settings.title), message, options, classtype, base + kind, feed.name);
    };
    for (const FeedFormat* format : each.formats) {
      std::string_view name = format->name();
      std::string file = format->file_name(feed, settings);
      if (name == "suricata" && !feed.entries.empty()) {
        if (feed.group == IndicatorGroup::kDomain) {
          rule("alert", "dns", fmt::format("DNS query for a domain of {}", feed.name),
               fmt::format("dns.query; to_lowercase; dataset:isset,{},type string,load {};", feed.name, file),
               "bad-unknown", kDatasetDestination);
        } else {
          // One alert a flow, not one a packet.
          for (auto [direction, kind, words] :
               {std::tuple{"dst", kDatasetDestination, "to"}, std::tuple{"src", kDatasetSource, "from"}}) {
            rule("alert", "ip", fmt::format("traffic {} an address of {}", words, feed.name),
                 fmt::format("flow:to_server; ip.{}; dataset:isset,{},type ip,load {}; flowbits:isnotset,{}.{}; "
                             "flowbits:set,{}.{};",
                             direction, feed.name, file, feed.name, direction, feed.name, direction),
                 "bad-unknown", kind);
          }
        }
      } else if (name == "iprep" && !feed.entries.empty()) {
        rule(for_suricata_update ? "# alert" : "alert", "ip", fmt::format("traffic with an address of {}", feed.name),
             fmt::format("iprep:any,{},>,0; flowbits:isnotset,{}.rep; flowbits:set,{}.rep;", feed.name, feed.name,
                         feed.name),
             "bad-unknown", kReputation);
      } else {
        for (auto [type, kind] : {std::pair{IndicatorType::kMd5, kMd5}, std::pair{IndicatorType::kSha1, kSha1},
                                  std::pair{IndicatorType::kSha256, kSha256}}) {
          if (name != fmt::format("file{}", type_name(type)) || count_of(feed, type) == 0) continue;
          rule("alert", "http", fmt::format("download of a file of {}", feed.name),
               fmt::format("flow:established,to_client; {}:{};", name, file), "trojan-activity", kind);
        }
      }
    }
  }
  return text;
}

std::string render_iprep_categories(const FeedSettings& settings, const std::vector<SuricataFeed>& feeds) {
  std::string text = "# number,name,description\n";
  for (const SuricataFeed& each : feeds) {
    if (std::none_of(each.formats.begin(), each.formats.end(),
                     [](const FeedFormat* format) { return format->name() == "iprep"; })) {
      continue;
    }
    text += fmt::format("{},{},{} {}\n", suricata_category(settings, each.feed->name), each.feed->name, settings.title,
                        each.feed->name);
  }
  return text;
}

std::string render_tar_gz(const std::vector<ArchiveMember>& members, TimePoint modified) {
  std::unique_ptr<archive, decltype(&archive_write_free)> tar(archive_write_new(), &archive_write_free);
  std::string bytes;
  auto check = [&](int status, std::string_view what) {
    if (status != ARCHIVE_OK) {
      throw Error(fmt::format("cannot build the archive ({}): {}", what, archive_error_string(tar.get())));
    }
  };
  check(archive_write_set_format_ustar(tar.get()), "ustar");
  check(archive_write_set_bytes_in_last_block(tar.get(), 1), "block size");
  check(archive_write_open(
            tar.get(), &bytes, nullptr,
            [](archive*, void* data, const void* buffer, size_t length) -> la_ssize_t {
              static_cast<std::string*>(data)->append(static_cast<const char*>(buffer), length);
              return static_cast<la_ssize_t>(length);
            },
            nullptr),
        "open");
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(), &archive_entry_free);
  for (const ArchiveMember& member : members) {
    archive_entry_clear(entry.get());
    archive_entry_set_pathname(entry.get(), member.name.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(member.content.size()));
    archive_entry_set_mtime(entry.get(), modified.time_since_epoch().count(), 0);
    archive_entry_set_uid(entry.get(), 0);
    archive_entry_set_gid(entry.get(), 0);
    check(archive_write_header(tar.get(), entry.get()), member.name);
    if (archive_write_data(tar.get(), member.content.data(), member.content.size()) !=
        static_cast<la_ssize_t>(member.content.size())) {
      check(ARCHIVE_FATAL, member.name);
    }
  }
  check(archive_write_close(tar.get()), "close");
  StringOutput compressed;
  GzipOutput gzip(compressed);
  gzip.write(bytes);
  gzip.finish();
  return std::move(compressed.text);
}

}  // namespace crowdfeed
