// The STIX 2.1 patterning language, as far as clustering reads it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crowdfeed {

// What a STIX 2.1 pattern names: the values of its comparisons
// "PATH = 'VALUE'" (in any observation, joined by AND, OR or FOLLOWEDBY,
// with or without qualifiers), each PATH a domain-name, ipv4-addr,
// ipv6-addr, url or network-traffic address value or an MD5, SHA-1 or
// SHA-256 file hash, its name in any case ("MD5", "md5", 'SHA-256',
// SHA256). Other comparisons (!=, LIKE, MATCHES, NOT, other paths) name
// nothing and are passed over. nullopt for a pattern that names nothing,
// or that is not a pattern (unbalanced brackets, a bad string literal).
struct StixValue {
  std::string type;  // a type name ClusterInput knows ("domain", "url", "sha256", ...)
  std::string value;
  bool operator==(const StixValue&) const = default;
};
std::optional<std::vector<StixValue>> read_stix_pattern(std::string_view pattern);

// The indicator type an object path names ("domain-name:value" a domain,
// "file:hashes.'SHA-256'" a SHA-256), "" for an address whose family the
// value tells, nullopt for a path that names no indicator. Hash names are
// read as python-stix2 reads them, whatever their case or hyphens.
std::optional<std::string> stix_path_type(std::string_view path);

}  // namespace crowdfeed
