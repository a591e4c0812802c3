// The family of feed file syntaxes: one small writer per syntax behind this
// interface, each in its own format_*.cpp, all registered in formats.cpp.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/feed.h"
#include "feeds/header.h"
#include "util/output.h"

namespace crowdfeed {

// Everything a writer needs for one file.
struct FeedDocument {
  const Feed& feed;
  const std::vector<HeaderField>& header;
};

class FeedFormat {
 public:
  virtual ~FeedFormat() = default;
  // The name used in the configuration and the manifest, e.g. "txt".
  virtual std::string_view name() const = 0;
  // The file this format writes for `feed`, e.g. "malicious-domains.txt".
  virtual std::string file_name(const Feed& feed) const = 0;
  // Streams the whole file, header first, to `out`.
  virtual void write(const FeedDocument& document, Output& out) const = 0;
};

}  // namespace crowdfeed
