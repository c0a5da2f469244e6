// `--dashboard REPO` on `run`, `check`, `bisect` and `report`: one open issue per image in a
// GitHub repository or GitLab project, kept up to date with the pending
// releases, the held-back culprits (and the command that releases each) and
// the last runs. Posted after the command's work, like the comment.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "cli/command.hpp"
#include "cli/publish_options.hpp"
#include "core/manifest.hpp"
#include "core/report.hpp"
#include "core/snapshot.hpp"
#include "forge/comment.hpp"
#include "forge/target.hpp"
#include "publish/dashboard_render.hpp"

namespace driftlock::cli {

// What --dashboard asked for, checked before any work is done.
struct PreparedDashboard {
  std::optional<forge::RepoTarget> target;  // none without --dashboard
  forge::Endpoint endpoint;
};

// `flag_value` is --dashboard's value ("" when not given: nothing to do). A
// malformed repository, a missing token or a bad API URL is a usage error.
Result<PreparedDashboard> prepare_dashboard(std::string_view flag_value, const Context& context);

// What the command knows when it is done; pointers may be null.
struct DashboardInputs {
  std::string image;
  const Report* pending = nullptr;     // `report`'s new releases; null: not looked up
  const Snapshot* snapshot = nullptr;  // its held culprits; null: taken from `pending`
  const Manifest* manifest = nullptr;  // its holds (pins); null: taken from `pending`
  std::filesystem::path state_folder;  // the last runs come from its state.db
};

// How many of the last runs the dashboard lists.
inline constexpr std::size_t kDashboardRuns = 10;

// The dashboard's data: the last runs are read from the state folder's
// state.db when it exists (never created here, and read without the folder's
// lock, which the command's own session may still hold).
Result<publish::DashboardData> dashboard_data(const DashboardInputs& inputs, const Clock& clock);

// After the command's work, so it never changes what was shipped: renders
// the dashboard and creates or edits the issue, saying
// "driftlock: dashboard created|updated|unchanged: URL". Failures are the
// context's late errors (exit 3 when the command otherwise succeeded).
// Posting::skip (a dry run) only says that nothing was posted.
void publish_dashboard(Context& context, const PreparedDashboard& dashboard,
                       const DashboardInputs& inputs, Posting posting = Posting::post);

}  // namespace driftlock::cli
