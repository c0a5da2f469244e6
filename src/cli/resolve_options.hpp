// The step `resolve`, `report` and `run` share: -m, --as-of and --state-dir
// turned into a resolved Session.
#pragma once

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/report.hpp"
#include "resolve/session.hpp"

namespace driftlock::cli {

// Resolves the manifest; dependency failures become one Error (exit 3 when
// any is a registry failure, else 2) naming each; warnings go to `err`.
// --wait SECONDS: how long to wait for another run's lock, saying so once.
store::LockWait lock_wait(Context& context, const Args& args);

// `on_locked`: see resolve::SessionOptions (run finishes an earlier run's shipment).
Result<resolve::Session> resolve_for_command(
    Context& context, const Args& args, PublishTimes times,
    store::Locking locking = store::Locking::exclusive,
    std::function<Result<bool>(const Manifest&, store::StateDir&)> on_locked = {});

// The new releases the session resolved beyond `baseline` (`report`'s data;
// after a run, against the snapshot it wrote: what is still not shipped),
// with when driftlock first saw each release.
Report pending_report(const Context& context, resolve::Session& session, const Snapshot* baseline);

}  // namespace driftlock::cli
