// Name-based UUIDs (RFC 9562 version 5: SHA-1 of a namespace and a name):
// the same name always gives the same UUID, so an object published again
// keeps its identity for consumers that deduplicate by it (STIX ids, MISP
// event and attribute uuids).
#pragma once

#include <string>
#include <string_view>

namespace crowdfeed {

// Whether `text` is a UUID in canonical form: 8-4-4-4-12 lower-case hex digits.
bool is_canonical_uuid(std::string_view text);

// The version 5 UUID of `name` in `namespace_uuid` (canonical form, which
// it must be; throws Error otherwise), in canonical form.
std::string uuid_v5(std::string_view namespace_uuid, std::string_view name);

}  // namespace crowdfeed
