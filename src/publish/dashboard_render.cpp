#include "publish/dashboard_render.hpp"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/text.hpp"
#include "publish/markdown.hpp"
#include "publish/report_render.hpp"

namespace driftlock::publish {
namespace {

using json = nlohmann::json;

std::string code(std::string_view text) {
  return fmt::format("`{}`", markdown_code(text));
}

std::string day(Timestamp t) {
  return format_timestamp(t).substr(0, 10);
}

std::string day(const std::optional<std::string>& timestamp) {
  return timestamp ? timestamp->substr(0, 10) : std::string("-");
}

std::size_t pending_count(const Report& report) {
  std::size_t n = 0;
  for (const ReportEntry& entry : report.entries) n += entry.has_updates() ? 1 : 0;
  return n;
}

// What a run's status means when its summary has no message.
std::string_view status_text(std::string_view status) {
  if (status == "ok") return "ok";
  if (status == "worse") return "culprits named";
  if (status == "error") return "failed";
  if (status == "interrupted") return "interrupted";
  return "running";
}

std::string last_run_text(const HistoryRun& run) {
  if (!run.finished) {
    return fmt::format("{} #{} running since {}", run.kind, run.id, format_timestamp(run.started));
  }
  std::string what = summary_line(run.summary);
  if (what.empty()) what = status_text(run.status);
  return fmt::format("last {} #{} ({}): {}", run.kind, run.id, day(*run.finished),
                     markdown_cell(what));
}

// "2 updates pending, 1 held back; last run #12 (2026-12-05): 14 updates shipped".
std::string headline(const DashboardData& data) {
  std::vector<std::string> state;
  if (data.pending) {
    const std::size_t n = pending_count(*data.pending);
    state.push_back(n == 0 ? std::string("no updates pending")
                           : counted(n, "update", "updates") + " pending");
  }
  if (!data.held) {
    state.push_back("no snapshot yet");
  } else {
    state.push_back(data.held->empty() ? std::string("nothing held back")
                                       : fmt::format("{} held back", data.held->size()));
  }
  if (!data.pins.empty()) state.push_back(fmt::format("{} pinned", data.pins.size()));
  const std::string runs = data.runs && !data.runs->empty() ? last_run_text(data.runs->front())
                                                            : std::string("no runs recorded yet");
  return fmt::format("{}; {}", fmt::join(state, ", "), runs);
}

// The Markdown `driftlock report` prints, without its own heading.
std::string report_body(const Report& report) {
  std::string text = render_report(report, OutputFormat::markdown, Color::never);
  if (text.starts_with("### ")) {
    if (std::size_t end = text.find("\n\n"); end != std::string::npos) text.erase(0, end + 2);
  }
  return text;
}

std::string pending_section(const DashboardData& data) {
  std::string out = "\n#### Pending new releases\n\n";
  if (!data.pending) {
    return out +
           "Not looked up by the command that updated this issue; `driftlock report "
           "--dashboard` lists them.\n";
  }
  return out + report_body(*data.pending);
}

std::string held_section(const DashboardData& data) {
  std::string out = "\n#### Held back\n\n";
  if (!data.held) return out + "No snapshot yet: nothing is held back.\n";
  if (data.held->empty()) return out + "Nothing is held back.\n";
  // A dependency with several held releases gets one command per release;
  // with one, ECO:NAME says it all.
  std::map<std::pair<std::string, std::string>, std::size_t> per_dependency;
  for (const HeldBack& h : *data.held) ++per_dependency[{h.ecosystem, h.name}];
  out +=
      "A culprit a run named stays out of the image until it is released; the next run then "
      "tries it again.\n\n"
      "| Dependency | Version | Since | Reason | To try it again |\n"
      "|---|---|---|---|---|\n";
  for (const HeldBack& h : *data.held) {
    std::string dependency = fmt::format("{}:{}", h.ecosystem, h.name);
    if (per_dependency[{h.ecosystem, h.name}] > 1) dependency += "=" + h.version;
    out += fmt::format("| {} {} | {} | {} | {} | {} |\n", markdown_cell(h.ecosystem), code(h.name),
                       markdown_cell(h.version), day(h.since),
                       h.reason ? markdown_cell(*h.reason) : std::string("-"),
                       code("driftlock unhold " + dependency));
  }
  return out;
}

std::string pins_section(const DashboardData& data) {
  if (data.pins.empty()) return {};
  std::string out =
      "\n#### Pinned in the manifest\n\n"
      "| Dependency | Pinned at | To release it |\n"
      "|---|---|---|\n";
  for (const DashboardPin& pin : data.pins) {
    out += fmt::format("| {} {} | {} | {} |\n", markdown_cell(pin.ecosystem), code(pin.name),
                       markdown_cell(pin.version),
                       code(fmt::format("driftlock unpin {}:{}", pin.ecosystem, pin.name)));
  }
  return out;
}

// The builds and culprits a run's summary recorded (pipeline.cpp,
// RunRecorder::finish); "-" when it recorded none.
std::string builds_cell(const json& summary) {
  if (!summary.is_object()) return "-";
  auto builds = summary.find("builds");
  if (builds == summary.end() || !builds->is_number_integer()) return "-";
  return builds->dump();
}

std::string culprits_cell(const json& summary) {
  if (!summary.is_object()) return "-";
  auto culprits = summary.find("culprits");
  if (culprits == summary.end() || !culprits->is_array() || culprits->empty()) return "-";
  std::vector<std::string> cells;
  for (const json& c : *culprits) {
    if (c.is_string()) cells.push_back(code(c.get<std::string>()));
  }
  return cells.empty() ? std::string("-") : fmt::format("{}", fmt::join(cells, "<br>"));
}

std::string runs_section(const DashboardData& data) {
  std::string out = "\n#### Last runs\n\n";
  if (!data.runs || data.runs->empty()) return out + "No runs recorded yet.\n";
  out +=
      "| Run | Kind | Started | Finished | Status | Builds | Culprits | Summary |\n"
      "|---|---|---|---|---|---|---|---|\n";
  for (const HistoryRun& run : *data.runs) {
    const json summary = json::parse(run.summary, nullptr, false);
    out += fmt::format("| #{} | {} | {} | {} | {} | {} | {} | {} |\n", run.id,
                       markdown_cell(run.kind), format_timestamp(run.started),
                       run.finished ? format_timestamp(*run.finished) : std::string("-"),
                       markdown_cell(run.status), builds_cell(summary), culprits_cell(summary),
                       markdown_cell(summary_line(run.summary)));
  }
  return out;
}

}  // namespace

std::string dashboard_title(std::string_view image) {
  return fmt::format("driftlock dashboard: {}", image);
}

std::string render_dashboard(const DashboardData& data) {
  std::string out =
      fmt::format("### driftlock dashboard: {}\n\n**{}.**\n", code(data.image), headline(data));
  out += pending_section(data);
  out += held_section(data);
  out += pins_section(data);
  out += runs_section(data);
  out += fmt::format(
      "\n<sub>Updated {} by driftlock, which edits this issue in place on every run with "
      "`--dashboard` (edits here are overwritten; closing it makes the next run open a new "
      "one).</sub>\n",
      format_timestamp(data.generated));
  return out;
}

}  // namespace driftlock::publish
