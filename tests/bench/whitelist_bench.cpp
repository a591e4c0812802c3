// Benchmark of the whitelist: loading a 1M-entry list and checking 1M
// candidate domains against it. Not a test: it prints figures, asserts
// nothing about time.
//
//   build/tests/whitelist_bench [ENTRIES] [CANDIDATES]
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "whitelist/load.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  long entries = argc > 1 ? std::atol(argv[1]) : 1000000;
  long candidates = argc > 2 ? std::atol(argv[2]) : 1000000;

  // A Tranco-shaped ranked list: "rank,domain".
  std::string list;
  for (long i = 0; i < entries; ++i) list += fmt::format("{},site{}.example{}.com\n", i + 1, i, i % 97);

  auto start = Clock::now();
  crowdfeed::Whitelist whitelist({{"ranking", true}});
  auto stats =
      crowdfeed::read_list(list, "auto", 0, "benchmark", [&](std::string&& domain) { whitelist.add(domain, 0); });
  double load = seconds_since(start);

  // Half the candidates are subdomains of listed sites, half are not listed.
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(candidates));
  for (long i = 0; i < candidates; ++i) {
    names.push_back(i % 2 == 0 ? fmt::format("www.login.site{}.example{}.com", i, i % 97)
                               : fmt::format("www.login.other{}.example{}.com", i, i % 97));
  }
  start = Clock::now();
  long matched = 0;
  for (const auto& name : names) matched += whitelist.match(name).has_value() ? 1 : 0;
  double match = seconds_since(start);

  fmt::print("load {} entries (parse, normalise, insert): {:.2f} s ({} kept)\n", entries, load, stats.entries);
  fmt::print("match {} candidates: {:.3f} s ({:.0f} ns each, {} matched)\n", candidates, match,
             match * 1e9 / static_cast<double>(candidates), matched);
  return 0;
}
