// Writes a synthetic vote file: N votes over M domains, with a share of
// invalid rows and a whitelist that covers a share of the voted domains.
// Deterministic for a given seed, so tests and benchmarks are repeatable.
//
//   gen_votes --votes 1000000 --domains 100000 --bad 0.01 --whitelisted 0.02
//             --csv votes.csv --whitelist whitelist.txt
#include <fmt/format.h>

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
  unsigned long long seed = 1;
  long long now = 1795813200;  // 2026-11-27T21:00:00Z: votes are cast in the 30 days before
  long long days = 30;
  std::string csv = "votes.csv";
  std::string whitelist;
};

[[noreturn]] void usage(const char* message) {
  std::fprintf(stderr,
               "gen_votes: %s\nusage: gen_votes [--votes N] [--domains M] [--bad SHARE] [--whitelisted SHARE] "
               "[--seed S] [--now UNIX] [--days D] [--csv FILE] [--whitelist FILE]\n",
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
    else
      usage("unknown option");
  }
  if (options.votes < 0 || options.domains < 1) usage("--votes must be >= 0 and --domains >= 1");
  return options;
}

std::string domain_name(long long index) {
  return fmt::format("host{}.site{}.com", index, index % 5003);
}

// Whether domain `index` is in the whitelist: a multiplicative hash spreads
// the chosen share evenly over malicious- and benign-leaning domains.
bool is_whitelisted(long long index, double share) {
  unsigned long long hash = static_cast<unsigned long long>(index) * 11400714819323198485ULL;
  return static_cast<double>(hash >> 40) < share * static_cast<double>(1ULL << 24);
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
      fmt::print(csv.get(), "{},{},voter{},{}\n", domain_name(domain), malicious ? "malicious" : "non-malicious", voter,
                 cast_at);
    }
  }

  if (!options.whitelist.empty()) {
    std::unique_ptr<FILE, int (*)(FILE*)> whitelist(std::fopen(options.whitelist.c_str(), "w"), &std::fclose);
    if (!whitelist) usage("cannot write the whitelist file");
    fmt::print(whitelist.get(), "# synthetic whitelist\n");
    for (long long domain = 0; domain < options.domains; ++domain) {
      if (is_whitelisted(domain, options.whitelisted)) fmt::print(whitelist.get(), "{}\n", domain_name(domain));
    }
  }
  return 0;
}
