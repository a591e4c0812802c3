// Squid dstdomain ACL files: ".domain" a line, which matches the domain
// and every name under it (acl crowdfeed_malicious dstdomain "/path/FILE";
// http_access deny crowdfeed_malicious). Squid refuses an entry that
// another entry already covers, so a listed domain's listed subdomains are
// left out: the parent covers them.
#include <absl/container/flat_hash_set.h>

#include "feeds/formats.h"

namespace crowdfeed {
namespace {

class SquidFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "squid"; }

  std::string_view syntax() const override { return "Squid dstdomain ACL"; }
  std::string_view import_hint(Verdict verdict, IndicatorGroup /*group*/) const override {
    return verdict == Verdict::kMalicious
               ? "acl crowdfeed dstdomain \"/path/FILE\" and http_access deny crowdfeed in squid.conf"
               : "acl crowdfeed_ok dstdomain \"/path/FILE\" and http_access allow crowdfeed_ok, before the denials";
  }
  bool covers_subdomains() const override { return true; }
  bool accepts(IndicatorGroup group) const override { return domains_only(group); }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".squid";
  }

  std::optional<Feed> selection(const Feed& feed) const override {
    absl::flat_hash_set<std::string_view> listed;
    listed.reserve(feed.entries.size());
    for (const FeedEntry& entry : feed.entries) listed.insert(entry.value);
    auto covered = [&](std::string_view domain) {
      for (auto dot = domain.find('.'); dot != std::string_view::npos; dot = domain.find('.', dot + 1)) {
        if (listed.contains(domain.substr(dot + 1))) return true;
      }
      return false;
    };
    Feed selected{feed.name, feed.verdict, {}, feed.group};
    for (const FeedEntry& entry : feed.entries) {
      if (!covered(entry.value)) selected.entries.push_back(entry);
    }
    if (selected.entries.size() == feed.entries.size()) return std::nullopt;
    return selected;
  }

  void write(const FeedDocument& document, Output& out) const override {
    write_comment_header(document, "#", out);
    std::string line;
    for (const FeedEntry& entry : document.feed.entries) {
      line.assign(".").append(entry.value).append("\n");
      out.write(line);
    }
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_squid_format() {
  return std::make_unique<SquidFormat>();
}

}  // namespace crowdfeed
