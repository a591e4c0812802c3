// Check Point IoC CSV for Custom Intelligence Feeds (the Anti-Bot and
// Anti-Virus blades): the columns UNIQ-NAME, VALUE, TYPE, CONFIDENCE,
// SEVERITY, PRODUCT, COMMENT, one record an indicator. Check Point's IP
// type holds IPv4 only, so IPv6 addresses are left out; a feed of IoCs is
// enforced, so only the malicious feeds are published so. Every line,
// comments too, has the seven fields the format requires.
#include <fmt/format.h>

#include "feeds/formats.h"
#include "util/csv_line.h"

namespace crowdfeed {
namespace {

std::string_view checkpoint_type(IndicatorType type) {
  switch (type) {
    case IndicatorType::kDomain:
      return "Domain";
    case IndicatorType::kIpv4:
      return "IP";
    case IndicatorType::kMd5:
      return "MD5";
    case IndicatorType::kSha1:
      return "SHA1";
    case IndicatorType::kSha256:
      return "SHA256";
    case IndicatorType::kIpv6:
      break;
  }
  return {};
}

// Confidence 0-100 in Check Point's words.
std::string_view checkpoint_confidence(int confidence) {
  return confidence >= 70 ? "high" : confidence >= 40 ? "medium" : "low";
}

class CheckpointFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "checkpoint"; }

  std::string_view syntax() const override { return "Check Point IoC CSV"; }
  std::string_view import_hint(Verdict /*verdict*/, IndicatorGroup /*group*/) const override {
    return "ioc_feeds add --feed_name crowdfeed --transport https --resource URL on the gateway, or a SmartConsole "
           "IoC feed";
  }
  bool accepts(IndicatorGroup group) const override { return any_group(group); }
  bool publishes(const Feed& feed) const override { return feed.verdict == Verdict::kMalicious; }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".checkpoint.csv";
  }

  std::optional<Feed> selection(const Feed& feed) const override {
    if (feed.group != IndicatorGroup::kIp) return std::nullopt;
    Feed selected{feed.name, feed.verdict, {}, feed.group};
    for (const FeedEntry& entry : feed.entries) {
      if (entry.type == IndicatorType::kIpv4) selected.entries.push_back(entry);
    }
    return selected;
  }

  void write(const FeedDocument& document, Output& out) const override {
    auto setting = [&](std::string_view name) {
      for (const HeaderField& field : document.header) {
        if (field.name == name) return field.value;
      }
      return std::string();
    };
    out.write(fmt::format("{},,,,,,\n", csv_field("#! DESCRIPTION = " + setting("Title"))));
    out.write(fmt::format("{},,,,,,\n", csv_field("#! REFERENCE = " + setting("Homepage"))));
    for (const HeaderField& field : document.header) {
      out.write(fmt::format("{},,,,,,\n", csv_field(fmt::format("# {}: {}", field.name, field.value))));
    }
    out.write("# UNIQ-NAME,VALUE,TYPE,CONFIDENCE,SEVERITY,PRODUCT,COMMENT\n");
    const std::string& feed = document.feed.name;
    for (const FeedEntry& entry : document.feed.entries) {
      // Names, values and comments are normalised indicators, feed names
      // and numbers: no field needs quoting.
      bool file = group_of(entry.type) == IndicatorGroup::kHash;
      out.write(fmt::format("{}:{},{},{},{},high,{},{} malicious and {} non-malicious votes\n", feed, entry.value,
                            entry.value, checkpoint_type(entry.type), checkpoint_confidence(entry.confidence),
                            file ? "AV" : "AB", entry.malicious_votes, entry.non_malicious_votes));
    }
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_checkpoint_format() {
  return std::make_unique<CheckpointFormat>();
}

}  // namespace crowdfeed
