// Suricata as crowdfeed publishes for it: the rules that use the feeds'
// datasets (format "suricata"), IP reputation files ("iprep") and file
// hash lists ("filemd5", "filesha1", "filesha256"), the reputation
// categories, and the archive suricata-update adds as a source.
//
// Rules alert only; each feed's rules have fixed sids, kSuricataSidBase +
// 10 x the feed's number in the feed set + the rule's kind, so that an
// operator's thresholds and suppressions keep applying from hour to hour.
// A rule whose list is empty is left out (Suricata refuses an empty hash
// list).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/settings.h"
#include "feeds/feed.h"
#include "feeds/format.h"

namespace crowdfeed {

inline constexpr int kSuricataSidBase = 9'100'000;
// Suricata's most reputation categories, and so the most feeds numbered.
inline constexpr std::size_t kMaxSuricataFeeds = 60;
// Suricata keeps a reputation category's name in 32 bytes.
inline constexpr std::size_t kMaxIprepNameLength = 31;

// Whether `format` is one of Suricata's: suricata, iprep, filemd5,
// filesha1, filesha256.
bool is_suricata_format(std::string_view format);
inline constexpr std::string_view kSuricataRulesName = "crowdfeed.rules";
inline constexpr std::string_view kIprepCategoriesName = "crowdfeed-iprep-categories.txt";
inline constexpr std::string_view kSuricataArchiveName = "crowdfeed-suricata.tar.gz";

// `text` (a one-line setting, the title) as it may stand in a rule's msg:
// ';', '"' and '\' escaped, so that it can never end the msg or add an
// option.
std::string rule_text(std::string_view text);

// The feed's number in the feed set, from 1: its reputation category and
// the tens of its rules' sids. Throws UsageError past Suricata's 60
// categories.
int suricata_category(const FeedSettings& settings, std::string_view feed);

// One feed and the Suricata formats it is published in.
struct SuricataFeed {
  const Feed* feed = nullptr;
  std::vector<const FeedFormat*> formats;  // among suricata, iprep, filemd5, filesha1, filesha256
};

// crowdfeed.rules, with `header` as its comment lines. In the archive for
// suricata-update the iprep rules are commented out: suricata-update tests
// the rules with a suricata.yaml that has no reputation files, and an
// iprep rule would fail that test (enable it with 1:SID in enable.conf
// once reputation-files are set).
std::string render_suricata_rules(const FeedSettings& settings, const std::vector<SuricataFeed>& feeds,
                                  const std::vector<std::string>& header, bool for_suricata_update);

// crowdfeed-iprep-categories.txt: "number,feed name,description" for each
// feed published as iprep.
std::string render_iprep_categories(const FeedSettings& settings, const std::vector<SuricataFeed>& feeds);

// One member of the suricata-update archive.
struct ArchiveMember {
  std::string name;  // "rules/crowdfeed.rules"
  std::string content;
};

// A tar.gz of `members` with fixed owners, modes and time `modified`, so
// that the same members give the same bytes.
std::string render_tar_gz(const std::vector<ArchiveMember>& members, TimePoint modified);

}  // namespace crowdfeed
