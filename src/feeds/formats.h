// The table of feed formats. A new syntax is one new format_*.cpp with its
// factory declared here, and one line in formats.cpp.
#pragma once

#include <memory>
#include <vector>

#include "feeds/format.h"

namespace crowdfeed {

// Every format, in the order files are written.
const std::vector<std::unique_ptr<FeedFormat>>& feed_formats();

// The format called `name`; nullptr when there is none.
const FeedFormat* find_feed_format(std::string_view name);

// Factories, one per format file.
std::unique_ptr<FeedFormat> make_plain_format();                       // format_txt.cpp
std::unique_ptr<FeedFormat> make_hosts_format();                       // format_hosts.cpp
std::unique_ptr<FeedFormat> make_adblock_format();                     // format_adblock.cpp
std::unique_ptr<FeedFormat> make_rpz_format();                         // format_rpz.cpp
std::unique_ptr<FeedFormat> make_unbound_format();                     // format_unbound.cpp
std::unique_ptr<FeedFormat> make_dnsmasq_format();                     // format_dnsmasq.cpp
std::unique_ptr<FeedFormat> make_csv_format();                         // format_csv.cpp
std::unique_ptr<FeedFormat> make_json_format();                        // format_json.cpp
std::unique_ptr<FeedFormat> make_zeek_format();                        // format_zeek.cpp
std::unique_ptr<FeedFormat> make_ipset_format();                       // format_ipset.cpp
std::unique_ptr<FeedFormat> make_nft_format();                         // format_nft.cpp
std::unique_ptr<FeedFormat> make_clamav_format();                      // format_clamav.cpp
std::unique_ptr<FeedFormat> make_stix_format();                        // format_stix.cpp
std::unique_ptr<FeedFormat> make_squid_format();                       // format_squid.cpp
std::unique_ptr<FeedFormat> make_mikrotik_format();                    // format_mikrotik.cpp
std::unique_ptr<FeedFormat> make_checkpoint_format();                  // format_checkpoint.cpp
std::unique_ptr<FeedFormat> make_misp_format();                        // format_misp.cpp
std::unique_ptr<FeedFormat> make_suricata_dataset_format();            // format_suricata_dataset.cpp
std::unique_ptr<FeedFormat> make_iprep_format();                       // format_iprep.cpp
std::unique_ptr<FeedFormat> make_filehash_format(IndicatorType type);  // format_filehash.cpp

// The formats `feed` is published in, in the table's order: those its
// entry in the feed set names that can carry its verdict. Throws when the
// feed is not in the set or names a format that cannot hold it.
std::vector<const FeedFormat*> formats_of(const FeedSettings& settings, const Feed& feed);

// The formats' names, comma-separated, for messages.
std::string format_names();

// For an unknown format name: "; did you mean 'rpz'?" or "; bind reads the
// 'rpz' format", or empty.
std::string unknown_format_hint(std::string_view name);

}  // namespace crowdfeed
