// Renders the drift dashboard (`--dashboard`): one issue per image saying
// what is pending, what is held back and how the last runs went, as Markdown
// (docs/formats.md, "The dashboard issue"). Plain data, so publish stays
// independent of the store and the forge.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dependency.hpp"
#include "core/report.hpp"
#include "core/time.hpp"
#include "publish/history_render.hpp"

namespace driftlock::publish {

// A manifest hold (`driftlock pin`): the dependency stays at `version`.
struct DashboardPin {
  std::string ecosystem;
  std::string name;
  std::string version;
};

struct DashboardData {
  std::string image;
  Timestamp generated{};
  // The new releases `driftlock report` lists; nullopt when not known here
  // (the command that updated the dashboard did not look).
  std::optional<Report> pending;
  // The snapshot's held-back culprits; nullopt when there is no snapshot yet.
  std::optional<std::vector<HeldBack>> held;
  std::vector<DashboardPin> pins;  // the manifest's holds
  // The last runs, newest first (HistoryRun's summary is the JSON each run
  // recorded); nullopt when no state database exists yet.
  std::optional<std::vector<HistoryRun>> runs;
};

// The title: "driftlock dashboard: IMAGE".
std::string dashboard_title(std::string_view image);

// The body (without the forge's marker line): a first line with the
// state at a glance, then the pending releases, the held-back culprits with
// the command that releases each, the manifest's pins and the last runs.
std::string render_dashboard(const DashboardData& data);

}  // namespace driftlock::publish
