// The family of feed file syntaxes: one small writer per syntax behind this
// interface, each in its own format_*.cpp, all registered in formats.cpp.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.h"
#include "feeds/feed.h"
#include "feeds/header.h"
#include "util/output.h"

namespace crowdfeed {

// Everything a writer needs for one file.
struct FeedDocument {
  const Feed& feed;
  const std::vector<HeaderField>& header;
  const FeedSettings& settings;
  TimePoint last_modified;
  // This file as last published (its by-hash copy), for a syntax that
  // carries something forward from it (a MISP attribute keeps its
  // timestamp while it is unchanged); empty when there is none.
  std::filesystem::path previous = {};
};

class FeedFormat {
 public:
  virtual ~FeedFormat() = default;
  // The name used in the configuration and the manifest, e.g. "txt".
  virtual std::string_view name() const = 0;
  // One line telling an importer where a feed of this verdict goes (the
  // index page shows it).
  virtual std::string_view import_hint(Verdict verdict, IndicatorGroup group) const = 0;
  // What the header's "Syntax" line says: "AdBlock", "hosts file".
  virtual std::string_view syntax() const = 0;
  // Whether a consumer of this syntax applies a listed domain to its
  // subdomains too (RPZ's wildcard, Unbound's local-zone, dnsmasq,
  // AdBlock's ||domain^), or only to the exact name (hosts, txt, CSV).
  virtual bool covers_subdomains() const { return false; }
  // Whether this syntax can hold indicators of `group` (a hosts file holds
  // domains only; an ipset file addresses only).
  virtual bool accepts(IndicatorGroup group) const = 0;
  // The file this format writes for `feed`, e.g. "malicious-domains.txt".
  // (A name may come from the deployment's settings: a MISP event's file
  // is named by a UUID derived from the homepage.)
  virtual std::string file_name(const Feed& feed, const FeedSettings& settings) const = 0;
  // Why a feed cannot have this name in this syntax (an ipset set name's
  // length); empty when it can.
  virtual std::string feed_name_problem(const std::string&) const { return {}; }
  // The name this syntax gives a feed's object in a namespace its consumer
  // shares between feeds (an nftables set in the table inet crowdfeed, an
  // ipset set); two feeds must not get the same one. Empty: none.
  virtual std::string shared_object_name(const std::string&) const { return {}; }
  // Whether this syntax can carry `feed` with its meaning intact: a hosts
  // file can only block, so it is published for the malicious feed alone.
  virtual bool publishes(const Feed&) const { return true; }
  // The entries this syntax writes of `feed`, when they are not all of
  // them: Check Point's IP type holds IPv4 only, a Squid ACL file refuses
  // an entry its listed parent covers. Publishing writes (and the header
  // counts) these instead of the feed's. nullopt: every entry.
  virtual std::optional<Feed> selection(const Feed& /*feed*/) const { return std::nullopt; }
  // How old a file of this syntax may grow unchanged: once it is, it is
  // written anew with a new version, because its content says until when
  // it holds (STIX's valid_until). nullopt: a file stays while unchanged.
  virtual std::optional<std::chrono::hours> refresh_after() const { return std::nullopt; }
  // Streams the whole file, header first, to `out`.
  virtual void write(const FeedDocument& document, Output& out) const = 0;
};

// Every format that accepts any group accepts all three.
inline bool any_group(IndicatorGroup) {
  return true;
}
inline bool domains_only(IndicatorGroup group) {
  return group == IndicatorGroup::kDomain;
}

// Writes the header fields as comment lines: "PREFIX Name: value".
void write_comment_header(const FeedDocument& document, std::string_view prefix, Output& out);
void write_comment_header(const FeedDocument& document, std::string_view prefix, LineBuffer& lines);

}  // namespace crowdfeed
