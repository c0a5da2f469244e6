#include "publish/history_html.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/text.hpp"

namespace driftlock::publish {
namespace {

using Json = nlohmann::json;

// What a run's summary says, read leniently: summaries written by older
// driftlocks lack the newer keys, and a damaged one is shown as its text.
struct RunFacts {
  const HistoryRun* run = nullptr;
  std::optional<std::size_t> changes;             // "changes"
  std::optional<std::int64_t> builds;             // "builds"
  std::string message;                            // summary_line(): "message", or the keys
  std::vector<std::string> culprit_names;         // "culprits"
  std::vector<std::string> labels;                // "change_list": what subsets index
  std::optional<std::set<std::size_t>> culprits;  // "culprit_indices"; nullopt: not recorded
  std::set<std::size_t> suspected;                // "suspected_indices"
  std::set<std::size_t> unresolved;               // "unresolved_indices"
};

RunFacts read_facts(const HistoryRun& run) {
  RunFacts facts;
  facts.run = &run;
  facts.message = summary_line(run.summary);
  const Json summary = Json::parse(run.summary, nullptr, false);
  if (!summary.is_object()) return facts;
  auto number = [&](const char* key) -> std::optional<std::int64_t> {
    auto found = summary.find(key);
    if (found == summary.end() || !found->is_number_integer()) return std::nullopt;
    return found->get<std::int64_t>();
  };
  auto strings = [&](const char* key) {
    std::vector<std::string> out;
    auto found = summary.find(key);
    if (found == summary.end() || !found->is_array()) return out;
    for (const Json& item : *found) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
    return out;
  };
  auto indices = [&](const char* key) -> std::optional<std::set<std::size_t>> {
    auto found = summary.find(key);
    if (found == summary.end() || !found->is_array()) return std::nullopt;
    std::set<std::size_t> out;
    for (const Json& item : *found) {
      if (item.is_number_unsigned()) out.insert(item.get<std::size_t>());
    }
    return out;
  };
  if (auto changes = number("changes"); changes && *changes >= 0) {
    facts.changes = static_cast<std::size_t>(*changes);
  }
  facts.builds = number("builds");
  facts.culprit_names = strings("culprits");
  facts.labels = strings("change_list");
  facts.culprits = indices("culprit_indices");
  facts.suspected = indices("suspected_indices").value_or(std::set<std::size_t>{});
  facts.unresolved = indices("unresolved_indices").value_or(std::set<std::size_t>{});
  return facts;
}

// "npm a 1.0.0 -> 1.1.0" as a reader expects it.
std::string pretty(std::string_view label) {
  std::string out;
  for (std::size_t i = 0; i < label.size();) {
    if (label.substr(i, 4) == " -> ") {
      out += " \u2192 ";
      i += 4;
    } else {
      out += label[i++];
    }
  }
  return out;
}

// A change's row label: its recorded label, or its number when the summary
// predates change_list.
std::string change_name(const RunFacts& facts, std::size_t index) {
  if (index < facts.labels.size()) return pretty(facts.labels[index]);
  return fmt::format("change {}", index + 1);
}

// UTF-8 code points, for the monospace labels' width.
std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  }));
}

// At most `max` code points, the last one an ellipsis when cut.
std::string shortened(std::string_view text, std::size_t max) {
  if (code_points(text) <= max) return std::string(text);
  std::size_t seen = 0;
  std::size_t end = 0;
  for (; end < text.size(); ++end) {
    if ((static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) continue;
    if (seen == max - 1) break;
    ++seen;
  }
  return std::string(text.substr(0, end)) + "\u2026";
}

// Colours carry no meaning alone: every one comes with a word or a letter.
std::string_view outcome_colour(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass:
      return "#2e7d32";
    case Outcome::fail:
      return "#c62828";
    case Outcome::unresolved:
      return "#ef6c00";
    case Outcome::error:
      return "#6a1b9a";
  }
  return "#616161";
}

std::string_view outcome_letter(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass:
      return "P";
    case Outcome::fail:
      return "F";
    case Outcome::unresolved:
      return "U";
    case Outcome::error:
      return "E";
  }
  return "?";
}

std::string_view status_colour(std::string_view status) {
  if (status == "ok") return "#2e7d32";
  if (status == "worse") return "#c62828";
  if (status == "error") return "#6a1b9a";
  if (status == "interrupted") return "#ef6c00";
  return "#1565c0";  // running
}

constexpr std::string_view kChangesColour = "#1565c0";
constexpr std::string_view kBuildsColour = "#78909c";

std::string run_took(const HistoryRun& run) {
  if (!run.finished) return "-";
  return format_duration(std::max(*run.finished - run.started, std::chrono::seconds(0)));
}

std::string optional_number(const std::optional<std::int64_t>& value) {
  return value ? std::to_string(*value) : std::string("?");
}

std::string optional_number(const std::optional<std::size_t>& value) {
  return value ? std::to_string(*value) : std::string("?");
}

constexpr std::string_view kStyle = R"css(
body { font-family: system-ui, "DejaVu Sans", sans-serif; color: #212121; margin: 1.5em auto;
       max-width: 72em; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1em; margin-bottom: 0.3em; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
th { background: #f5f5f5; }
td.number { text-align: right; }
.status { display: inline-block; padding: 0 0.4em; border-radius: 0.3em; color: #fff;
          font-weight: bold; }
.scroll { overflow-x: auto; }
.note { color: #555; font-size: 0.9em; }
svg text { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
svg text.small { font-size: 10px; }
svg text.bold { font-weight: bold; }
)css";

// ---- the drift chart --------------------------------------------------------
//
// The SVGs carry no xmlns: inline in HTML they need none, and the page then
// names no URL at all.

// Two bars per run, oldest run first: the changes it had to ship and the
// builds it spent, each with its number written above it.
std::string drift_chart(const std::vector<RunFacts>& oldest_first) {
  constexpr int kLeft = 40, kTop = 40, kPlot = 150, kBottom = 40, kGroup = 56, kBar = 20;
  std::int64_t highest = 1;
  for (const RunFacts& facts : oldest_first) {
    highest = std::max(highest, static_cast<std::int64_t>(facts.changes.value_or(0)));
    highest = std::max(highest, facts.builds.value_or(0));
  }
  const int width = kLeft + static_cast<int>(oldest_first.size()) * kGroup + 16;
  const int height = kTop + kPlot + kBottom;
  std::string out = fmt::format(
      "<svg class=\"chart drift\" role=\"img\" "
      "width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "aria-labelledby=\"drift-title drift-desc\">\n"
      "<title id=\"drift-title\">Changes and builds per run, oldest first</title>\n"
      "<desc id=\"drift-desc\">For each run: the number of changes (dependency updates) it "
      "started from and the number of builds it spent.</desc>\n",
      width, height);
  // Legend, then the axis with its scale.
  out += fmt::format(
      "<rect class=\"legend\" x=\"{0}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{1}\"/>"
      "<text x=\"{2}\" y=\"18\">changes</text>\n"
      "<rect class=\"legend\" x=\"{3}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{4}\"/>"
      "<text x=\"{5}\" y=\"18\">builds</text>\n",
      kLeft, kChangesColour, kLeft + 16, kLeft + 96, kBuildsColour, kLeft + 112);
  out += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#888\"/>"
      "<line x1=\"{0}\" y1=\"{2}\" x2=\"{3}\" y2=\"{2}\" stroke=\"#888\"/>\n"
      "<text class=\"small\" x=\"{4}\" y=\"{5}\" text-anchor=\"end\">{6}</text>"
      "<text class=\"small\" x=\"{4}\" y=\"{2}\" text-anchor=\"end\">0</text>\n",
      kLeft, kTop, kTop + kPlot, width - 8, kLeft - 4, kTop + 4, highest);
  int x = kLeft + 8;
  for (const RunFacts& facts : oldest_first) {
    const HistoryRun& run = *facts.run;
    auto bar = [&](int left, std::optional<std::int64_t> value, std::string_view colour,
                   std::string_view what) {
      const std::string number = optional_number(value);
      const int h = value ? static_cast<int>(*value * kPlot / highest) : 0;
      const int top = kTop + kPlot - h;
      if (h > 0) {
        out += fmt::format(
            "<rect class=\"bar {0}\" x=\"{1}\" y=\"{2}\" width=\"{3}\" height=\"{4}\" "
            "fill=\"{5}\"><title>run #{6} ({7}): {8} {0}</title></rect>",
            what, left, top, kBar, h, colour, run.id, escape_html(run.kind), number);
      }
      out +=
          fmt::format("<text class=\"small\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                      left + kBar / 2, top - 3, number);
    };
    auto changes = facts.changes ? std::optional<std::int64_t>(*facts.changes) : std::nullopt;
    bar(x, changes, kChangesColour, "changes");
    bar(x + kBar + 2, facts.builds, kBuildsColour, "builds");
    out += fmt::format(
        "<text x=\"{0}\" y=\"{1}\" text-anchor=\"middle\">#{2}</text>"
        "<text class=\"small\" x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
        x + kBar + 1, kTop + kPlot + 16, run.id, kTop + kPlot + 30, escape_html(run.kind));
    x += kGroup;
  }
  return out + "</svg>\n";
}

// ---- the probe picture ------------------------------------------------------

enum class Blame { none, cleared, unresolved, suspected, culprit };

std::string_view blame_word(Blame blame) {
  switch (blame) {
    case Blame::culprit:
      return "culprit";
    case Blame::suspected:
      return "suspected";
    case Blame::unresolved:
      return "unresolved";
    case Blame::cleared:
      return "cleared";
    case Blame::none:
      return "-";
  }
  return "-";
}

std::string_view blame_colour(Blame blame) {
  switch (blame) {
    case Blame::culprit:
      return "#c62828";
    case Blame::suspected:
      return "#f9a825";
    case Blame::unresolved:
      return "#ef6c00";
    case Blame::cleared:
      return "#2e7d32";
    case Blame::none:
      return "#e0e0e0";
  }
  return "#e0e0e0";
}

// The strongest word for each change: blamed ones as the summary recorded
// them, cleared ones in the subset of some passing probe.
std::vector<Blame> blames(const RunFacts& facts, const std::vector<HistoryProbe>& probes,
                          std::size_t rows) {
  std::vector<Blame> out(rows, Blame::none);
  for (const HistoryProbe& probe : probes) {
    if (probe.outcome != Outcome::pass) continue;
    for (std::size_t i : probe.subset) {
      if (i < rows) out[i] = Blame::cleared;
    }
  }
  auto mark = [&](const std::set<std::size_t>& indices, Blame blame) {
    for (std::size_t i : indices) {
      if (i < rows && out[i] < blame) out[i] = blame;
    }
  };
  mark(facts.unresolved, Blame::unresolved);
  mark(facts.suspected, Blame::suspected);
  if (facts.culprits) mark(*facts.culprits, Blame::culprit);
  return out;
}

std::string round_name(const std::optional<int>& round) {
  if (!round) return "round not recorded";
  if (*round == 0) return "outside the culprit search";
  return fmt::format("round {}", *round);
}

std::string probe_marker(const HistoryProbe& probe) {
  if (!probe.built) return "m";
  if (probe.attempt > 0) return fmt::format("r{}", probe.attempt);
  return "";
}

std::string probe_words(const HistoryProbe& probe) {
  std::string out = fmt::format("probe {} ({}): {}", probe.seq, round_name(probe.round),
                                to_string(probe.outcome));
  if (!probe.built) out += ", recalled from the memo";
  if (probe.attempt > 0) out += fmt::format(", confirmation re-run {}", probe.attempt);
  return out;
}

// Rows: the run's changes; columns: its probes in order, grouped by round;
// a filled cell: the change was in the probe's subset, coloured by the
// probe's outcome (dashed and paler: recalled from the memo). Above each
// column its number, outcome letter and marker (m: memo, rN: re-run N);
// the last column says how the blame ended.
std::string probe_picture(const RunFacts& facts, const std::vector<HistoryProbe>& probes,
                          std::size_t rows) {
  constexpr int kCol = 22, kRow = 18, kCell = 16, kGap = 10, kTop = 78, kBlameWidth = 120;
  constexpr std::size_t kMaxLabel = 48;
  const std::int64_t id = facts.run->id;
  std::size_t longest = 8;
  for (std::size_t i = 0; i < rows; ++i) {
    longest = std::max(longest, code_points(shortened(change_name(facts, i), kMaxLabel)));
  }
  // 12px monospace is about 7.2px a character; a little more for fallback fonts.
  const int label_width = static_cast<int>(longest) * 15 / 2 + 20;

  // Column positions: a gap wherever the round changes.
  std::vector<int> xs;
  int x = label_width;
  for (std::size_t j = 0; j < probes.size(); ++j) {
    if (j > 0 && probes[j].round != probes[j - 1].round) x += kGap;
    xs.push_back(x);
    x += kCol;
  }
  const int grid_right = x;
  const int blame_x = grid_right + 14;
  const int width = blame_x + kBlameWidth;
  const int height = kTop + static_cast<int>(rows) * kRow + 8;

  std::set<int> rounds;
  std::size_t recalled = 0;
  for (const HistoryProbe& probe : probes) {
    if (probe.round && *probe.round > 0) rounds.insert(*probe.round);
    if (!probe.built) ++recalled;
  }
  std::string out = fmt::format(
      "<svg class=\"chart probes\" role=\"img\" "
      "width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "aria-labelledby=\"probes-{2}-title probes-{2}-desc\">\n"
      "<title id=\"probes-{2}-title\">Run #{2}: which changes each probe built, by round</title>\n"
      "<desc id=\"probes-{2}-desc\">{3} changes (rows) and {4} probes (columns) in {5} search "
      "rounds; {6} recalled from the memo. A filled cell: the change was in the probe's subset. "
      "Letters above each column: P pass, F fail, U unresolved, E error; m recalled from the "
      "memo, rN confirmation re-run N. The last column: culprit, suspected, unresolved, cleared "
      "(in a passing subset) or -.</desc>\n",
      width, height, id, rows, probes.size(), rounds.size(), recalled);

  // Row stripes and labels.
  for (std::size_t i = 0; i < rows; ++i) {
    const int y = kTop + static_cast<int>(i) * kRow;
    if (i % 2 == 0) {
      out += fmt::format(
          "<rect class=\"stripe\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f7f7f7\"/>",
          y, width, kRow);
    }
    const std::string name = change_name(facts, i);
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\"><title>{}</title>{}</text>\n",
                       label_width - 8, y + 13, escape_html(name),
                       escape_html(shortened(name, kMaxLabel)));
  }

  // Round labels over each group of columns.
  for (std::size_t j = 0; j < probes.size();) {
    std::size_t end = j;
    while (end < probes.size() && probes[end].round == probes[j].round) ++end;
    const int left = xs[j];
    const int right = xs[end - 1] + kCol;
    const std::optional<int>& round = probes[j].round;
    if (round) {
      const std::string label = *round == 0 ? std::string("-") : fmt::format("R{}", *round);
      out += fmt::format(
          "<g class=\"round\"><title>{}</title>"
          "<line x1=\"{}\" y1=\"20\" x2=\"{}\" y2=\"20\" stroke=\"#555\"/>"
          "<text class=\"small\" x=\"{}\" y=\"15\" text-anchor=\"middle\">{}</text></g>\n",
          round_name(round), left + 2, right - 2, (left + right) / 2, label);
    }
    j = end;
  }

  // Columns: tint, header (number, outcome badge, marker), cells.
  for (std::size_t j = 0; j < probes.size(); ++j) {
    const HistoryProbe& probe = probes[j];
    const int cx = xs[j];
    const std::string_view colour = outcome_colour(probe.outcome);
    out += fmt::format(
        "<g class=\"probe {}\"><title>{}</title>\n", to_string(probe.outcome),
        escape_html(probe_words(probe) + (probe.purpose.empty() ? "" : ": ") + probe.purpose));
    out += fmt::format(
        "<rect class=\"tint\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" "
        "fill-opacity=\"0.1\"/>",
        cx, kTop, kCol, static_cast<int>(rows) * kRow, colour);
    out += fmt::format(
        "<text class=\"small\" x=\"{0}\" y=\"36\" text-anchor=\"middle\">{1}</text>"
        "<rect class=\"badge\" x=\"{2}\" y=\"42\" width=\"{3}\" height=\"{3}\" rx=\"2\" "
        "fill=\"{4}\"/>"
        "<text class=\"bold\" x=\"{0}\" y=\"55\" text-anchor=\"middle\" fill=\"#fff\">{5}</text>"
        "<text class=\"small\" x=\"{0}\" y=\"72\" text-anchor=\"middle\">{6}</text>\n",
        cx + kCol / 2, probe.seq, cx + 3, kCell, colour, outcome_letter(probe.outcome),
        probe_marker(probe));
    for (std::size_t i : probe.subset) {
      if (i >= rows) continue;
      const int y = kTop + static_cast<int>(i) * kRow + 1;
      const std::string style =
          !probe.built        ? " fill-opacity=\"0.45\" stroke-dasharray=\"3 2\" stroke=\"#333\""
          : probe.attempt > 0 ? " stroke=\"#000\" stroke-width=\"2\""
                              : "";
      out += fmt::format(
          "<rect class=\"cell{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}/>",
          probe.built ? "" : " memo", cx + 3, y, kCell, kCell, colour, style);
    }
    out += "</g>\n";
  }

  // The blame column.
  out += fmt::format("<text class=\"bold\" x=\"{}\" y=\"55\">blame</text>\n", blame_x);
  const std::vector<Blame> blamed = blames(facts, probes, rows);
  for (std::size_t i = 0; i < rows; ++i) {
    const int y = kTop + static_cast<int>(i) * kRow;
    out += fmt::format(
        "<g class=\"blame {0}\"><rect class=\"mark\" x=\"{1}\" y=\"{2}\" width=\"10\" "
        "height=\"10\" fill=\"{3}\"/><text x=\"{4}\" y=\"{5}\">{0}</text></g>\n",
        blame_word(blamed[i]), blame_x, y + 4, blame_colour(blamed[i]), blame_x + 14, y + 13);
  }
  return out + "</svg>\n";
}

// The probes as a table: the picture's content for readers without it.
std::string probe_table(const RunFacts& facts, const std::vector<HistoryProbe>& probes) {
  std::string out =
      "<details><summary>Every probe of this run</summary>\n<table class=\"probe-list\">\n"
      "<tr><th>#</th><th>Round</th><th>Re-run</th><th>Built</th><th>Outcome</th>"
      "<th>Purpose</th><th>Changes applied</th></tr>\n";
  for (const HistoryProbe& probe : probes) {
    std::vector<std::string> names;
    for (std::size_t i : probe.subset) names.push_back(escape_html(change_name(facts, i)));
    const std::string applied = names.empty() ? std::string("none (the baseline)")
                                              : fmt::format("{}", fmt::join(names, "<br>"));
    out += fmt::format(
        "<tr><td class=\"number\">{}</td><td>{}</td><td class=\"number\">{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td></tr>\n",
        probe.seq, round_name(probe.round), probe.attempt,
        probe.built ? "built" : "recalled from the memo", to_string(probe.outcome),
        escape_html(probe.purpose), applied);
  }
  return out + "</table>\n</details>\n";
}

std::string run_section(const RunFacts& facts, const std::vector<HistoryProbe>& probes) {
  const HistoryRun& run = *facts.run;
  std::size_t rows = std::max(facts.labels.size(), facts.changes.value_or(0));
  for (const HistoryProbe& probe : probes) {
    for (std::size_t i : probe.subset) rows = std::max(rows, i + 1);
  }
  std::string out = fmt::format(
      "<article class=\"run\" id=\"run-{0}\">\n<h3>Run #{0}: {1}, {2}, {3}</h3>\n", run.id,
      escape_html(run.kind), escape_html(run.status), format_timestamp(run.started));
  std::set<int> rounds;
  std::size_t built = 0;
  for (const HistoryProbe& probe : probes) {
    if (probe.round && *probe.round > 0) rounds.insert(*probe.round);
    if (probe.built) ++built;
  }
  out += fmt::format("<p>{}: {} ({} built, {} recalled from the memo)", escape_html(facts.message),
                     counted(probes.size(), "probe", "probes"), built, probes.size() - built);
  if (!rounds.empty())
    out += fmt::format(", {} of the culprit search", counted(rounds.size(), "round", "rounds"));
  out += ".</p>\n";
  if (rows == 0) {
    out += "<p class=\"note\">No changes: every probe built the snapshot as it is.</p>\n";
  } else {
    out += "<div class=\"scroll\">\n" + probe_picture(facts, probes, rows) + "</div>\n";
  }
  std::vector<std::string> notes;
  if (facts.labels.empty() && rows > 0) {
    notes.push_back(
        "this run's summary does not name its changes (written by an older "
        "driftlock): rows are numbered");
  }
  if (std::any_of(probes.begin(), probes.end(), [](const HistoryProbe& p) { return !p.round; })) {
    notes.push_back(
        "rounds were not recorded for this run (probes logged before schema 3): "
        "probes are shown in order, ungrouped");
  }
  if (!facts.culprits && rows > 0) {
    std::string note = "blamed changes were not recorded by index for this run";
    if (!facts.culprit_names.empty()) {
      std::vector<std::string> names;
      for (const std::string& name : facts.culprit_names) names.push_back(escape_html(name));
      note += fmt::format("; its culprits: {}", fmt::join(names, ", "));
    }
    notes.push_back(std::move(note));
  }
  for (const std::string& note : notes) out += "<p class=\"note\">Note: " + note + ".</p>\n";
  return out + probe_table(facts, probes) + "</article>\n";
}

// ---- the page ---------------------------------------------------------------

std::string timeline(const std::vector<RunFacts>& newest_first,
                     const std::map<std::int64_t, std::vector<HistoryProbe>>& probes) {
  std::string out =
      "<table class=\"timeline\">\n<tr><th>Run</th><th>Kind</th><th>Status</th><th>Started</th>"
      "<th>Took</th><th>Builds</th><th>Changes</th><th>Culprits named</th><th>Message</th></tr>\n";
  for (const RunFacts& facts : newest_first) {
    const HistoryRun& run = *facts.run;
    std::vector<std::string> culprits;
    for (const std::string& name : facts.culprit_names) culprits.push_back(escape_html(name));
    const bool pictured = probes.contains(run.id);
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td><span class=\"status\" style=\"background:{}\">{}</span>"
        "</td><td>{}</td><td>{}</td><td class=\"number\">{}</td><td class=\"number\">{}</td>"
        "<td>{}</td><td>{}</td></tr>\n",
        pictured ? fmt::format("<a href=\"#run-{0}\">#{0}</a>", run.id)
                 : fmt::format("#{}", run.id),
        escape_html(run.kind), status_colour(run.status), escape_html(run.status),
        format_timestamp(run.started), run_took(run), optional_number(facts.builds),
        optional_number(facts.changes),
        culprits.empty() ? "-" : fmt::format("{}", fmt::join(culprits, "<br>")),
        escape_html(facts.message));
  }
  return out + "</table>\n";
}

std::string culprit_table(const std::vector<HistoryCulprit>& culprits) {
  if (culprits.empty()) return "<p>No culprits named.</p>\n";
  std::string out =
      "<table class=\"culprits\">\n<tr><th>When</th><th>Culprit</th><th>Version</th>"
      "<th>Run</th><th>Reason</th></tr>\n";
  for (const HistoryCulprit& c : culprits) {
    out += fmt::format(
        "<tr><td>{}</td><td>{} <code>{}</code></td><td><code>{}</code></td><td>{}</td>"
        "<td>{}</td></tr>\n",
        format_timestamp(c.at), escape_html(c.ecosystem), escape_html(c.name),
        escape_html(c.version), c.run_id ? fmt::format("#{}", *c.run_id) : std::string("-"),
        escape_html(c.reason));
  }
  return out + "</table>\n";
}

std::string held_table(const History& history) {
  if (!history.snapshot) return "<p>Nothing held back (no snapshot yet).</p>\n";
  if (history.held.empty()) return "<p>Nothing held back.</p>\n";
  std::string out =
      "<table class=\"held\">\n<tr><th>Held back</th><th>Version</th><th>Since</th>"
      "<th>Reason</th></tr>\n";
  for (const HeldBack& h : history.held) {
    out += fmt::format(
        "<tr><td>{} <code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>\n",
        escape_html(h.ecosystem), escape_html(h.name), escape_html(h.version),
        escape_html(h.since.value_or("-")), escape_html(h.reason.value_or("")));
  }
  return out + "</table>\n";
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
            c == '\x7f') {
          out += "\uFFFD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string render_history_html(const HistoryPage& page) {
  const History& history = page.history;
  std::vector<RunFacts> newest_first;
  for (const HistoryRun& run : history.runs) newest_first.push_back(read_facts(run));
  const std::vector<RunFacts> oldest_first(newest_first.rbegin(), newest_first.rend());

  const std::string image = escape_html(page.image);
  // The policy makes the page's promise enforceable: nothing is fetched and
  // no script runs, whatever a registry managed to put into a name.
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>driftlock history: {0}</title>\n<style>{1}</style>\n</head>\n<body>\n"
      "<h1>driftlock history: <code>{0}</code></h1>\n",
      image, kStyle);

  if (!history.state || history.runs.empty()) {
    out +=
        "<p class=\"empty\">No runs yet: no driftlock run has recorded anything in this state "
        "folder.</p>\n";
  } else {
    out +=
        fmt::format("<p>The last {} (newest first in the table, oldest first in the chart).</p>\n",
                    counted(newest_first.size(), "run", "runs"));
    out += "<section id=\"timeline\">\n<h2>Runs</h2>\n" + timeline(newest_first, page.probes) +
           "</section>\n";
    out +=
        "<section id=\"drift\">\n<h2>Drift: changes and builds per run</h2>\n"
        "<div class=\"scroll\">\n" +
        drift_chart(oldest_first) + "</div>\n</section>\n";
    out +=
        "<section id=\"searches\">\n<h2>Builds of each run</h2>\n"
        "<p class=\"note\">Rows: the run's changes. Columns: its probes in order, grouped by "
        "round of the culprit search (R1, R2, ...: asked together and built up to "
        "<code>jobs</code> at once; -: a build outside the search, such as the baseline, the "
        "full candidate or a re-check). A filled cell: the change was in the probe's subset, "
        "coloured by the probe's outcome (letters above: P pass, F fail, U unresolved, E "
        "error); paler and dashed: recalled from the memo (m); outlined: a confirmation re-run "
        "(rN). The last column: how the blame ended (culprit, suspected, unresolved, cleared "
        "in a passing subset, or -).</p>\n";
    bool any = false;
    for (const RunFacts& facts : newest_first) {
      auto found = page.probes.find(facts.run->id);
      if (found == page.probes.end() || found->second.empty()) continue;
      out += run_section(facts, found->second);
      any = true;
    }
    if (!any) out += "<p>No run built anything.</p>\n";
    out += "</section>\n";
  }
  if (history.state) {
    out += "<section id=\"culprits\">\n<h2>Culprits named</h2>\n" +
           culprit_table(history.culprits) + "</section>\n";
  }
  out += "<section id=\"held\">\n<h2>Held back in the snapshot</h2>\n" + held_table(history) +
         "</section>\n";
  return out + "</body>\n</html>\n";
}

}  // namespace driftlock::publish
