// The table of the report readers (cluster/report_reader.h) that
// `crowdfeed cluster` reads published threat reports with:
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

#include <cstddef>
#include <filesystem>
#include <istream>
#include <string>
#include <string_view>

#include "cluster/input.h"
#include "cluster/report_reader.h"

namespace crowdfeed {

// The reader of that name; nullptr for "auto" and for a name no reader has.
const ReportReader* find_report_reader(std::string_view name);

// "auto" and every reader's name, comma-separated, for messages.
std::string report_reader_names();

// The reader of a file for "auto": by its extension, else by the first key
// in its first 64 KiB that only one format has ("Event" or "Attribute":
// MISP; "spec_version" or "objects": STIX; "indicators" or "results":
// OTX); OTX when none is found. The stream is left where it was.
const ReportReader& detect_report_reader(std::istream& in, const std::filesystem::path& file);

// Reads `file` with `reader`, or with the detected reader when it is
// nullptr.
void read_reports(const std::filesystem::path& file, const ReportReader* reader, ClusterInput& input,
                  ReadProblems& problems, std::size_t max_record_bytes = kDefaultMaxRecordBytes);

// The same from a stream that `file` names in messages (it must allow one
// seek back to its start).
void read_reports(std::istream& in, const std::filesystem::path& file, const ReportReader* reader, ClusterInput& input,
                  ReadProblems& problems, std::size_t max_record_bytes = kDefaultMaxRecordBytes);

}  // namespace crowdfeed
