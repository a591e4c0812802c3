// Prometheus' text exposition format (version 0.0.4): what the publish
// run's textfile and the vote server's /metrics are written in.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace crowdfeed {

// A label value with \, " and line breaks escaped, as the format requires.
std::string prometheus_label(std::string_view value);

// Collects metric families: HELP and TYPE once, then the samples.
class PrometheusText {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    text_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  // `labels` is the text between the braces (name="value",...), or empty.
  template <typename T>
  void sample(std::string_view name, T value, std::string_view labels = {}) {
    text_ += labels.empty() ? fmt::format("{} {}\n", name, value) : fmt::format("{}{{{}}} {}\n", name, labels, value);
  }
  std::string text() && { return std::move(text_); }

 private:
  std::string text_;
};

}  // namespace crowdfeed
