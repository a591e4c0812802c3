// The run report as Prometheus metrics in the text exposition format, for
// node_exporter's textfile collector: the file is replaced atomically after
// every run, so a scrape never reads half of it.
#pragma once

#include <string>

#include "ops/run_report.h"

namespace crowdfeed {

std::string render_metrics(const RunReport& report);

}  // namespace crowdfeed
