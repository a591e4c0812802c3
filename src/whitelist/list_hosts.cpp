// Hosts files: "ADDRESS NAME [NAME...]" with '#' comments, as in /etc/hosts
// and the blocklists built on it ("0.0.0.0 domain", "127.0.0.1 domain").
#include <arpa/inet.h>

#include <array>
#include <string>

#include "whitelist/list_format.h"

namespace crowdfeed {
namespace {

bool is_address(std::string_view text) {
  std::string address(text);
  std::array<unsigned char, 16> buffer{};
  return inet_pton(AF_INET, address.c_str(), buffer.data()) == 1 ||
         inet_pton(AF_INET6, address.c_str(), buffer.data()) == 1;
}

// Names every hosts file carries for the machine itself, not entries.
bool is_local_name(std::string_view name) {
  return name == "localhost" || name == "localhost.localdomain" || name == "local" || name == "broadcasthost" ||
         name.starts_with("ip6-") || name == "0.0.0.0";
}

class HostsList : public ListFormat {
 public:
  std::string_view name() const override { return "hosts"; }

  bool detect(std::string_view content) const override {
    // An address followed by a name: a line with an address alone is a
    // plain list of addresses (an IP whitelist), not a hosts file.
    std::string_view line = first_content_line(content, "#");
    auto gap = line.find_first_of(" \t");
    if (gap == std::string_view::npos || !is_address(line.substr(0, gap))) return false;
    auto name = line.find_first_not_of(" \t", gap);
    return name != std::string_view::npos && line[name] != '#';
  }

  void parse(std::string_view content, const ListEntrySink& on_entry) const override {
    for_each_line(content, [&](std::string_view line, std::size_t number) {
      if (auto comment = line.find('#'); comment != std::string_view::npos) line = line.substr(0, comment);
      bool first = true;
      while (true) {
        auto begin = line.find_first_not_of(" \t");
        if (begin == std::string_view::npos) return true;
        line.remove_prefix(begin);
        std::string_view word = line.substr(0, line.find_first_of(" \t"));
        line.remove_prefix(word.size());
        if (first) {
          first = false;
          // A line that does not start with an address is passed on whole,
          // so that normalisation reports it as an invalid entry.
          if (!is_address(word)) return on_entry({word, number, 0, std::nullopt});
          continue;
        }
        if (!is_local_name(word) && !on_entry({word, number, 0, std::nullopt})) return false;
      }
    });
  }
};

}  // namespace

std::unique_ptr<ListFormat> make_hosts_list() {
  return std::make_unique<HostsList>();
}

}  // namespace crowdfeed
