// Every stage's settings, plain data: what [policy], [votes], [whitelist],
// [feeds], [guards], [signing], [upload], [cluster] and [serve] say
// (deploy/crowdfeed.toml documents each key). config/config reads them;
// each stage takes its own struct and validates the rules only it knows
// (feeds/settings the formats, ops/guards the canaries...).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "indicator/indicator.h"
#include "indicator/verdict.h"
#include "util/gzip.h"

namespace crowdfeed {

// [policy]: the thresholds that turn an indicator's vote tallies into a
// verdict (policy/thresholds applies them). The same thresholds serve both
// feeds.
struct Policy {
  // Votes needed for a verdict.
  std::int64_t min_votes = 2;
  // That verdict's share of all the indicator's counted votes. Always above
  // 0.5, so an indicator can never qualify for both feeds.
  double min_share = 0.75;
  // Only votes cast within this many days before the run count; 0 = all.
  std::int64_t max_age_days = 0;
  // A voter of the vote API counts only once it is this many days old
  // (added, or an anonymous voter first seen); 0 = at once.
  std::int64_t probation_days = 0;
  // A trusted voter's vote counts this many times toward the share; it is
  // still one voter toward min_votes.
  std::int64_t trusted_weight = 1;
};

// [votes] (and [paths] database): where votes live and how long to wait
// for them.
struct VotesSettings {
  // crowdfeed's own SQLite votes database, for backend "sqlite".
  std::filesystem::path database = "data/votes.db";
  // "sqlite" (`database`, the default) or "postgresql".
  std::string backend = "sqlite";
  // PostgreSQL: a libpq connection string or URI; empty uses libpq's
  // environment (PGHOST, PGDATABASE, PGSERVICE...). The password comes from
  // PGPASSWORD or a .pgpass file (PGPASSFILE), never from this file.
  std::string url;
  int connect_timeout_seconds = 10;
  // A statement running longer fails the command (0: no limit).
  int statement_timeout_seconds = 600;
  int busy_timeout_ms = 5000;
  // A site's own SQLite vote database and a query that returns
  // indicator, malicious_votes, non_malicious_votes, last_vote_at.
  // Empty: crowdfeed's own votes table in `database`.
  std::filesystem::path tally_database;
  std::string tally_query;
};

// One feed of the feed set ([[feeds.set]]): which indicators it holds,
// under which name, in which formats.
struct FeedSpec {
  std::string name;  // the file name stem, e.g. "malicious-ips"
  IndicatorGroup group = IndicatorGroup::kDomain;
  Verdict verdict = Verdict::kMalicious;
  std::vector<std::string> formats;  // each must accept the group; "txt" among them
};

// What every feed file says about itself in its header, and the feed set.
struct FeedSettings {
  std::string title = "crowdfeed";
  std::string homepage = "https://example.org/crowdfeed/";
  // Where consumers download the feeds, e.g. "https://feeds.example.net/";
  // the index page then shows each file's full URL. Empty: relative links.
  std::string public_url;
  std::string licence_name = "Apache-2.0";
  std::string licence_url = "https://www.apache.org/licenses/LICENSE-2.0";
  std::string terms =
      "Provided \"as is\", without warranty of any kind; verify before you block. "
      "Entries are community votes, not a guarantee.";
  // How often the feeds are republished, "N hour(s)" or "N day(s)": the
  // headers' Expires, after which list tools fetch them again.
  std::string update_interval = "1 hour";
  // Where consumers report a false positive (a URL or mailto:); empty: the
  // homepage.
  std::string report_url;
  // The domain under which each RPZ zone carries its test entry,
  // "FEED.rpz-test.DOMAIN" (answers 127.0.0.2 and a TXT naming the zone's
  // version once the zone is loaded). Empty: the homepage's host name;
  // "none": no test entry.
  std::string rpz_test_domain;
  // The domain feeds' names and formats (all by default): txt, hosts,
  // adblock, rpz, unbound, dnsmasq, csv, json, zeek.
  std::string malicious_name = "malicious-domains";
  std::string non_malicious_name = "non-malicious-domains";
  std::vector<std::string> formats = {"txt", "hosts", "adblock", "rpz", "unbound", "dnsmasq", "csv", "json", "zeek"};
  // The IP and hash feeds' formats.
  std::vector<std::string> ip_formats = {"txt", "csv", "json", "zeek", "ipset", "nft", "rpz"};
  std::vector<std::string> hash_formats = {"txt", "csv", "json", "zeek", "clamav"};
  // [[feeds.set]]: the feeds to publish. Empty: six, malicious and
  // non-malicious domains (named and formatted as above), IPs
  // ("malicious-ips", "non-malicious-ips") and hashes ("malicious-hashes",
  // "non-malicious-hashes"). feed_set() gives the set in use.
  std::vector<FeedSpec> set;
  // A .gz copy of every file, and how hard it is compressed: "fast" (the
  // default, `true`) or "small" (util/gzip.h); nullopt (`false`): none.
  std::optional<GzipLevel> gzip = GzipLevel::kFast;
  // Unbound local-zone types for the malicious and the non-malicious feed.
  std::string unbound_action = "always_nxdomain";
  std::string unbound_allow_action = "always_transparent";
  // dnsmasq: "address" (address=/domain/, every version) or "local"
  // (local=/domain/, dnsmasq 2.86 and later).
  std::string dnsmasq_syntax = "address";
  // The prefix of the signature names ClamAV reports for the malicious hash
  // feed ("crowdfeed.malicious-hashes.UNOFFICIAL FOUND").
  std::string clamav_prefix = "crowdfeed";
  // The RPZ zone's $TTL and SOA timers, in seconds.
  int rpz_ttl = 300;
  // How long an immutable by-hash/SHA256/<hex> copy outlives the last
  // manifest that listed it (locally and on every destination), so that a
  // consumer holding an older manifest can still fetch what it lists.
  int by_hash_keep_hours = 2;
  // How many files are rendered and compressed at once; 0: one per core.
  int threads = 0;
};

// One whitelist source: [[whitelist.sources]] in the configuration.
struct WhitelistSourceSettings {
  enum class Kind { kTrusted, kObserved };
  std::string name;
  Kind kind = Kind::kTrusted;
  // A local path, or an http(s):// URL downloaded into the state directory.
  std::string location;
  // "auto" (detected from the content) or a format name: plain, hosts,
  // ranked-csv, misp-json. Any of them may come inside .gz or .zip.
  std::string format = "auto";
  // Only the first `top` ranks (or entries) count; 0 = all.
  std::int64_t top = 0;
  // What the list holds: "domain", "ip" (addresses and CIDR ranges) or
  // "hash"; "auto": what the list says (a MISP cidr list: ip), else each
  // entry's shape (an address or range, a hash, else a domain).
  std::string type = "auto";
};

struct WhitelistSettings {
  std::vector<WhitelistSourceSettings> sources;
  // An entry of observed sources counts when at least this many list it:
  // "seen among the top domains of more than one network".
  std::int64_t min_observed = 2;
  // A downloaded list that lost more than this share of the entries of its
  // last good copy is rejected, and the last good copy used instead.
  double max_shrink = 0.5;
  int download_timeout_seconds = 120;
  // A download larger than this, or a list (a local file, or the content of
  // a .gz or .zip) larger than this once decompressed, is refused; a
  // download then falls back to its last good copy.
  std::int64_t max_download_bytes = std::int64_t{256} << 20;
  std::int64_t max_list_bytes = std::int64_t{512} << 20;
};

// [public_suffixes]: the Public Suffix List to refuse bare suffixes by,
// when the system's is too old: a file, or an http(s) URL that `publish`
// downloads at the start of each run (with [whitelist]'s timeout and size
// bounds, conditionally, keeping the last good copy in the state
// directory). A list in use that is older than warn_after_days is warned
// about by publish and status.
struct PublicSuffixSettings {
  std::string list;  // empty: the system's (Debian's publicsuffix) or libpsl's built-in one
  int warn_after_days = 365;
};

// [guards]: when a run refuses to publish (exit code 3) and keeps the last
// good feeds.
struct GuardSettings {
  double max_shrink = 0.5;         // a feed losing more than this share of its entries
  double max_growth = 1.0;         // a feed growing by more than this share
  std::int64_t min_entries = 100;  // the share checks apply from this previous size
  // Domains that must never be in the malicious feed: the world's most used
  // by default; the operator adds their own with extra_canaries.
  std::vector<std::string> canaries = {"google.com",      "youtube.com",   "facebook.com",        "instagram.com",
                                       "whatsapp.com",    "microsoft.com", "windows.com",         "windowsupdate.com",
                                       "office.com",      "live.com",      "microsoftonline.com", "bing.com",
                                       "apple.com",       "icloud.com",    "amazon.com",          "amazonaws.com",
                                       "cloudflare.com",  "akamai.com",    "wikipedia.org",       "twitter.com",
                                       "x.com",           "linkedin.com",  "netflix.com",         "yahoo.com",
                                       "github.com",      "gstatic.com",   "baidu.com",           "yandex.ru",
                                       "zoom.us",         "mozilla.org",   "debian.org",          "ubuntu.com",
                                       "letsencrypt.org", "digicert.com"};
  // Addresses that must never be in a malicious IP feed: the big public
  // resolvers (Google, Cloudflare, Quad9, OpenDNS), whose blocking would
  // cut networks off the DNS.
  std::vector<std::string> ip_canaries = {"8.8.8.8",
                                          "8.8.4.4",
                                          "1.1.1.1",
                                          "1.0.0.1",
                                          "9.9.9.9",
                                          "149.112.112.112",
                                          "208.67.222.222",
                                          "208.67.220.220",
                                          "2001:4860:4860::8888",
                                          "2001:4860:4860::8844",
                                          "2606:4700:4700::1111",
                                          "2606:4700:4700::1001",
                                          "2620:fe::fe",
                                          "2620:fe::9",
                                          "2620:119:35::35",
                                          "2620:119:53::53"};
  // The operator's own canaries, of any type (domains, addresses, hashes).
  std::vector<std::string> extra_canaries;
};

// [upload]: how hard to try each destination.
struct UploadSettings {
  int max_attempts = 5;     // per file, the first included
  int base_delay_ms = 500;  // backoff before attempt n: random in [0, base * 2^(n-1)], capped
  int max_delay_ms = 30000;
  int max_seconds = 600;     // all attempts for one destination, in all
  int timeout_seconds = 60;  // one request
  std::string cache_control = "public, max-age=300";
  // An optional TOML file of secrets, one table per destination name
  // (username, password, token); refused when others can read it.
  std::filesystem::path credentials_file;
};

// [[destinations]]: where the feeds are uploaded after each run.
struct DestinationConfig {
  std::string name;
  std::string url;            // file://, http://, https://; never a secret
  std::string auth = "none";  // http(s): none, basic or bearer
  // s3: the region (required), an endpoint for S3-compatible stores, and
  // "path" or "virtual" addressing (default: virtual on AWS, path elsewhere).
  std::string region;
  std::string endpoint;
  std::string addressing;
  // sftp: the private key file, and known_hosts or the server's host key
  // fingerprint (SHA-256, base64) to check the server against.
  std::string key;
  std::string known_hosts;
  std::string host_key_sha256;
  // Environment variables that hold the secrets.
  std::string username_env;
  std::string password_env;
  std::string token_env;
};

// [signing]: minisign signatures of what each run publishes.
struct SigningSettings {
  // The minisign secret key (crowdfeed keygen, or minisign -G); empty: the
  // feeds are not signed. Refused when others may read it.
  std::filesystem::path secret_key;
  // Its public key; empty: the secret key's path with ".pub" for ".key"
  // (what crowdfeed keygen writes). Only `crowdfeed verify` reads it.
  std::filesystem::path public_key;
  // Where an encrypted secret key's passphrase comes from, for unattended
  // runs: the environment variable of this name, or this file (its first
  // line; refused when others may read it).
  std::string passphrase_env;
  std::filesystem::path passphrase_file;
  // Sign every published file (NAME.minisig), not only SHA256SUMS and
  // manifest.json, which vouch for the others' digests.
  bool sign_files = false;
  // Public keys (minisign.pub files, or "RW..." lines) the manifest and the
  // index page announce beside the signing key: the next key before a
  // rotation, the retired one after it.
  std::vector<std::string> announce_public_keys;
};

// [cluster]: `crowdfeed cluster`'s noise removal and links. An indicator
// named by more than max_reports reports links none (over-correlating:
// shared infrastructure); two reports are linked when they share at least
// min_shared indicators; the exclude files list values (one a line, '#'
// comments) the analyst takes out. A cluster of more than
// communities_above reports is divided into communities (Leiden). output:
// the folder `crowdfeed cluster` writes into (its -o overrides), which
// `crowdfeed explain` then reads; empty: ./clusters, and explain says
// nothing of clusters.
struct ClusterSettings {
  int max_reports = 100;
  int min_shared = 1;
  int communities_above = 50;
  int max_record_mib = 256;  // a JSON record larger than this once parsed is skipped
  std::vector<std::filesystem::path> exclude;
  std::filesystem::path output;
};

// [serve]: the vote API (crowdfeed serve). listen is ADDRESS:PORT. A
// request carries at most max_batch votes and max_body_bytes. Rate
// limits are token buckets: voter_rate votes a second per voter (burst
// voter_burst), address_rate requests a second per client address (burst
// address_burst); daily_cap votes per voter per UTC day. anonymous lets
// requests without a token vote as a keyed hash of their address.
// X-Forwarded-For is believed only from trusted_proxies (addresses or
// networks). Clients are counted by address, IPv6 ones by their network
// of ipv6_prefix bits. anonymous_get lets anonymous votes come by GET
// /vote.php (any web page can make a browser send those). Votes from
// pages of other origins are always refused.
// The bodies held in memory by all requests together are at most
// max_buffered_bytes. A group commit holds up to group_commit votes.
struct ServeSettings {
  std::string listen = "127.0.0.1:8080";
  int max_batch = 100;
  int max_body_bytes = 1 << 20;
  double voter_rate = 10;
  double voter_burst = 100;
  double address_rate = 20;
  double address_burst = 100;
  int daily_cap = 10000;
  bool anonymous = false;
  bool anonymous_get = false;
  std::vector<std::string> trusted_proxies;
  int ipv6_prefix = 64;
  std::int64_t max_buffered_bytes = 64 << 20;
  int max_connections = 1000;
  int connections_per_address = 100;
  int timeout_seconds = 10;
  int group_commit = 1000;
  // The community pages: the address people reach them at (https:// behind
  // a TLS proxy, which also makes the session cookie Secure); when set, the
  // feeds' "False positives" line and the index page point to its dispute
  // form unless feeds.report_url says otherwise.
  std::string public_url;
  int session_hours = 12;           // a browser sign-in lasts this long
  double dispute_rate = 10;         // disputes an address may file an hour
  double dispute_burst = 3;         // at once
  int max_open_disputes = 10;       // open disputes an indicator may have (one a filer)
  std::filesystem::path feeds_dir;  // what the pages say is published (the [paths] one)
};

}  // namespace crowdfeed
