#include "cluster/input.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "util/text.h"
#include "util/url.h"

namespace crowdfeed {
namespace {

constexpr std::size_t kRefusedExamples = 20;
constexpr std::size_t kBatchesAhead = 8;  // batches the reader may be ahead

void intern(InternedIndicators& interned, ClusterInput::Pending& batch) {
  // Most values are new, and most lookups miss the processor's cache: the
  // slot of the value a few places ahead is fetched while this one is
  // looked up.
  constexpr std::size_t kAhead = 8;
  std::vector<absl::string_view> values;
  values.reserve(batch.items.size());
  std::uint32_t start = 0;
  for (const auto& item : batch.items) {
    values.emplace_back(batch.values.data() + start, item.end - start);
    start = item.end;
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i + kAhead < values.size()) interned.index.prefetch(values[i + kAhead]);
    const auto& item = batch.items[i];
    auto found = interned.index.lazy_emplace(values[i], [&](const auto& construct) {
      std::string_view stored = interned.values.store({values[i].data(), values[i].size()});
      construct(absl::string_view(stored.data(), stored.size()),
                static_cast<std::uint32_t>(interned.indicators.size()));
      interned.indicators.push_back({stored, item.type});
    });
    interned.links.emplace_back(item.report, found->second);
  }
  batch.items.clear();
  batch.values.clear();
}

}  // namespace

// The second thread: takes batches from a bounded queue and interns them.
class ClusterInput::Interning {
 public:
  explicit Interning(InternedIndicators& interned) : thread_([this, &interned] { run(interned); }) {}
  ~Interning() {
    if (!thread_.joinable()) return;
    close();
    thread_.join();
  }
  Interning(const Interning&) = delete;
  Interning& operator=(const Interning&) = delete;

  void push(Pending&& batch) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.size() < kBatchesAhead || failure_; });
    if (failure_) std::rethrow_exception(failure_);
    queue_.push_back(std::move(batch));
    changed_.notify_all();
  }
  // Waits for the queue to empty and the thread to end.
  void finish() {
    close();
    thread_.join();
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }
  void run(InternedIndicators& interned) {
    try {
      for (;;) {
        Pending batch;
        {
          std::unique_lock lock(mutex_);
          changed_.wait(lock, [&] { return !queue_.empty() || closed_; });
          if (queue_.empty()) return;
          batch = std::move(queue_.front());
          queue_.pop_front();
          changed_.notify_all();
        }
        intern(interned, batch);
      }
    } catch (...) {
      std::lock_guard lock(mutex_);
      failure_ = std::current_exception();
      changed_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Pending> queue_;
  bool closed_ = false;
  std::exception_ptr failure_;
  std::thread thread_;  // last: it starts once the rest is ready
};

ClusterInput::ClusterInput(std::size_t batch)
    : batch_(std::max<std::size_t>(batch, 1)), interned_(std::make_unique<InternedIndicators>()) {}
ClusterInput::~ClusterInput() = default;
ClusterInput::ClusterInput(ClusterInput&&) noexcept = default;
ClusterInput& ClusterInput::operator=(ClusterInput&&) noexcept = default;

void ClusterInput::finish() {
  if (interning_) {
    if (!pending_.items.empty()) interning_->push(std::move(pending_));
    pending_ = {};
    auto interning = std::move(interning_);
    interning->finish();
  }
  intern(*interned_, pending_);
}

const InternedIndicators& ClusterInput::finished() const {
  if (interning_ || !pending_.items.empty()) throw std::logic_error("ClusterInput: finish() before reading indicators");
  return *interned_;
}

std::string_view StringArena::store(std::string_view text) {
  if (text.size() > left_) {
    std::size_t size = std::max(kBlock, text.size());
    blocks_.push_back(std::make_unique<char[]>(size));
    next_ = blocks_.back().get();
    left_ = size;
  }
  std::copy(text.begin(), text.end(), next_);
  std::string_view stored(next_, text.size());
  next_ += text.size();
  left_ -= text.size();
  return stored;
}

SourceKind source_kind(std::string_view source_type, IndicatorType& type) {
  if (source_type.empty()) return SourceKind::kDetect;
  auto is = [&](std::string_view name) { return equal_ignoring_ascii_case(source_type, name); };
  if (is("url") || is("uri")) return SourceKind::kUrl;
  // OTX's names, MISP's attribute types, then crowdfeed's own.
  static const std::pair<std::string_view, IndicatorType> kNames[] = {
      {"domain", IndicatorType::kDomain},
      {"hostname", IndicatorType::kDomain},
      {"ipv4", IndicatorType::kIpv4},
      {"ipv6", IndicatorType::kIpv6},
      {"filehash-md5", IndicatorType::kMd5},
      {"filehash-sha1", IndicatorType::kSha1},
      {"filehash-sha256", IndicatorType::kSha256},
      {"md5", IndicatorType::kMd5},
      {"sha1", IndicatorType::kSha1},
      {"sha256", IndicatorType::kSha256},
      {"ip-dst", IndicatorType::kIpv4},
      {"ip-src", IndicatorType::kIpv4},
      {"ip", IndicatorType::kIpv4},  // the second part of MISP's "domain|ip"
  };
  for (const auto& [known, known_type] : kNames) {
    if (is(known)) {
      type = known_type;
      // MISP's ip-dst, ip-src and ip hold either family: told from the value.
      return known.starts_with("ip") ? SourceKind::kDetect : SourceKind::kIndicator;
    }
  }
  return SourceKind::kUnsupported;
}

std::uint32_t ClusterInput::add_report(std::string_view id, std::string_view name) {
  // Rows of one report come together: the same id as last time needs no lookup.
  if (last_report_ < reports_.size() && reports_[last_report_].id == id &&
      (name.empty() || !reports_[last_report_].name.empty())) {
    return last_report_;
  }
  auto [found, inserted] = report_index_.try_emplace(std::string(id), static_cast<std::uint32_t>(reports_.size()));
  if (inserted) {
    reports_.push_back({std::string(id), std::string(name)});
  } else if (reports_[found->second].name.empty()) {
    reports_[found->second].name = name;
  }
  last_report_ = found->second;
  return found->second;
}

void ClusterInput::add_indicator(std::uint32_t report, std::string_view value, std::string_view source_type,
                                 absl::FunctionRef<std::string()> position) {
  ++occurrences;
  IndicatorType type = IndicatorType::kDomain;
  SourceKind kind = source_kind(source_type, type);
  if (kind == SourceKind::kUnsupported) {
    ++unsupported[std::string(source_type)];
    return;
  }
  // A URL's host, as written, passes the same rules as a bare indicator;
  // a message quotes the whole URL, as the file holds it.
  const std::string_view as_read = value;
  if (kind == SourceKind::kUrl) {
    value = url_host_as_written(value);
    kind = SourceKind::kDetect;
    if (value.empty()) {
      if (++refused <= kRefusedExamples) {
        refused_examples.push_back(fmt::format("{}: {} is a URL with no host", position(), quote_text(as_read)));
      }
      return;
    }
  }
  NormalisedIndicator normalised =
      normalise_indicator(value, kind == SourceKind::kIndicator ? std::optional(type) : std::nullopt);
  if (!normalised.ok()) {
    if (++refused <= kRefusedExamples) {
      refused_examples.push_back(value.size() == as_read.size()
                                     ? fmt::format("{}: {} {}", position(), quote_text(as_read), normalised.problem)
                                     : fmt::format("{}: {}: its host {} {}", position(), quote_text(as_read),
                                                   quote_text(value), normalised.problem));
    }
    return;
  }
  pending_.values += normalised.value;
  pending_.items.push_back({report, normalised.type, static_cast<std::uint32_t>(pending_.values.size())});
  if (pending_.items.size() >= batch_) {
    if (!interning_) interning_ = std::make_unique<Interning>(*interned_);
    interning_->push(std::move(pending_));
    pending_ = {};
  }
}

}  // namespace crowdfeed
