// crowdfeed serve: the public vote API (see serve/server.h), until SIGTERM
// or SIGINT; then the connections close and queued votes are committed.
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <memory>

#include "cli/commands.h"
#include "config/state_layout.h"
#include "serve/server.h"
#include "util/error.h"

namespace crowdfeed {
namespace {

std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) {
  stop_requested.store(true);
}

struct ServeOptions {
  std::string listen;
};

int run_serve(const GlobalOptions& global, const ServeOptions& options) {
  Config config = load_configuration(global);
  if (!options.listen.empty()) config.serve.listen = options.listen;
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  serve_votes({config.serve, config.votes, config.policy, StateLayout(config.state_dir).anonymous_key(), config.feeds,
               config.whitelist, config.state_dir, config.cluster.output},
              stop_requested);
  return kExitOk;
}

}  // namespace

Command add_serve_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* command = app.add_subcommand("serve", "serve the public vote API (vote.php and /api/v1) over HTTP");
  command->add_option("--listen", options->listen, "ADDRESS:PORT to listen on (default: serve.listen, 127.0.0.1:8080)");
  return {command, [&global, options] { return run_serve(global, *options); }, {}};
}

}  // namespace crowdfeed
