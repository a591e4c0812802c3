#include "feeds/formats.h"

namespace crowdfeed {

const std::vector<std::unique_ptr<FeedFormat>>& feed_formats() {
  static const std::vector<std::unique_ptr<FeedFormat>> formats = [] {
    std::vector<std::unique_ptr<FeedFormat>> all;
    all.push_back(make_plain_format());
    return all;
  }();
  return formats;
}

}  // namespace crowdfeed
