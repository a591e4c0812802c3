// ClamAV hash databases for `clamscan -d` or the signature directory: the
// malicious feed as a signature database (NAME.hsb), the non-malicious feed
// as an allow-list (NAME.sfp), so a file on it is never flagged. The file
// size is unknown ("*"), which needs functionality level 73 (ClamAV 0.98).
#include <fmt/format.h>

#include "feeds/formats.h"

namespace crowdfeed {
namespace {

class ClamavFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "clamav"; }

  std::string_view syntax() const override { return "ClamAV hash signatures (.hsb)"; }
  std::string_view import_hint(Verdict verdict, IndicatorGroup /*group*/) const override {
    return verdict == Verdict::kMalicious
               ? "ClamAV: copy into the signature directory (/var/lib/clamav), or clamscan -d FILE"
               : "ClamAV allowlist (.sfp): copy into the signature directory (/var/lib/clamav)";
  }
  bool accepts(IndicatorGroup group) const override { return group == IndicatorGroup::kHash; }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + (feed.verdict == Verdict::kMalicious ? ".hsb" : ".sfp");
  }

  void write(const FeedDocument& document, Output& out) const override {
    LineBuffer lines(out);
    write_comment_header(document, "#", lines);
    // The signature name ClamAV reports: feed names are letters, digits,
    // '.', '_' and '-', none of which the format reserves.
    std::string suffix = fmt::format(":*:{}.{}:73\n", document.settings.clamav_prefix, document.feed.name);
    for (const FeedEntry& entry : document.feed.entries) lines.append(entry.value, suffix);
    lines.flush();
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_clamav_format() {
  return std::make_unique<ClamavFormat>();
}

}  // namespace crowdfeed
