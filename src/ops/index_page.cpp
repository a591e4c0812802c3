#include "ops/index_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "feeds/formats.h"
#include "feeds/header.h"
#include "feeds/settings.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

constexpr auto kChartDays = std::chrono::days(30);
constexpr int kChartWidth = 520;
constexpr int kChartHeight = 160;
constexpr int kMargin = 40;

std::string human_size(std::uint64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024 * 1024));
}

// One line on what to do with a file, from its manifest format and the
// feed's verdict and type.
std::string import_hint(const ManifestFile& file, const std::vector<FeedSpec>& feeds) {
  if (file.format == "txt-added") return "indicators added since the previous version: apply as a delta";
  if (file.format == "txt-removed") return "indicators removed since the previous version: apply as a delta";
  if (file.feed == "excluded-domains") return "voted-malicious indicators the whitelist kept out, for review";
  // The files of the security tools that speak of the whole feed set.
  static constexpr std::pair<std::string_view, std::string_view> kSetFiles[] = {
      {"stix-delta", "the hour's added indicators and the week's revoked ones: apply as a delta"},
      {"misp-manifest", "MISP: a feed of format MISP Feed at URL/misp"},
      {"misp-hashes", "MISP's cache of the feed's values"},
      {"misp-feeds", "MISP: Sync Actions > Feeds > Import feeds from JSON"},
      {"suricata-rules", "suricata -S crowdfeed.rules, with default-rule-path where the lists are"},
      {"iprep-categories", "reputation-categories-file in suricata.yaml"},
      {"suricata-update", "suricata-update add-source crowdfeed URL/crowdfeed-suricata.tar.gz"},
  };
  for (const auto& [format, hint] : kSetFiles) {
    if (file.format == format) return std::string(hint);
  }
  const FeedFormat* format = find_feed_format(file.format);
  if (format == nullptr) return {};
  for (const FeedSpec& feed : feeds) {
    if (feed.name == file.feed) return std::string(format->import_hint(feed.verdict, feed.group));
  }
  return {};
}

// The files of one feed, each plain file with its .gz copy beside it.
struct FileRow {
  const ManifestFile* plain = nullptr;
  const ManifestFile* gzip = nullptr;
};
struct FeedRows {
  std::string feed;
  std::vector<FileRow> rows;
};

// The manifest's files grouped by feed, in the manifest's order; a .gz
// copy goes beside its plain file.
std::vector<FeedRows> group_files(const Manifest& manifest) {
  std::map<std::string_view, const ManifestFile*> by_name;
  for (const auto& file : manifest.files) by_name[file.name] = &file;
  auto is_copy = [&](const ManifestFile& file) {
    return file.format.ends_with("+gzip") && file.name.ends_with(".gz") &&
           by_name.contains(std::string_view(file.name).substr(0, file.name.size() - 3));
  };
  std::vector<FeedRows> groups;
  for (const auto& file : manifest.files) {
    if (is_copy(file)) continue;
    auto group =
        std::find_if(groups.begin(), groups.end(), [&](const FeedRows& rows) { return rows.feed == file.feed; });
    if (group == groups.end()) group = groups.insert(groups.end(), FeedRows{file.feed, {}});
    auto copy = by_name.find(file.name + ".gz");
    group->rows.push_back({&file, copy != by_name.end() && is_copy(*copy->second) ? copy->second : nullptr});
  }
  return groups;
}

// An inline SVG line chart of `feed`'s entries per hour over the (up to) 30
// days to `hour`.
std::string chart(const std::string& feed, const std::vector<HistoryRow>& history, TimePoint hour) {
  std::vector<const HistoryRow*> points;
  for (const auto& row : history) {
    if (row.feed == feed && row.hour >= hour - kChartDays && row.hour <= hour) points.push_back(&row);
  }
  // The x axis spans the 30 days, or less while the history is younger.
  TimePoint start = hour - std::chrono::hours(1);
  if (!points.empty() && points.front()->hour < start) start = points.front()->hour;
  const double span = std::chrono::duration<double>(hour - start).count();
  std::int64_t highest = 1;
  for (const auto* row : points) highest = std::max(highest, row->entries);
  const double plot_width = kChartWidth - 2 * kMargin;
  const double plot_height = kChartHeight - 2 * kMargin / 2;
  auto x = [&](TimePoint time) {
    return kMargin + plot_width * std::chrono::duration<double>(time - start).count() / span;
  };
  auto y = [&](std::int64_t entries) {
    return kMargin / 2 + plot_height * (1.0 - static_cast<double>(entries) / static_cast<double>(highest));
  };
  std::string line;
  for (const auto* row : points) line += fmt::format("{:.1f},{:.1f} ", x(row->hour), y(row->entries));
  std::string svg = fmt::format(
      "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" "
      "aria-label=\"{feed}: entries per hour over the last 30 days\" data-feed=\"{feed}\" data-points=\"{n}\">\n"
      "<title>{feed}: entries per hour over the last 30 days</title>\n"
      "<line class=\"axis\" x1=\"{m}\" y1=\"{top}\" x2=\"{m}\" y2=\"{bottom}\"/>\n"
      "<line class=\"axis\" x1=\"{m}\" y1=\"{bottom}\" x2=\"{right}\" y2=\"{bottom}\"/>\n"
      "<text x=\"{tx}\" y=\"{top_text}\" text-anchor=\"end\">{highest}</text>\n"
      "<text x=\"{tx}\" y=\"{bottom}\" text-anchor=\"end\">0</text>\n"
      "<text x=\"{m}\" y=\"{date_y}\">{from}</text>\n"
      "<text x=\"{right}\" y=\"{date_y}\" text-anchor=\"end\">{to}</text>\n",
      fmt::arg("w", kChartWidth), fmt::arg("h", kChartHeight), fmt::arg("feed", escape_markup(feed)),
      fmt::arg("n", points.size()), fmt::arg("m", kMargin), fmt::arg("top", kMargin / 2),
      fmt::arg("bottom", kMargin / 2 + static_cast<int>(plot_height)), fmt::arg("right", kChartWidth - kMargin),
      fmt::arg("tx", kMargin - 4), fmt::arg("top_text", kMargin / 2 + 4), fmt::arg("highest", highest),
      fmt::arg("date_y", kChartHeight - 4), fmt::arg("from", format_iso8601(start).substr(0, 16)),
      fmt::arg("to", format_iso8601(hour).substr(0, 16)));
  if (points.size() == 1) {
    svg += fmt::format("<circle class=\"series\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\"/>\n", x(points[0]->hour),
                       y(points[0]->entries));
  } else if (!points.empty()) {
    svg += fmt::format("<polyline class=\"series\" points=\"{}\"/>\n", line);
  }
  return svg + "</svg>\n";
}

// How to check the files' signatures, with the key that makes them and any
// announced beside it.
std::string signatures_section(const ManifestSigning& signing) {
  std::string key = escape_markup(signing.key.public_key);
  std::string page = fmt::format(
      R"(<h2 id="signatures">Signatures</h2>
<p><a href="SHA256SUMS.minisig">SHA256SUMS</a> and <a href="manifest.json.minisig">manifest.json</a> are signed with <a href="https://jedisct1.github.io/minisign/">minisign</a>{every}. Signing key <code class="key-id">{key_id}</code>:</p>
<pre class="public-key">{key}</pre>
<p>Check the files you downloaded (the trusted comment names the hour; it should be the latest):</p>
<pre>minisign -Vm SHA256SUMS -P {key} &amp;&amp; sha256sum -c --ignore-missing SHA256SUMS</pre>
<p>Take the key from the publisher's own channel, not only from this page: whoever could change the files could change this page too.</p>
<p>What the signatures cover: every file <a href="manifest.json">manifest.json</a> lists (the feeds, their delta lists and compressed copies, the exclusions), and the by-hash copies through their digests. What they do not: this page and <a href="archive/history.csv">archive/history.csv</a>, which only draw the history. Each hour under <code>archive/</code> keeps its manifest with that manifest's signature; <code>crowdfeed verify --archive HOUR URL</code> checks an archived hour's lists against them.</p>
)",
      fmt::arg("every",
               signing.every_file ? ", and so is every other file (its signature is NAME.minisig beside it)" : ""),
      fmt::arg("key_id", escape_markup(signing.key.key_id)), fmt::arg("key", key));
  for (const PublishedKey& announced : signing.announced) {
    page += fmt::format(
        R"(<p>Also announced: key <code class="key-id">{}</code>, <code class="announced-key">{}</code>, the next )"
        "signing key during a rotation (or the one just retired).</p>\n",
        escape_markup(announced.key_id), escape_markup(announced.public_key));
  }
  return page;
}

}  // namespace

std::string render_index_page(const FeedSettings& settings, const Manifest& manifest,
                              const std::vector<HistoryRow>& history) {
  std::string title = escape_markup(settings.title);
  const std::string& report_url = settings.report_url.empty() ? settings.homepage : settings.report_url;
  std::string page = fmt::format(R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} feeds</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1a1a1a; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.9rem; }}
th, td {{ text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #ddd; vertical-align: top; }}
td.number, td.time {{ text-align: right; white-space: nowrap; }}
td.name, td.gzip {{ white-space: nowrap; }}
.chart .axis {{ stroke: #888; }}
.chart .series {{ fill: none; stroke: #b3261e; stroke-width: 2; }}
.chart circle.series {{ fill: #b3261e; }}
.chart text {{ font-size: 11px; fill: #555; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 0 2rem; }}
figure {{ margin: 0; }}
figcaption {{ font-weight: bold; margin-top: 1rem; }}
tbody.feed th {{ background: #f2f2f2; font-size: 1rem; }}
</style>
</head>
<body>
<h1>{title} feeds</h1>
<p>Domains, IP addresses and file hashes that community voters voted malicious or non-malicious, published every hour. Version {version}, generated {generated}.</p>
<p>Licence: <a href="{licence_url}">{licence}</a>. {terms} Home: <a href="{homepage}">{homepage}</a>.</p>
<p>Every file is also kept under its SHA-256 in <code>by-hash/SHA256/</code>; for a consistent set, read <a href="manifest.json">manifest.json</a> and follow each file's <code>by_hash</code> path. Older hours are in <code>archive/YYYY/MM/DD/HH/</code>; their counts in <a href="archive/history.csv">archive/history.csv</a>.</p>
)",
                                 fmt::arg("title", title), fmt::arg("version", format_hour_version(manifest.hour)),
                                 fmt::arg("generated", format_iso8601(manifest.generated)),
                                 fmt::arg("licence_url", escape_markup(settings.licence_url)),
                                 fmt::arg("licence", escape_markup(settings.licence_name)),
                                 fmt::arg("terms", escape_markup(settings.terms)),
                                 fmt::arg("homepage", escape_markup(settings.homepage)));
  page += "<h2>Entries over the last 30 days</h2>\n<div class=\"charts\">\n";
  for (const FeedSpec& feed : feed_set(settings)) {
    page += fmt::format("<figure>\n<figcaption>{}</figcaption>\n", escape_markup(feed.name));
    page += chart(feed.name, history, manifest.hour);
    page += "</figure>\n";
  }
  page += "</div>\n";
  if (auto base = rpz_test_base(settings)) {
    page += fmt::format(
        "<p>Each RPZ zone answers a test entry: <code>dig {} A</code> through your resolver gives 127.0.0.2 "
        "(and a TXT naming the zone's version) once the zone is loaded.</p>\n",
        escape_markup(rpz_test_name(*base, "FEED")));
  }
  page += fmt::format(R"(<h2>Files</h2>
<p>Point each tool at the plain file: resolvers, Pi-hole, AdGuard Home, browser blockers and firewalls read no gzip (a web server's <code>Content-Encoding: gzip</code> still compresses the plain file on the wire). The <code>.gz</code> copies are for downloads by hand, <code>zcat</code> and tools that decompress lists themselves. Found a false positive? <a href="{report}">Report it</a>.</p>
<table id="files">
<thead><tr><th>Format</th><th>File</th><th>gzip</th><th>Entries</th><th>Size</th><th>Last modified</th><th>How to import</th></tr></thead>
)",
                      fmt::arg("report", escape_markup(report_url)));
  std::string base = settings.public_url;
  if (!base.empty() && !base.ends_with('/')) base += '/';
  const std::vector<FeedSpec> feeds = feed_set(settings);
  for (const FeedRows& group : group_files(manifest)) {
    page += fmt::format("<tbody class=\"feed\" data-feed=\"{feed}\">\n<tr><th colspan=\"7\">{feed}</th></tr>\n",
                        fmt::arg("feed", escape_markup(group.feed)));
    for (const FileRow& row : group.rows) {
      const ManifestFile& file = *row.plain;
      std::string gzip = row.gzip == nullptr ? "&mdash;"
                                             : fmt::format("<a href=\"{url}\">.gz</a> ({size})",
                                                           fmt::arg("url", escape_markup(base + row.gzip->name)),
                                                           fmt::arg("size", human_size(row.gzip->size)));
      page += fmt::format(
          "<tr class=\"file\"><td>{format}</td><td class=\"name\"><a href=\"{url}\">{name}</a></td><td "
          "class=\"gzip\">{gzip}</td>"
          "<td class=\"number\">{entries}</td><td class=\"number\">{size}</td><td class=\"time\">{modified}</td>"
          "<td>{hint}</td></tr>\n",
          fmt::arg("format", escape_markup(file.format)), fmt::arg("url", escape_markup(base + file.name)),
          fmt::arg("name", escape_markup(file.name)), fmt::arg("gzip", gzip), fmt::arg("entries", file.entries),
          fmt::arg("size", human_size(file.size)), fmt::arg("modified", format_iso8601(file.last_modified)),
          fmt::arg("hint", escape_markup(import_hint(file, feeds))));
    }
    page += "</tbody>\n";
  }
  page += R"(</table>
<p><a href="SHA256SUMS">SHA256SUMS</a> checks every file (<code>sha256sum -c SHA256SUMS</code>).</p>
)";
  if (manifest.signing) page += signatures_section(*manifest.signing);
  page += "</body>\n</html>\n";
  return page;
}

}  // namespace crowdfeed
