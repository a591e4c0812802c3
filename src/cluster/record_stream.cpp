#include "cluster/record_stream.h"

namespace crowdfeed {

std::string text_of(const nlohmann::json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end()) return {};
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number()) return found->dump();
  return {};
}

}  // namespace crowdfeed
