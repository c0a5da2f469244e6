// Options `resolve`, `report` and `run` share: --as-of and --state-dir, and
// the step that turns them into a resolved Session.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/command.hpp"
#include "resolve/session.hpp"

namespace driftlock::cli {

struct ResolveFlags {
  std::string manifest;
  std::string as_of;
  std::string state_dir;
};

void add_resolve_options(CLI::App& app, ResolveFlags& flags);

// Resolves the manifest; dependency failures become one Error (exit 3 when
// any is a registry failure, else 2) naming each; warnings go to `err`.
Result<resolve::Session> resolve_for_command(Context& context, const ResolveFlags& flags,
                                             PublishTimes times);

}  // namespace driftlock::cli
