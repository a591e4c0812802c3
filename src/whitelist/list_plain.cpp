// Plain lists: one domain a line; '#' and '!' start comments (whole-line or
// after the domain); blank lines are skipped.
#include "whitelist/list_format.h"

namespace crowdfeed {
namespace {

class PlainList : public ListFormat {
 public:
  std::string_view name() const override { return "plain"; }

  bool detect(std::string_view) const override { return true; }

  void parse(std::string_view content, const ListEntrySink& on_entry) const override {
    for_each_line(content, [&](std::string_view line, std::size_t number) {
      if (auto comment = line.find_first_of("#!"); comment != std::string_view::npos) line = line.substr(0, comment);
      auto begin = line.find_first_not_of(" \t");
      if (begin == std::string_view::npos) return true;
      auto end = line.find_last_not_of(" \t");
      return on_entry({line.substr(begin, end - begin + 1), number, 0, std::nullopt});
    });
  }
};

}  // namespace

std::unique_ptr<ListFormat> make_plain_list() {
  return std::make_unique<PlainList>();
}

}  // namespace crowdfeed
