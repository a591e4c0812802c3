#include "serve/vote_body.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

#include "util/text.h"

namespace crowdfeed {
namespace {

using json = nlohmann::json;

// Builds VoteFields from nlohmann's SAX events; returning false stops the
// parser at once.
class VoteBodyReader final : public nlohmann::json_sax<json> {
 public:
  explicit VoteBodyReader(std::size_t max_votes) : max_votes_(max_votes) {}

  bool null() override { return scalar("null"); }
  bool boolean(bool value) override { return scalar(value ? "true" : "false"); }
  bool number_integer(number_integer_t value) override { return integer(std::to_string(value)); }
  bool number_unsigned(number_unsigned_t value) override { return integer(std::to_string(value)); }
  bool number_float(number_float_t, const string_t& text) override { return scalar(text); }
  bool binary(binary_t&) override { return scalar("binary"); }
  bool string(string_t& value) override {
    if (!in_vote()) return refuse(shape_problem());
    if (std::optional<std::string>* field = current_field()) *field = std::move(value);
    return true;
  }

  bool start_object(std::size_t) override {
    if (depth_ == 0) {
      vote_depth_ = 1;  // a single vote
    } else if (depth_ == 1 && vote_depth_ == 2) {
      if (body_.votes.size() == max_votes_) {
        error_ = {fmt::format("more than {} votes in one request (serve.max_batch)", max_votes_), true};
        return false;
      }
    } else {
      return refuse(fmt::format("vote {} holds an object in {}; fields are strings or integers", index(), key_name()));
    }
    body_.votes.emplace_back();
    seen_.clear();
    key_ = Key::kNone;
    ++depth_;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_ == 0) {
      vote_depth_ = 2;  // an array of votes
      ++depth_;
      return true;
    }
    if (!in_vote()) return refuse(shape_problem());
    return refuse(fmt::format("vote {} holds an array in {}; fields are strings or integers", index(), key_name()));
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool key(string_t& name) override {
    key_ = Key::kOther;
    if (name == "value") key_ = Key::kValue;
    if (name == "vote") key_ = Key::kVote;
    if (name == "type") key_ = Key::kType;
    key_text_ = name;
    // {"value": "benign", "value": "evil"} would be read by some parsers
    // one way, by others the other: a key given twice is refused.
    if (!seen_.insert(std::move(name)).second) {
      return refuse(fmt::format("vote {} gives the key {} twice", index(), quote_text(printable(key_text_, 100))));
    }
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    error_ = {fmt::format("the body is not JSON (at byte {})", position), false};
    return false;
  }

  std::variant<VoteBody, VoteBodyError> result(bool parsed) {
    if (!error_.message.empty()) return error_;
    if (!parsed) return VoteBodyError{"the body is not JSON", false};
    if (body_.votes.empty()) return VoteBodyError{shape_, false};
    return std::move(body_);
  }

 private:
  enum class Key { kNone, kValue, kVote, kType, kOther };

  std::optional<std::string>* current_field() {
    VoteFields& vote = body_.votes.back();
    switch (key_) {
      case Key::kValue:
        return &vote.value;
      case Key::kVote:
        return &vote.vote;
      case Key::kType:
        return &vote.type;
      default:
        return nullptr;
    }
  }
  bool in_vote() const { return depth_ > 0 && depth_ == vote_depth_; }
  bool integer(std::string text) {
    if (in_vote() && key_ == Key::kVote) {
      body_.votes.back().vote = std::move(text);
      return true;
    }
    return scalar(text);
  }
  // A number, boolean or null: allowed only in a key that is not read;
  // in a field, the vote names it.
  bool scalar(std::string_view text) {
    if (!in_vote()) return refuse(shape_problem());
    VoteFields& vote = body_.votes.back();
    if (current_field() != nullptr && vote.problem.empty()) {
      vote.problem =
          fmt::format("{} must be {}, not {}", key_text_,
                      key_ == Key::kVote ? "0 or 1 (a string or an integer)" : "a string", printable(text, 100));
    }
    return true;
  }
  // A value where a vote object should be.
  std::string shape_problem() const {
    if (depth_ == 0) return shape_;
    return fmt::format("vote {} is not an object {{\"value\": ..., \"vote\": 0 or 1}}", body_.votes.size());
  }
  std::size_t index() const { return body_.votes.empty() ? 0 : body_.votes.size() - 1; }
  std::string key_name() const { return quote_text(printable(key_text_, 100)); }
  bool refuse(std::string message) {
    error_ = {std::move(message), false};
    return false;
  }

  const std::string shape_ = "the body is a vote object or a non-empty array of them";
  std::size_t max_votes_;
  VoteBody body_;
  VoteBodyError error_;
  int depth_ = 0;       // containers open
  int vote_depth_ = 0;  // where a vote's fields are: 1 for a single vote, 2 in an array
  Key key_ = Key::kNone;
  std::string key_text_;
  std::set<std::string> seen_;
};

}  // namespace

std::variant<VoteBody, VoteBodyError> parse_vote_body(std::string_view body, std::size_t max_votes) {
  VoteBodyReader reader(max_votes);
  bool parsed = json::sax_parse(body.begin(), body.end(), &reader, json::input_format_t::json, true);
  return reader.result(parsed);
}

}  // namespace crowdfeed
