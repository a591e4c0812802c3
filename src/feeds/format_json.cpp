// JSON for scripts and MISP-style ingestion: one object with "metadata" (the
// header fields) and "entries", the same fields as the CSV. Streamed entry
// by entry, so the document is never held whole in memory.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "feeds/formats.h"

namespace crowdfeed {
namespace {

class JsonFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "json"; }

  std::string_view syntax() const override { return "JSON"; }
  std::string_view import_hint(Verdict /*verdict*/, IndicatorGroup /*group*/) const override {
    return "scripts and threat-intelligence platforms (one object: metadata and entries)";
  }
  bool accepts(IndicatorGroup group) const override { return any_group(group); }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".json";
  }

  void write(const FeedDocument& document, Output& out) const override {
    nlohmann::ordered_json metadata = nlohmann::ordered_json::object();
    for (const HeaderField& field : document.header) metadata[field.name] = field.value;
    metadata[std::string(kEntriesField)] = document.feed.entries.size();  // a number, not the header's text
    // Where a listed indicator is disputed (the community pages' form, when
    // they are configured).
    metadata["dispute_url"] =
        document.settings.report_url.empty() ? document.settings.homepage : document.settings.report_url;
    out.write("{\n\"metadata\": ");
    out.write(metadata.dump());
    out.write(",\n\"entries\": [");
    // Entries are written with fmt, not built as JSON objects: every value
    // is a number, a fixed word, an ISO 8601 time or a normalised indicator
    // (letters, digits, '-', '.' and ':'), none of which JSON needs to
    // escape. The indicator's key is what the feed holds (domain, ip,
    // hash); IPs and hashes also name their type.
    const std::string_view verdict = verdict_name(document.feed.verdict);
    const std::string_view key = group_name(document.feed.group);
    const bool typed = document.feed.group != IndicatorGroup::kDomain;
    std::string_view separator = "\n";
    LineBuffer lines(out);
    for (const FeedEntry& entry : document.feed.entries) {
      lines.format_compiled(FMT_COMPILE("{}{{\"{}\":\"{}\","), separator, key, entry.value);
      if (typed) lines.append("\"type\":\"", type_name(entry.type), "\",");
      lines.format_compiled(
          FMT_COMPILE("\"verdict\":\"{}\",\"malicious_votes\":{},\"non_malicious_votes\":{},\"first_vote_at\":"),
          verdict, entry.malicious_votes, entry.non_malicious_votes);
      if (entry.first_vote_at) {
        lines.format_compiled(FMT_COMPILE("\"{}\""), Iso8601{*entry.first_vote_at});
      } else {
        lines.append("null");
      }
      lines.format_compiled(FMT_COMPILE(",\"last_vote_at\":\"{}\",\"confidence\":{}}}"), Iso8601{entry.last_vote_at},
                            entry.confidence);
      separator = ",\n";
    }
    lines.append("\n]\n}\n");
    lines.flush();
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_json_format() {
  return std::make_unique<JsonFormat>();
}

}  // namespace crowdfeed
