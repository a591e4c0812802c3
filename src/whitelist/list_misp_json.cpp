// MISP warninglists: a JSON object with "name", "type" and "list". The
// "hostname" and "string" types list domains, "cidr" IP addresses and
// ranges; the others (regex, substring) are refused rather than misread.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "whitelist/list_format.h"

namespace crowdfeed {
namespace {

class MispJsonList : public ListFormat {
 public:
  std::string_view name() const override { return "misp-json"; }

  bool detect(std::string_view content) const override {
    auto start = content.find_first_not_of(" \t\r\n");
    return start != std::string_view::npos && content[start] == '{';
  }

  void parse(std::string_view content, const ListEntrySink& on_entry) const override {
    auto json = nlohmann::json::parse(content, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) throw Error("not a JSON object");
    auto list = json.find("list");
    if (list == json.end() || !list->is_array()) throw Error("a MISP warninglist needs a \"list\" array");
    std::string type = json.value("type", "string");
    if (type != "hostname" && type != "string" && type != "cidr") {
      throw Error(fmt::format(
          "MISP warninglist type {:?} lists neither domains (hostname, string) nor addresses (cidr)", type));
    }
    IndicatorGroup group = type == "cidr" ? IndicatorGroup::kIp : IndicatorGroup::kDomain;
    for (const auto& element : *list) {
      std::string_view text = element.is_string() ? std::string_view(element.get_ref<const std::string&>()) : "";
      if (!on_entry({text, 0, 0, group})) return;
    }
  }
};

}  // namespace

std::unique_ptr<ListFormat> make_misp_json_list() {
  return std::make_unique<MispJsonList>();
}

}  // namespace crowdfeed
