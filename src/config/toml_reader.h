// Reading a TOML table strictly (toml++): every key must be read by the
// code, with the right type, or finish() reports it, naming the file, the
// line and the full key, with the closest key the table knows.
#pragma once

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "util/error.h"
#include "util/text.h"

namespace crowdfeed {

// Reads one TOML table strictly: every key must be read by the code, with the
// right type, or finish() reports it, naming the file, line and full key.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string prefix, const std::filesystem::path& file)
      : table_(table), prefix_(std::move(prefix)), file_(file) {}

  template <typename T>
  void read(std::string_view key, T& out) {
    const toml::node* node = take(key);
    if (node == nullptr) return;
    if constexpr (std::is_same_v<T, std::string>) {
      out = expect<std::string>(*node, key, "a string");
    } else if constexpr (std::is_same_v<T, std::filesystem::path>) {
      out = expect<std::string>(*node, key, "a string");
    } else if constexpr (std::is_same_v<T, double>) {
      if (auto integer = node->value_exact<std::int64_t>()) {
        out = static_cast<double>(*integer);
      } else {
        out = expect<double>(*node, key, "a number");
      }
    } else if constexpr (std::is_same_v<T, int>) {
      auto value = expect<std::int64_t>(*node, key, "an integer");
      if (value < INT32_MIN || value > INT32_MAX) fail(*node, fmt::format("'{}' is out of range", full(key)));
      out = static_cast<int>(value);
    } else if constexpr (std::is_same_v<T, std::int64_t>) {
      out = expect<std::int64_t>(*node, key, "an integer");
    } else if constexpr (std::is_same_v<T, bool>) {
      out = expect<bool>(*node, key, "true or false");
    } else if constexpr (std::is_same_v<T, std::vector<std::string>> ||
                         std::is_same_v<T, std::vector<std::filesystem::path>>) {
      const toml::array* array = node->as_array();
      if (array == nullptr) fail(*node, fmt::format("'{}' must be an array of strings", full(key)));
      out.clear();
      for (const toml::node& element : *array) {
        out.emplace_back(expect<std::string>(element, key, "an array of strings"));
      }
    } else {
      static_assert(sizeof(T) == 0, "unsupported configuration type");
    }
  }

  // An array of tables ([[key]]); calls `read_one` with a reader for each.
  template <typename F>
  void read_tables(std::string_view key, F&& read_one) {
    const toml::node* node = take(key);
    if (node == nullptr) return;
    const toml::array* array = node->as_array();
    if (array == nullptr || !array->is_array_of_tables()) {
      fail(*node, fmt::format("'{}' must be an array of tables ([[{}]])", full(key), full(key)));
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      TableReader element(*array->get(i)->as_table(), fmt::format("{}[{}]", full(key), i), file_);
      read_one(element);
      element.finish();
    }
  }

  // Reads a required string; its absence is an error naming the table.
  void require(std::string_view key, std::string& out) {
    if (!table_.contains(key)) {
      throw UsageError(fmt::format("{}:{}: '{}' is required", file_.string(), table_.source().begin.line, full(key)));
    }
    read(key, out);
  }

  [[noreturn]] void fail_at(std::string_view key, const std::string& message) const { fail(*table_.get(key), message); }

  // A key of a type read() does not know (true, false or a word, say): the
  // node, marked as read; nullptr when absent. fail() reports on it.
  const toml::node* node(std::string_view key) { return take(key); }
  [[noreturn]] void fail(const toml::node& node, const std::string& message) const {
    throw UsageError(fmt::format("{}:{}: {}", file_.string(), node.source().begin.line, message));
  }

  // A sub-table; an absent one reads as empty.
  TableReader table(std::string_view key) {
    const toml::node* node = take(key);
    if (node == nullptr) return TableReader(empty_, full(key), file_);
    const toml::table* table = node->as_table();
    if (table == nullptr) fail(*node, fmt::format("'{}' must be a table", full(key)));
    return TableReader(*table, full(key), file_);
  }

  void finish() const {
    for (const auto& [key, node] : table_) {
      if (!read_.contains(std::string(key.str()))) {
        std::vector<std::string> known(read_.begin(), read_.end());
        fail(node, fmt::format("unknown key '{}'{}", full(key.str()), did_you_mean(key.str(), known)));
      }
    }
  }

 private:
  const toml::node* take(std::string_view key) {
    read_.insert(std::string(key));
    return table_.get(key);
  }

  template <typename T>
  T expect(const toml::node& node, std::string_view key, std::string_view type) const {
    auto value = node.value_exact<T>();
    if (!value) fail(node, fmt::format("'{}' must be {}", full(key), type));
    return *value;
  }

  std::string full(std::string_view key) const {
    return prefix_.empty() ? std::string(key) : fmt::format("{}.{}", prefix_, key);
  }

  static inline const toml::table empty_{};
  const toml::table& table_;
  std::string prefix_;
  const std::filesystem::path& file_;
  std::set<std::string> read_;
};

}  // namespace crowdfeed
