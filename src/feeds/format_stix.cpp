// STIX 2.1 bundles for threat-intelligence platforms (OpenCTI, MISP,
// Sentinel, ...) and the TAXII collections of `crowdfeed serve`: the
// publisher's identity, the TLP:CLEAR and licence markings, then one
// indicator a line (see feeds/stix.h for ids and versions). STIX has no
// comments: the header's facts are the bundle's objects' (the licence
// marking, valid_until, the identity).
#include "feeds/formats.h"
#include "feeds/stix.h"

namespace crowdfeed {
namespace {

class StixFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "stix"; }

  std::string_view syntax() const override { return "STIX 2.1 bundle"; }
  std::string_view import_hint(Verdict /*verdict*/, IndicatorGroup /*group*/) const override {
    return "OpenCTI, MISP and other STIX 2.1 importers; or the TAXII 2.1 collections of crowdfeed serve";
  }
  bool accepts(IndicatorGroup group) const override { return any_group(group); }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".stix.json";
  }
  std::optional<std::chrono::hours> refresh_after() const override { return kStixRefresh; }

  void write(const FeedDocument& document, Output& out) const override {
    StixPublisher publisher = stix_publisher(document.settings);
    TimePoint valid_until = stix_valid_until(document.settings, document.last_modified);
    out.write(stix_bundle_opening(publisher, file_name(document.feed, document.settings), document.last_modified));
    write_stix_preamble(document.settings, publisher, out);
    StixIndicatorWriter indicators(publisher, document.feed, document.last_modified, valid_until);
    std::string line;
    for (const FeedEntry& entry : document.feed.entries) {
      line.assign(",\n");
      indicators.append(entry, line);
      out.write(line);
    }
    out.write("\n]}\n");
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_stix_format() {
  return std::make_unique<StixFormat>();
}

}  // namespace crowdfeed
