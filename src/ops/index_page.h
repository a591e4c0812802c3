// feeds/index.html: what a person sees who opens the feeds' URL in a
// browser. A static, self-contained page (no script, no external request):
// every published file with its link, size, entries, Last-Modified, licence
// and a one-line import hint, and for each feed an inline SVG chart of its
// entries over the last 30 days.
#pragma once

#include <string>
#include <vector>

#include "config/settings.h"
#include "feeds/manifest.h"
#include "ops/history.h"

namespace crowdfeed {

std::string render_index_page(const FeedSettings& settings, const Manifest& manifest,
                              const std::vector<HistoryRow>& history);

}  // namespace crowdfeed
