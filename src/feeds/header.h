// The facts every feed file states about itself. Each format writes these
// fields in its own comment syntax, so no importer takes one for an entry.
// The names are those list tools read (AdGuard's and the hosts-file
// conventions): Title, Description, Homepage, License, Expires, Last
// modified, Version, Syntax, Number of entries.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.h"
#include "feeds/feed.h"
#include "policy/thresholds.h"

namespace crowdfeed {

struct HeaderField {
  std::string name;   // "Last modified"
  std::string value;  // one line, never a control character
  bool operator==(const HeaderField&) const = default;
};

// How a feed's entries were chosen, as its header tells it.
struct FeedSelection {
  std::string policy;        // the thresholds in words (policy/thresholds' describe())
  bool whitelisted = false;  // a whitelist keeps well-known good indicators out
};

// The header of `feed` as a file of `syntax` (the format's Syntax line);
// it mentions the whitelist only when one is configured.
std::vector<HeaderField> feed_header(const FeedSettings& settings, const FeedSelection& selection, const Feed& feed,
                                     TimePoint last_modified, std::string_view syntax);

// The field every header ends its facts with, before which a delta file
// adds what it is a delta of.
inline constexpr std::string_view kEntriesField = "Number of entries";

// The hours in an update interval, "N hour(s)" or "N day(s)"; nullopt for
// anything else.
std::optional<int> expires_hours(std::string_view interval);

// The domain under which RPZ zones carry their test entry:
// feeds.rpz_test_domain, else the homepage's host name; nullopt for
// "none". Throws UsageError when that is not a domain a resolver could
// look up (a bare suffix, a name under test., invalid., localhost. ...).
std::optional<std::string> rpz_test_base(const FeedSettings& settings);

// The longest test entry name: with a dot and a zone name of up to 63
// characters it stays within DNS's 253.
inline constexpr std::size_t kMaxRpzTestNameLength = 253 - 63 - 1;

// "FEED.rpz-test.BASE": the test entry of one feed's zone.
std::string rpz_test_name(std::string_view base, std::string_view feed_name);

}  // namespace crowdfeed
