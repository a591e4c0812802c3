// Suricata IP reputation files (reputation-files in suricata.yaml): one
// "address,category,score" a line, the category the feed's number in the
// feed set (crowdfeed-iprep-categories.txt names it after the feed), the
// score crowdfeed's confidence (1 to 100 of Suricata's 1 to 127); matched
// by iprep:any,FEED,>,0 in crowdfeed.rules.
#include <fmt/format.h>

#include <algorithm>

#include "feeds/formats.h"
#include "feeds/suricata.h"

namespace crowdfeed {
namespace {

class IprepFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "iprep"; }

  std::string_view syntax() const override { return "Suricata IP reputation"; }
  std::string_view import_hint(Verdict /*verdict*/, IndicatorGroup /*group*/) const override {
    return "reputation-files in suricata.yaml, with crowdfeed-iprep-categories.txt as reputation-categories-file";
  }
  bool accepts(IndicatorGroup group) const override { return group == IndicatorGroup::kIp; }
  bool publishes(const Feed& feed) const override { return feed.verdict == Verdict::kMalicious; }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".iprep";
  }
  // The feed's name is its reputation category's, which Suricata cuts at
  // 32 bytes (and then no rule names it).
  std::string feed_name_problem(const std::string& name) const override {
    if (name.size() <= kMaxIprepNameLength) return {};
    return fmt::format("is longer than the {} characters of a Suricata reputation category's name (format iprep)",
                       kMaxIprepNameLength);
  }

  void write(const FeedDocument& document, Output& out) const override {
    write_comment_header(document, "#", out);
    int category = suricata_category(document.settings, document.feed.name);
    std::string line;
    for (const FeedEntry& entry : document.feed.entries) {
      line.assign(fmt::format("{},{},{}\n", entry.value, category, std::clamp(entry.confidence, 1, 100)));
      out.write(line);
    }
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_iprep_format() {
  return std::make_unique<IprepFormat>();
}

}  // namespace crowdfeed
