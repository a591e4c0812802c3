// Readers of published threat reports, each streaming its file into a
// ClusterInput: a bad record is reported with its file and position and
// skipped; a file that cannot be read at all is an Error.
//   csv: rows "report,indicator[,type]" (a header row naming them is optional)
//   otx: AlienVault OTX pulses as its API returns them: {"results": [...]}, a
//        JSON array of pulses, one pulse, or JSON Lines (one pulse a line);
//        each pulse with "id", "name" and "indicators" of {"type", "indicator"}
//   misp: MISP events: {"Event": {...}}, {"response": [{"Event": ...}, ...]}
//        (restSearch) or an array of them; each event's "Attribute"s and the
//        attributes of its "Object"s, composite types ("domain|ip") split
//   stix: a STIX 2.1 bundle: each "report" and the indicators (simple
//        patterns only: [domain-name:value = '...'], ... joined by OR) and
//        observables its object_refs name; other patterns counted, not read
// JSON is streamed: one report (OTX pulse, MISP event, STIX object) is held
// in memory at a time.
#pragma once

#include <filesystem>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "cluster/input.h"

namespace crowdfeed {

enum class ReportFormat { kAuto, kOtx, kMisp, kStix, kCsv };

// "auto", "otx", "misp", "stix" or "csv".
std::optional<ReportFormat> parse_report_format(std::string_view name);

// The format of a file for "auto": csv by its extension, else by the first
// key in its first 64 KiB that only one format has ("Event" or "Attribute":
// MISP; "spec_version" or "objects": STIX; otherwise OTX). The stream is
// left where it was.
ReportFormat detect_report_format(std::istream& in, const std::filesystem::path& file);

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

// Problems with records, "FILE:POSITION: reason".
struct ReadProblems {
  std::uint64_t count = 0;
  std::vector<std::string> first;  // the first 20
  void add(std::string problem);
};

// A JSON record (a pulse, an event, a STIX object) larger than this once
// parsed (an estimate of its memory, about four times its text for a
// typical event) is skipped and reported rather than built: 256 MiB by
// default, cluster.max_record_mib.
inline constexpr std::size_t kDefaultMaxRecordBytes = std::size_t{256} << 20;

void read_reports(const std::filesystem::path& file, ReportFormat format, ClusterInput& input, ReadProblems& problems,
                  std::size_t max_record_bytes = kDefaultMaxRecordBytes);

// The same from a stream that `file` names in messages (it must allow one
// seek back to its start).
void read_reports(std::istream& in, const std::filesystem::path& file, ReportFormat format, ClusterInput& input,
                  ReadProblems& problems,
                  std::size_t max_record_bytes = kDefaultMaxRecordBytes);

}  // namespace crowdfeed
