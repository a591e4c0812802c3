// Writes a synthetic vote file: N votes over M indicators, with a share of
// invalid rows and a whitelist that covers a share of the voted domains.
// --whitelist-extra N adds N domains nobody voted on to the whitelist.
// With --typed SHARE, that share of the indicators are IP addresses (IPv4
// and IPv6) and file hashes (MD5, SHA-1, SHA-256) instead of domains.
// Deterministic for a given seed, so tests and benchmarks are repeatable.
//
//   gen_votes --votes 1000000 --domains 100000 --bad 0.01 --whitelisted 0.02
//             --typed 0.33 --csv votes.csv --whitelist whitelist.txt
#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <string_view>

namespace {

struct Options {
  long long votes = 1000;
  long long domains = 100;
  double bad = 0.0;          // share of rows with an invalid indicator
  double whitelisted = 0.0;  // share of domains listed in the whitelist
  double typed = 0.0;        // share of indicators that are IPs or hashes
  unsigned long long seed = 1;
  long long now = 1795813200;  // 2026-11-27T21:00:00Z: votes are cast in the 30 days before
  long long days = 30;
  std::string csv = "votes.csv";
  std::string whitelist;
  long long whitelist_extra = 0;  // unvoted domains added to the whitelist
};

[[noreturn]] void usage(const char* message) {
  std::fprintf(stderr,
               "gen_votes: %s\nusage: gen_votes [--votes N] [--domains M] [--bad SHARE] [--whitelisted SHARE] "
               "[--typed SHARE] [--seed S] [--now UNIX] [--days D] [--csv FILE] [--whitelist FILE] "
               "[--whitelist-extra N]\n",
               message);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (i + 1 >= argc) usage("every option takes a value");
    const char* value = argv[++i];
    if (flag == "--votes")
      options.votes = std::atoll(value);
    else if (flag == "--domains")
      options.domains = std::atoll(value);
    else if (flag == "--bad")
      options.bad = std::atof(value);
    else if (flag == "--whitelisted")
      options.whitelisted = std::atof(value);
    else if (flag == "--typed")
      options.typed = std::atof(value);
    else if (flag == "--seed")
      options.seed = std::strtoull(value, nullptr, 10);
    else if (flag == "--now")
      options.now = std::atoll(value);
    else if (flag == "--days")
      options.days = std::atoll(value);
    else if (flag == "--csv")
      options.csv = value;
    else if (flag == "--whitelist")
      options.whitelist = value;
    else if (flag == "--whitelist-extra")
      options.whitelist_extra = std::atoll(value);
    else
      usage("unknown option");
  }
  if (options.votes < 0 || options.domains < 1) usage("--votes must be >= 0 and --domains >= 1");
  return options;
}

std::string domain_name(long long index) {
  return fmt::format("host{}.site{}.com", index, index % 5003);
}

// Whether indicator `index` is among `share` of all: a multiplicative hash
// spreads the chosen share evenly over malicious- and benign-leaning ones.
bool chosen(long long index, double share, unsigned long long salt) {
  unsigned long long hash = (static_cast<unsigned long long>(index) ^ salt) * 11400714819323198485ULL;
  return static_cast<double>(hash >> 40) < share * static_cast<double>(1ULL << 24);
}

bool is_whitelisted(long long index, double share) {
  return chosen(index, share, 0);
}

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Indicator `index`: a domain, or (for the typed share) in turn an IPv4
// address in public space, an IPv6 address under 2a00::/12, or an MD5,
// SHA-1 or SHA-256 hash, every one distinct.
std::string indicator_name(long long index, double typed) {
  if (!chosen(index, typed, 0x5bd1e995)) return domain_name(index);
  auto n = static_cast<std::uint64_t>(index);
  // The kind comes from a hash of the index, not the index itself, which
  // also decides whether an indicator leans malicious.
  std::uint64_t kind = mix(n ^ 0x9e3779b97f4a7c15ULL) % 5;
  switch (kind) {
    case 0:
    case 1:  // 45.0.0.0/8 and 46.0.0.0/8 hold no special-purpose range
      return fmt::format("{}.{}.{}.{}", 45 + (n >> 24) % 2, (n >> 16) & 255, (n >> 8) & 255, n & 255);
    case 2:
      return fmt::format("2a00:{:x}:{:x}::{:x}", (n >> 32) & 0xffff, (n >> 16) & 0xffff, (n & 0xffff) + 1);
    default: {
      std::size_t digits = kind == 3 ? 32 : (n % 2 == 0 ? 40 : 64);
      std::string hex;
      for (std::uint64_t part = 0; hex.size() < digits; ++part) hex += fmt::format("{:016x}", mix(n * 4 + part + 1));
      return hex.substr(0, digits);
    }
  }
}

constexpr const char* kBadIndicators[] = {
    "192.0.2.7", "http://bad.example.com/x", "bad domain.com", "*.wild.example.com", "under_score.example.com",
    "",          "\"quoted.example.com\"",   "co.uk"};

}  // namespace

int main(int argc, char** argv) {
  Options options = parse(argc, argv);
  std::mt19937_64 random(options.seed);
  std::uniform_int_distribution<long long> pick_domain(0, options.domains - 1);
  std::uniform_int_distribution<long long> pick_voter(0, std::max(10LL, options.votes / 4));
  std::uniform_int_distribution<long long> pick_age(0, options.days * 86400);
  std::uniform_real_distribution<double> unit(0.0, 1.0);

  std::unique_ptr<FILE, int (*)(FILE*)> csv(std::fopen(options.csv.c_str(), "w"), &std::fclose);
  if (!csv) usage("cannot write the CSV file");
  fmt::print(csv.get(), "indicator,vote,voter,cast_at\n");
  std::size_t next_bad = 0;
  for (long long i = 0; i < options.votes; ++i) {
    long long domain = pick_domain(random);
    // Three domains in five lean malicious: voters mostly agree, not always.
    bool leans_malicious = domain % 5 < 3;
    bool malicious = unit(random) < (leans_malicious ? 0.9 : 0.1);
    long long cast_at = options.now - pick_age(random);
    long long voter = pick_voter(random);
    if (unit(random) < options.bad) {
      const char* bad = kBadIndicators[next_bad++ % std::size(kBadIndicators)];
      std::string quoted = fmt::format("\"{}\"", bad);  // CSV quoting: inner quotes doubled
      for (std::size_t at = 1; (at = quoted.find('"', at)) < quoted.size() - 1; at += 2) quoted.insert(at, 1, '"');
      fmt::print(csv.get(), "{},{},voter{},{}\n", quoted, malicious ? 0 : 1, voter, cast_at);
    } else {
      fmt::print(csv.get(), "{},{},voter{},{}\n", indicator_name(domain, options.typed),
                 malicious ? "malicious" : "non-malicious", voter, cast_at);
    }
  }

  if (!options.whitelist.empty()) {
    std::unique_ptr<FILE, int (*)(FILE*)> whitelist(std::fopen(options.whitelist.c_str(), "w"), &std::fclose);
    if (!whitelist) usage("cannot write the whitelist file");
    fmt::print(whitelist.get(), "# synthetic whitelist\n");
    for (long long domain = 0; domain < options.domains; ++domain) {
      if (is_whitelisted(domain, options.whitelisted) && !chosen(domain, options.typed, 0x5bd1e995)) {
        fmt::print(whitelist.get(), "{}\n", domain_name(domain));
      }
    }
    // Popular sites nobody voted on, as in a top-sites list.
    for (long long extra = 0; extra < options.whitelist_extra; ++extra) {
      fmt::print(whitelist.get(), "www{}.popular{}.net\n", extra, extra % 7919);
    }
  }
  return 0;
}
