// Lists of one hash type for Suricata's filemd5, filesha1 and filesha256
// keywords (NAME.md5, NAME.sha1, NAME.sha256): '#' comment lines, then one
// hash a line. A hash feed holds all three types; each list holds its own.
#include "feeds/formats.h"

namespace crowdfeed {
namespace {

class FileHashFormat : public FeedFormat {
 public:
  explicit FileHashFormat(IndicatorType type) : type_(type), name_("file" + std::string(type_name(type))) {}

  std::string_view name() const override { return name_; }

  std::string_view syntax() const override { return "Suricata file hash list"; }
  std::string_view import_hint(Verdict /*verdict*/, IndicatorGroup /*group*/) const override {
    return "crowdfeed.rules matches it (filemd5, filesha1, filesha256), or any tool that reads one hash a line";
  }
  bool accepts(IndicatorGroup group) const override { return group == IndicatorGroup::kHash; }
  bool publishes(const Feed& feed) const override { return feed.verdict == Verdict::kMalicious; }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + "." + std::string(type_name(type_));
  }

  std::optional<Feed> selection(const Feed& feed) const override {
    Feed selected{feed.name, feed.verdict, {}, feed.group};
    for (const FeedEntry& entry : feed.entries) {
      if (entry.type == type_) selected.entries.push_back(entry);
    }
    return selected;
  }

  void write(const FeedDocument& document, Output& out) const override {
    write_comment_header(document, "#", out);
    std::string line;
    for (const FeedEntry& entry : document.feed.entries) {
      line.assign(entry.value).append("\n");
      out.write(line);
    }
  }

 private:
  IndicatorType type_;
  std::string name_;
};

}  // namespace

std::unique_ptr<FeedFormat> make_filehash_format(IndicatorType type) {
  return std::make_unique<FileHashFormat>(type);
}

}  // namespace crowdfeed
