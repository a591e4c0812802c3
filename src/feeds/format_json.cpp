// JSON for scripts and MISP-style ingestion: one object with "metadata" (the
// header fields) and "entries", the same fields as the CSV. Streamed entry
// by entry, so the document is never held whole in memory.
#include <nlohmann/json.hpp>

#include "feeds/formats.h"

namespace crowdfeed {
namespace {

class JsonFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "json"; }
  std::string file_name(const Feed& feed) const override { return feed.name + ".json"; }

  void write(const FeedDocument& document, Output& out) const override {
    nlohmann::ordered_json metadata = nlohmann::ordered_json::object();
    for (const HeaderField& field : document.header) metadata[field.name] = field.value;
    metadata["Entries"] = document.feed.entries.size();
    out.write("{\n\"metadata\": ");
    out.write(metadata.dump());
    out.write(",\n\"entries\": [");
    const char* verdict = verdict_name(document.feed.verdict);
    bool first = true;
    for (const FeedEntry& entry : document.feed.entries) {
      nlohmann::ordered_json object = {
          {"domain", entry.domain},
          {"verdict", verdict},
          {"malicious_votes", entry.malicious_votes},
          {"non_malicious_votes", entry.non_malicious_votes},
          {"first_vote_at", entry.first_vote_at ? nlohmann::ordered_json(format_iso8601(*entry.first_vote_at))
                                                : nlohmann::ordered_json(nullptr)},
          {"last_vote_at", format_iso8601(entry.last_vote_at)}};
      out.write(first ? "\n" : ",\n");
      out.write(object.dump());
      first = false;
    }
    out.write("\n]\n}\n");
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_json_format() {
  return std::make_unique<JsonFormat>();
}

}  // namespace crowdfeed
