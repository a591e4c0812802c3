// Name-based UUIDs (RFC 9562 version 5: SHA-1 of a namespace and a name):
// the same name always gives the same UUID, so an object published again
// keeps its identity for consumers that deduplicate by it (STIX ids, MISP
// event and attribute uuids).
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace crowdfeed {

// Whether `text` is a UUID in canonical form: 8-4-4-4-12 lower-case hex digits.
bool is_canonical_uuid(std::string_view text);

// The version 5 UUIDs of one namespace. Made once and asked for many
// names (a feed's every entry): the namespace is parsed once, and each
// name costs one SHA-1.
class NameBasedUuids {
 public:
  // `namespace_uuid` in canonical form; throws Error otherwise.
  explicit NameBasedUuids(std::string_view namespace_uuid);
  NameBasedUuids() = default;  // the nil namespace
  // The UUID of `name`, in canonical form.
  std::string operator()(std::string_view name) const;

 private:
  std::array<unsigned char, 16> namespace_{};
};

// The version 5 UUID of `name` in `namespace_uuid`.
inline std::string uuid_v5(std::string_view namespace_uuid, std::string_view name) {
  return NameBasedUuids(namespace_uuid)(name);
}

}  // namespace crowdfeed
