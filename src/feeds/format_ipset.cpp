// An `ipset restore` file: one hash:ip set per address family, NAME-v4 and
// NAME-v6, for iptables rules (-m set --match-set NAME-v4 src). Each set is
// refilled through a temporary set and `swap`, so a firewall never sees it
// empty or half-filled, and the file can be applied every hour (-exist).
#include <fmt/format.h>

#include <tuple>

#include "feeds/formats.h"

namespace crowdfeed {
namespace {

// ipset names are at most 31 characters; "-v4-new" takes 7 of them.
constexpr std::size_t kMaxSetName = 31;
constexpr std::string_view kTemporarySuffix = "-new";
// The same limit for the live and the temporary set: swap exchanges them
// whole, and `create -exist` only passes when the parameters are the same.
constexpr const char* kSetOptions = "hash:ip family {} hashsize 1024 maxelem 16777216";

class IpsetFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "ipset"; }

  std::string_view syntax() const override { return "ipset restore"; }
  std::string_view import_hint(Verdict verdict, IndicatorGroup /*group*/) const override {
    return verdict == Verdict::kMalicious
               ? "ipset restore -exist < FILE; then iptables -m set --match-set NAME-v4 src -j DROP"
               : "ipset restore -exist < FILE; then iptables -m set --match-set NAME-v4 src -j ACCEPT, before the "
                 "drops";
  }
  bool accepts(IndicatorGroup group) const override { return group == IndicatorGroup::kIp; }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".ipset";
  }

  std::string shared_object_name(const std::string& feed) const override { return feed + "-v4"; }

  std::string feed_name_problem(const std::string& name) const override {
    if (name.size() + 3 + kTemporarySuffix.size() > kMaxSetName) {
      return fmt::format("is too long for an ipset set name (NAME-v4{} must fit in {} characters)", kTemporarySuffix,
                         kMaxSetName);
    }
    return {};
  }

  void write(const FeedDocument& document, Output& out) const override {
    write_comment_header(document, "#", out);
    for (auto [type, suffix, family] :
         {std::tuple{IndicatorType::kIpv4, "-v4", "inet"}, std::tuple{IndicatorType::kIpv6, "-v6", "inet6"}}) {
      std::string set = document.feed.name + suffix;
      std::string temporary = set + std::string(kTemporarySuffix);
      std::string options = fmt::format(kSetOptions, family);
      out.write(fmt::format("create {} {} -exist\ncreate {} {} -exist\nflush {}\n", set, options, temporary, options,
                            temporary));
      std::string line;
      for (const FeedEntry& entry : document.feed.entries) {
        if (entry.type != type) continue;
        line.assign("add ").append(temporary).append(" ").append(entry.value).append(" -exist\n");
        out.write(line);
      }
      out.write(fmt::format("swap {} {}\ndestroy {}\n", temporary, set, temporary));
    }
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_ipset_format() {
  return std::make_unique<IpsetFormat>();
}

}  // namespace crowdfeed
