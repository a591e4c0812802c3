// Writes a synthetic threat exchange for `crowdfeed cluster`: N reports
// naming M indicators in all, with clusters planted in it and the benign
// infrastructure that would join them all if it were not removed.
//
//   - Planted clusters of 2 to --largest reports (sizes Zipf-distributed;
//     with chance --lone, a report stands alone instead). Each cluster has a pool of
//     indicators of its own, reused by its reports with Zipf-distributed
//     frequency, and a chain of indicators each shared by two consecutive
//     reports, so that every planted cluster is connected.
//   - Benign shared infrastructure: popular domains and public resolvers,
//     drawn Zipf-distributed by every report, all in the --whitelist file.
//   - Over-correlating values (a common library's hash), each named by at
//     least --over-correlating reports: cluster.max_reports must be below.
//   - The rest, most indicators, named by one report only.
//
// --truth writes the planted clusters, one line each, its report ids sorted
// and joined by ';' (the reports column of clusters.csv), sorted.
// Deterministic for a given seed, so tests and benchmarks are repeatable.
//
//   gen_reports --reports 100000 --occurrences 5000000 --csv reports.csv
//               --whitelist whitelist.txt --truth truth.txt
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace {

struct Options {
  std::uint64_t reports = 1000;
  std::uint64_t occurrences = 50000;
  double lone = 0.3;                     // the chance that a report stands alone instead of starting a cluster
  std::uint64_t largest = 50;            // the largest planted cluster
  std::uint64_t over_correlating = 200;  // reports naming each over-correlating value, at least
  std::uint64_t seed = 1;
  std::string format = "csv";  // csv or otx (JSON Lines, one pulse a line)
  std::string output = "reports.csv";
  std::string whitelist;
  std::string truth;
};

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "gen_reports: %s\n", message.c_str());
  std::exit(1);
}

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

struct Indicator {
  std::string type;  // OTX's type names
  std::string value;
};

// Indicator `index`, every one distinct: a domain (one in ten given as a
// URL on it), an IPv4 address in public space, or an MD5 or SHA-256 hash.
Indicator indicator(std::uint64_t index) {
  std::uint64_t kind = mix(index ^ 0x9e3779b97f4a7c15ULL) % 10;
  if (kind < 5) {
    std::string domain = fmt::format("h{}.net{}.com", index, index % 4999);
    if (kind == 0) return {"URL", fmt::format("http://{}/gate.php?id={}", domain, index % 97)};
    return {"hostname", domain};
  }
  if (kind < 7) {  // 45.0.0.0/8 to 47.0.0.0/8 hold no special-purpose range
    return {"IPv4",
            fmt::format("{}.{}.{}.{}", 45 + (index >> 24) % 3, (index >> 16) & 255, (index >> 8) & 255, index & 255)};
  }
  std::size_t digits = kind == 7 ? 32 : 64;
  std::string hex;
  for (std::uint64_t part = 0; hex.size() < digits; ++part) hex += fmt::format("{:016x}", mix(index * 4 + part + 1));
  return {digits == 32 ? "FileHash-MD5" : "FileHash-SHA256", hex.substr(0, digits)};
}

// Benign infrastructure that every kind of report names: public resolvers
// first, then popular sites, most often the first ones.
Indicator benign(std::size_t rank) {
  static const char* const kResolvers[] = {"8.8.8.8", "1.1.1.1", "9.9.9.9", "8.8.4.4", "208.67.222.222"};
  if (rank < std::size(kResolvers)) return {"IPv4", kResolvers[rank]};
  return {"domain", fmt::format("www.popular{}.com", rank)};
}
constexpr std::size_t kBenign = 300;

// Zipf's law over ranks 0..size-1: rank r drawn with weight 1/(r+1).
std::discrete_distribution<std::size_t> zipf(std::size_t size) {
  std::vector<double> weights(size);
  for (std::size_t rank = 0; rank < size; ++rank) weights[rank] = 1.0 / static_cast<double>(rank + 1);
  return {weights.begin(), weights.end()};
}

class Writer {
 public:
  Writer(const std::string& path, std::string format)
      : file_(std::fopen(path.c_str(), "w"), &std::fclose), format_(std::move(format)) {
    if (!file_) fail(fmt::format("cannot write {}", path));
    if (format_ == "csv") fmt::print(file_.get(), "report,indicator,type\n");
  }
  void report(const std::string& id, const std::vector<Indicator>& indicators) {
    if (format_ == "csv") {
      for (const auto& [type, value] : indicators) fmt::print(file_.get(), "{},{},{}\n", id, value, type);
      return;
    }
    std::string line = fmt::format(R"({{"id": "{}", "name": "Synthetic report {}", "indicators": [)", id, id);
    for (std::size_t i = 0; i < indicators.size(); ++i) {
      line += fmt::format(R"({}{{"type": "{}", "indicator": "{}"}})", i == 0 ? "" : ", ", indicators[i].type,
                          indicators[i].value);
    }
    fmt::print(file_.get(), "{}]}}\n", line);
  }

 private:
  std::unique_ptr<FILE, int (*)(FILE*)> file_;
  std::string format_;
};

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"writes a synthetic threat exchange with planted clusters"};
  app.add_option("--reports", options.reports)->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}));
  app.add_option("--occurrences", options.occurrences, "indicators named, in all");
  app.add_option("--lone", options.lone, "the chance that a report stands alone instead of starting a cluster")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--largest", options.largest, "the largest planted cluster")->check(CLI::Range(2, 1000));
  app.add_option("--over-correlating", options.over_correlating,
                 "reports naming each over-correlating value, at least");
  app.add_option("--seed", options.seed);
  app.add_option("--format", options.format)->check(CLI::IsMember({"csv", "otx"}));
  app.add_option("-o,--output", options.output);
  app.add_option("--whitelist", options.whitelist, "write the benign infrastructure here");
  app.add_option("--truth", options.truth, "write the planted clusters here");
  CLI11_PARSE(app, argc, argv);

  std::mt19937_64 random(options.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);

  // Report ids in a shuffled order, so that a cluster's reports are not
  // neighbours in the file.
  std::vector<std::uint64_t> ids(options.reports);
  std::iota(ids.begin(), ids.end(), 0);
  std::shuffle(ids.begin(), ids.end(), random);
  auto report_id = [&](std::uint64_t report) { return fmt::format("report-{:08d}", ids[report]); };

  // Planted clusters: [first report, size).
  std::vector<std::pair<std::uint64_t, std::uint64_t>> clusters;
  auto cluster_size = zipf(options.largest - 1);
  for (std::uint64_t next = 0; next < options.reports;) {
    std::uint64_t size = unit(random) < options.lone ? 1 : 2 + cluster_size(random);
    size = std::min(size, options.reports - next);
    clusters.emplace_back(next, size);
    next += size;
  }

  const double per_report = static_cast<double>(options.occurrences) / static_cast<double>(options.reports);
  std::uniform_real_distribution<double> spread(0.5, 1.5);
  auto benign_rank = zipf(kBenign);
  const std::uint64_t over_correlating_values = options.reports / options.over_correlating;
  std::uint64_t next_indicator = 0;  // singletons and pools take indices in turn

  Writer writer(options.output, options.format);
  std::vector<Indicator> named;
  std::uint64_t report = 0;
  for (const auto& [first, size] : clusters) {
    // The cluster's own pool, three indicators a report, and its chain.
    const std::uint64_t pool = next_indicator;
    const std::uint64_t pool_size = size > 1 ? 3 * size : 0;
    next_indicator += pool_size;
    const std::uint64_t chain = next_indicator;
    next_indicator += size > 1 ? size - 1 : 0;
    auto pool_rank = zipf(std::max<std::uint64_t>(pool_size, 1));
    for (std::uint64_t member = 0; member < size; ++member, ++report) {
      named.clear();
      auto count = static_cast<std::uint64_t>(std::max(1.0, per_report * spread(random)));
      if (size > 1) {
        if (member > 0) named.push_back(indicator(chain + member - 1));
        if (member + 1 < size) named.push_back(indicator(chain + member));
        for (std::uint64_t k = 0; k < count / 5; ++k) named.push_back(indicator(pool + pool_rank(random)));
      }
      for (int k = 0; k < 2; ++k) named.push_back(benign(benign_rank(random)));
      if (over_correlating_values > 0) {
        named.push_back({"FileHash-SHA256", fmt::format("{:064x}", report % over_correlating_values + 1)});
      }
      while (named.size() < count) named.push_back(indicator(next_indicator++));
      writer.report(report_id(report), named);
    }
  }

  if (!options.whitelist.empty()) {
    std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(options.whitelist.c_str(), "w"), &std::fclose);
    if (!file) fail(fmt::format("cannot write {}", options.whitelist));
    fmt::print(file.get(), "# benign infrastructure of the synthetic exchange\n");
    for (std::size_t rank = 0; rank < kBenign; ++rank) fmt::print(file.get(), "{}\n", benign(rank).value);
  }
  if (!options.truth.empty()) {
    std::vector<std::string> lines;
    for (const auto& [first, size] : clusters) {
      if (size < 2) continue;
      std::vector<std::string> members;
      for (std::uint64_t member = first; member < first + size; ++member) members.push_back(report_id(member));
      std::sort(members.begin(), members.end());
      lines.push_back(fmt::format("{}", fmt::join(members, ";")));
    }
    std::sort(lines.begin(), lines.end());
    std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(options.truth.c_str(), "w"), &std::fclose);
    if (!file) fail(fmt::format("cannot write {}", options.truth));
    for (const auto& line : lines) fmt::print(file.get(), "{}\n", line);
  }
  return 0;
}
