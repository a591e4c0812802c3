// The Zeek Intel framework's tab-separated input file. Intel raises notices
// for what it lists, so only the malicious feed is published so.
#include <fmt/format.h>

#include "feeds/formats.h"

namespace crowdfeed {
namespace {

// Intel::Type for each indicator type.
const char* intel_type(IndicatorType type) {
  switch (group_of(type)) {
    case IndicatorGroup::kDomain:
      return "Intel::DOMAIN";
    case IndicatorGroup::kIp:
      return "Intel::ADDR";
    case IndicatorGroup::kHash:
      return "Intel::FILE_HASH";
  }
  return "Intel::DOMAIN";
}

class ZeekFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "zeek"; }

  std::string_view syntax() const override { return "Zeek Intel framework"; }
  std::string_view import_hint(Verdict /*verdict*/, IndicatorGroup /*group*/) const override {
    return "redef Intel::read_files += { \"/path/FILE\" }; in Zeek";
  }
  bool accepts(IndicatorGroup group) const override { return any_group(group); }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".zeek.intel";
  }
  bool publishes(const Feed& feed) const override { return feed.verdict == Verdict::kMalicious; }

  void write(const FeedDocument& document, Output& out) const override {
    LineBuffer lines(out);
    write_comment_header(document, "#", lines);
    lines.append("#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\n");
    for (const FeedEntry& entry : document.feed.entries) {
      lines.format_compiled(FMT_COMPILE("{}\t{}\t{}\tvoted malicious by {} of {} voters\n"), entry.value,
                            intel_type(entry.type), document.settings.title, entry.malicious_votes,
                            entry.malicious_votes + entry.non_malicious_votes);
    }
    lines.flush();
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_zeek_format() {
  return std::make_unique<ZeekFormat>();
}

}  // namespace crowdfeed
