#include "cli/dashboard.hpp"

#include <fmt/format.h>

#include <system_error>
#include <utility>

#include "forge/dashboard.hpp"
#include "net/curl_client.hpp"
#include "store/database.hpp"
#include "store/runs.hpp"

namespace driftlock::cli {
namespace {

std::string_view action_text(forge::PostAction action) {
  switch (action) {
    case forge::PostAction::created:
      return "created";
    case forge::PostAction::updated:
      return "updated";
    case forge::PostAction::unchanged:
      return "unchanged";
  }
  return "created";
}

Result<std::optional<std::vector<publish::HistoryRun>>> last_runs(
    const std::filesystem::path& folder) {
  const std::filesystem::path path = folder / "state.db";
  std::error_code ec;
  if (folder.empty() || !std::filesystem::exists(path, ec)) {
    return std::optional<std::vector<publish::HistoryRun>>();
  }
  auto database = store::Database::open(path);
  if (!database) return std::unexpected(std::move(database.error()));
  store::RunLog log(*database);
  auto runs = log.recent(kDashboardRuns);
  if (!runs) return std::unexpected(std::move(runs.error()));
  std::vector<publish::HistoryRun> rows;
  for (const store::RunRecord& r : *runs) {
    rows.push_back({r.id, std::string(to_string(r.kind)), std::string(to_string(r.status)),
                    r.started, r.finished, r.summary});
  }
  return std::optional(std::move(rows));
}

}  // namespace

Result<PreparedDashboard> prepare_dashboard(std::string_view flag_value, const Context& context) {
  PreparedDashboard dashboard;
  if (flag_value.empty()) return dashboard;
  auto target = forge::parse_repo_target(flag_value);
  if (!target) return std::unexpected(std::move(target.error()));
  auto endpoint = forge::endpoint_for(*target, context.env);
  if (!endpoint) return std::unexpected(std::move(endpoint.error()));
  dashboard.target = std::move(*target);
  dashboard.endpoint = std::move(*endpoint);
  return dashboard;
}

Result<publish::DashboardData> dashboard_data(const DashboardInputs& inputs, const Clock& clock) {
  publish::DashboardData data;
  data.image = inputs.image;
  data.generated = clock.now();
  if (inputs.pending) data.pending = *inputs.pending;
  // A Report is built against the snapshot: its entries carry the same holds.
  if (inputs.snapshot) {
    data.held = inputs.snapshot->held;
  } else if (inputs.pending) {
    data.held.emplace();
    for (const ReportEntry& entry : inputs.pending->entries) {
      data.held->insert(data.held->end(), entry.held.begin(), entry.held.end());
    }
  }
  if (inputs.manifest) {
    for (const DependencySpec& spec : inputs.manifest->dependencies) {
      if (spec.hold) data.pins.push_back({spec.ecosystem, spec.name, *spec.hold});
    }
  } else if (inputs.pending) {
    for (const ReportEntry& entry : inputs.pending->entries) {
      if (entry.hold) data.pins.push_back({entry.ecosystem, entry.name, *entry.hold});
    }
  }
  auto runs = last_runs(inputs.state_folder);
  if (!runs) return std::unexpected(std::move(runs.error()));
  data.runs = std::move(*runs);
  return data;
}

void publish_dashboard(Context& context, const PreparedDashboard& dashboard,
                       const DashboardInputs& inputs, Posting posting) {
  if (!dashboard.target) return;
  const std::string where = forge::to_string(*dashboard.target);
  if (posting == Posting::skip) {
    say(context, fmt::format("note: dry run: nothing posted to the dashboard on {}", where));
    return;
  }
  auto data = dashboard_data(inputs, context.clock);
  if (!data) {
    context.late_errors.push_back(Error{
        data.error().kind,
        fmt::format("cannot update the dashboard issue on {}: {}", where, data.error().message),
        std::nullopt});
    return;
  }
  net::CurlHttpClient http(forge::forge_http_options(), &context.clock);
  auto issue = forge::update_dashboard(
      http, *dashboard.target, dashboard.endpoint, forge::dashboard_marker(inputs.image),
      publish::dashboard_title(inputs.image), publish::render_dashboard(*data));
  if (!issue) {
    context.late_errors.push_back(std::move(issue.error()));
    return;
  }
  const std::string url =
      issue->url.empty() ? fmt::format("{} issue {}", where, issue->number) : issue->url;
  say(context, fmt::format("dashboard {}: {}", action_text(issue->action), url));
}

}  // namespace driftlock::cli
