#include "publish/run_render.hpp"

#include "publish/json_output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/text.hpp"
#include "publish/markdown.hpp"

namespace driftlock::publish {
namespace {

enum class Transitivity { direct, transitive };

// The indices of the report's direct or transitive changes, in order.
std::vector<std::size_t> changes_of(const RunReport& report, Transitivity group) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < report.changes.size(); ++i) {
    if (is_transitive(report.changes[i]) == (group == Transitivity::transitive)) out.push_back(i);
  }
  return out;
}

std::set<std::size_t> blamed(const RunReport& report) {
  std::set<std::size_t> out;
  for (const CulpritReport& c : report.culprits) out.insert(c.changes.begin(), c.changes.end());
  return out;
}

std::string percent_text(double chance) {
  return chance >= 0.001 ? fmt::format("{:.1f}%", chance * 100.0) : "< 0.1%";
}

// "tests trusted" or "careful: 3 failing builds per blame".
std::string mode_text(const SearchModeReport& mode) {
  if (mode.mode == "trust") return "tests trusted";
  return fmt::format("careful: {} failing {} per blame", mode.confirmations,
                     mode.confirmations == 1 ? "build" : "builds");
}

bool is_suspected(const RunReport& report, std::size_t i) {
  return std::any_of(report.suspected.begin(), report.suspected.end(), [&](const CulpritReport& c) {
    return std::find(c.changes.begin(), c.changes.end(), i) != c.changes.end();
  });
}

// "3 failing builds, built alone; chance all were flakes 0.8%".
std::string evidence_text(const CulpritReport& culprit) {
  std::string out = culprit.failing_builds == 1
                        ? std::string("1 failing build")
                        : fmt::format("{} failing builds", culprit.failing_builds);
  out += culprit.isolated ? ", built alone"
                          : ", not built alone (failed on top of other changes: it may break "
                            "only together with one of them)";
  if (culprit.flake_chance > 0.0) {
    out += fmt::format("; chance all were flakes {}", percent_text(culprit.flake_chance));
  }
  return out;
}

std::string fate(const RunReport& report, std::size_t i, const std::set<std::size_t>& culprits,
                 const std::set<std::size_t>& shipped) {
  if (culprits.count(i)) return "culprit";
  if (is_suspected(report, i)) return "suspected";
  if (std::find(report.unresolved.begin(), report.unresolved.end(), i) != report.unresolved.end()) {
    return "unresolved";
  }
  if (std::find(report.flaky.begin(), report.flaky.end(), i) != report.flaky.end()) {
    return shipped.count(i) ? "shipped (flaky once)" : "flaky";
  }
  if (shipped.count(i)) return "shipped";
  if (report.status == RunStatus::planned) return "planned";
  return report.command == "bisect" && report.status == RunStatus::not_shipped ? "cleared"
                                                                               : "not shipped";
}

std::string subset_text(const std::vector<std::size_t>& subset, std::size_t n) {
  if (subset.empty()) return "baseline";
  if (subset.size() == n) return "all";
  std::vector<std::string> parts;
  for (std::size_t i : subset) parts.push_back(fmt::format("#{}", i + 1));
  return fmt::format("{}", fmt::join(parts, " "));
}

std::string render_text(const RunReport& report, Color color, Explain explain) {
  const bool ansi = color == Color::always;
  auto paint = [&](std::string text, const char* code) {
    return ansi ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : text;
  };
  std::string out =
      fmt::format("driftlock {}: image {}: {}\n", report.command, report.image, report.message);
  const std::set<std::size_t> culprits = blamed(report);
  const std::set<std::size_t> shipped(report.shipped.begin(), report.shipped.end());
  // Direct changes first, then the closure's: numbered as the search counts them.
  for (const Transitivity group : {Transitivity::direct, Transitivity::transitive}) {
    const std::vector<std::size_t> rows = changes_of(report, group);
    if (rows.empty()) continue;
    out += group == Transitivity::direct ? "\nchanges:\n"
                                         : "\ntransitive changes (not named in the manifest):\n";
    for (std::size_t i : rows) {
      std::string what = fate(report, i, culprits, shipped);
      if (what == "culprit") what = paint(what, "31;1");
      if (what == "shipped") what = paint(what, "32");
      out += fmt::format("  #{:<3} {:<50} {}\n", i + 1, change_label(report.changes[i]), what);
    }
  }
  for (const CulpritReport& culprit : report.culprits) {
    if (culprit.changes.empty()) {
      out += fmt::format("\nfailure: {}\n", culprit.reason);
    } else {
      std::vector<std::string> names;
      for (std::size_t i : culprit.changes) names.push_back(change_label(report.changes[i]));
      out += fmt::format(
          "\n{} {}\n",
          paint(culprit.changes.size() == 1 ? "culprit:" : "culprits (only together):", "31;1"),
          fmt::join(names, " + "));
      out += fmt::format("  reason: {}\n", culprit.reason);
    }
    for (const std::string& test : culprit.failing_tests) out += "  newly failing: " + test + "\n";
    if (!culprit.needs.empty()) {
      std::vector<std::string> names;
      for (std::size_t i : culprit.needs) names.push_back(change_label(report.changes[i]));
      out += fmt::format("  installed with: {}\n", fmt::join(names, ", "));
    }
    if (!culprit.changes.empty() && culprit.failing_builds > 0) {
      out += "  evidence: " + evidence_text(culprit) + "\n";
    }
    if (!culprit.log.empty()) out += "  log: " + culprit.log + "\n";
    const std::size_t shown = std::min<std::size_t>(culprit.tail.size(), 10);
    for (std::size_t k = culprit.tail.size() - shown; k < culprit.tail.size(); ++k) {
      out += "  | " + culprit.tail[k] + "\n";
    }
  }
  for (const CulpritReport& suspect : report.suspected) {
    std::vector<std::string> names;
    for (std::size_t i : suspect.changes) names.push_back(change_label(report.changes[i]));
    out += fmt::format("\n{} {}\n", paint("suspected:", "33;1"), fmt::join(names, " + "));
    out += fmt::format("  reason: {}\n", suspect.reason);
    out += "  evidence: " + evidence_text(suspect) + "\n";
    out +=
        "  not held back (too likely a flake to blame): left out of this run, tried again "
        "next time\n";
    if (!suspect.log.empty()) out += "  log: " + suspect.log + "\n";
  }
  if (report.snapshot_written || !report.push_note.empty()) {
    out += fmt::format("\nsnapshot: {} ({}; {})\n", report.snapshot_written.value_or("not written"),
                       report.commit_note.empty() ? "-" : report.commit_note,
                       report.push_note.empty() ? "-" : report.push_note);
  }
  if (report.builds > 0 || report.probes > 0) {
    out += fmt::format("builds: {}", report.builds);
    if (report.probes > 0) {
      out += fmt::format(" (search: {} in {}; lower bound {}{})",
                         counted(report.probes, "probe", "probes"),
                         counted(report.rounds, "round", "rounds"), report.bound,
                         report.search_mode ? "; " + mode_text(*report.search_mode) : "");
    }
    out += "\n";
  }
  if (explain == Explain::yes) {
    if (report.search_mode) out += "\nflaky tests: " + report.search_mode->why + "\n";
    if (!report.rechecks.empty()) out += "\nre-checks:\n";
    for (const std::string& line : report.rechecks) out += "  - " + line + "\n";
    if (!report.probe_log.empty()) out += "\nprobes:\n";
    for (const ProbeLine& p : report.probe_log) {
      out += fmt::format("  {:>3}. round {:<2} {:<10} {}{}  {}\n", p.number, p.round,
                         to_string(p.outcome), subset_text(p.subset, report.changes.size()),
                         p.run > 0 ? fmt::format(" (re-run {})", p.run) : std::string(), p.purpose);
    }
    if (!report.explanations.empty()) out += "\nwhy:\n";
    for (std::size_t i = 0; i < report.explanations.size() && i < report.changes.size(); ++i) {
      out += fmt::format("  #{} {}: {}\n", i + 1, change_label(report.changes[i]),
                         report.explanations[i]);
    }
  }
  return out;
}

// "`npm a 1.0.0 -> 1.1.0` + `npm b 1.0.0 -> 2.0.0`".
std::string markdown_names(const RunReport& report, const std::vector<std::size_t>& changes) {
  std::vector<std::string> names;
  for (std::size_t i : changes) {
    names.push_back("`" + markdown_code(change_label(report.changes[i])) + "`");
  }
  return fmt::format("{}", fmt::join(names, " + "));
}

// The comment's first line: what broke and what shipped, in one sentence.
std::string headline(const RunReport& report) {
  std::vector<std::string> breaking;
  for (const CulpritReport& culprit : report.culprits) {
    if (!culprit.changes.empty()) breaking.push_back(markdown_names(report, culprit.changes));
  }
  const bool together = breaking.size() == 1 && report.culprits.front().changes.size() > 1;
  const char* verb = together               ? "break the image together"
                     : breaking.size() == 1 ? "breaks the image"
                                            : "break the image";
  const std::string culprits = fmt::format("{}", fmt::join(breaking, ", "));
  switch (report.status) {
    case RunStatus::shipped_partially:
      return fmt::format("{} {}; {} shipped.", culprits, verb,
                         counted(report.shipped.size(), "other update", "other updates"));
    case RunStatus::not_shipped:
      if (report.command == "bisect" && !breaking.empty()) {
        return fmt::format("{} {} between the two locks.", culprits,
                           together               ? "break the build together"
                           : breaking.size() == 1 ? "breaks the build"
                                                  : "break the build");
      }
      if (!breaking.empty()) return fmt::format("{} {}; nothing shipped.", culprits, verb);
      break;
    case RunStatus::shipped:
      return fmt::format("{} shipped; nothing broke.",
                         counted(report.changes.size(), "update", "updates"));
    default:
      break;
  }
  return markdown_cell(report.message) + ".";
}

// The table's words for a change's fate (the JSON keeps fate()'s).
std::string markdown_fate(const std::string& fate) {
  if (fate == "culprit") return "**held back** (breaks the image)";
  if (fate == "suspected") return "suspected (not shipped, not held)";
  if (fate == "unresolved") return "unresolved (not shipped)";
  if (fate == "not shipped") return "not reached";
  return fate;
}

// `driftlock export --format …` names per ecosystem.
std::string export_format(const std::string& ecosystem) {
  if (ecosystem == "pypi") return "pip";
  if (ecosystem == "debian") return "apt";
  return ecosystem;
}

std::string log_tail_block(const std::vector<std::string>& tail, std::size_t lines) {
  if (tail.empty()) return "";
  std::string out = "\n<details><summary>log tail</summary>\n\n```\n";
  const std::size_t shown = std::min<std::size_t>(tail.size(), lines);
  for (std::size_t k = tail.size() - shown; k < tail.size(); ++k) {
    std::string line = tail[k];
    for (std::size_t at; (at = line.find("```")) != std::string::npos;) line.replace(at, 3, "'''");
    out += line + "\n";
  }
  return out + "```\n</details>\n";
}

// Commands a developer runs to get the pinned versions and to see a culprit
// fail as CI did.
std::string reproduce_block(const RunReport& report) {
  std::set<std::string> ecosystems;
  for (const Change& change : report.changes) ecosystems.insert(change.ecosystem);
  std::string out = "\n<details><summary>Reproduce locally</summary>\n\n```sh\n";
  for (const std::string& ecosystem : ecosystems) {
    out += fmt::format("driftlock export --format {}   # the pinned {} versions\n",
                       export_format(ecosystem), ecosystem);
  }
  for (const CulpritReport& culprit : report.culprits) {
    std::vector<std::string> pins, names;
    for (std::size_t i : culprit.changes) {
      const Change& change = report.changes[i];
      if (!change.after || change.kind == ChangeKind::redigested) continue;
      pins.push_back(fmt::format("{}:{}={}", change.ecosystem, change.name, change.after->version));
      names.push_back(fmt::format("{}:{}", change.ecosystem, change.name));
    }
    if (pins.empty()) continue;
    out += fmt::format(
        "driftlock pin {}   # hold the culprit in driftlock.toml\n"
        "driftlock resolve -o culprit.lock.json   # the snapshot's pins with the culprit\n"
        "driftlock bisect --from {} --to culprit.lock.json   # build and test both, as CI did\n"
        "driftlock unpin {}\n",
        fmt::join(pins, " "), report.snapshot_file.empty() ? "SNAPSHOT" : report.snapshot_file,
        fmt::join(names, " "));
  }
  return out + "```\n</details>\n";
}

std::string explain_block(const RunReport& report) {
  std::string out = fmt::format("\n<details><summary>How the search went ({})</summary>\n\n",
                                counted(report.probe_log.size(), "probe", "probes"));
  if (report.search_mode) out += "Flaky tests: " + markdown_cell(report.search_mode->why) + "\n\n";
  for (const std::string& line : report.rechecks) out += "- " + markdown_cell(line) + "\n";
  if (!report.rechecks.empty()) out += "\n";
  if (!report.probe_log.empty()) {
    out += "| # | round | changes applied | outcome | why |\n|---|---|---|---|---|\n";
    for (const ProbeLine& p : report.probe_log) {
      out += fmt::format("| {} | {} | {}{} | {} | {} |\n", p.number, p.round,
                         subset_text(p.subset, report.changes.size()),
                         p.run > 0 ? fmt::format(" (re-run {})", p.run) : std::string(),
                         to_string(p.outcome), markdown_cell(p.purpose));
    }
    out += "\n";
  }
  for (std::size_t i = 0; i < report.explanations.size() && i < report.changes.size(); ++i) {
    if (report.explanations[i].empty()) continue;
    out += fmt::format("- #{} `{}`: {}\n", i + 1, markdown_code(change_label(report.changes[i])),
                       markdown_cell(report.explanations[i]));
  }
  return out + "</details>\n";
}

std::string render_markdown(const RunReport& report, Explain explain) {
  std::string out = fmt::format("### driftlock {}: `{}`\n\n**{}**\n", report.command,
                                markdown_code(report.image), headline(report));
  if (report.status != RunStatus::no_drift && report.status != RunStatus::planned) {
    out += "\n" + markdown_cell(report.message) + "\n";
  }
  const std::set<std::size_t> culprits = blamed(report);
  const std::set<std::size_t> shipped(report.shipped.begin(), report.shipped.end());
  for (const CulpritReport& culprit : report.culprits) {
    if (culprit.changes.empty()) {
      out += fmt::format("\n**Failure:** {}\n", markdown_cell(culprit.reason));
    } else {
      out += fmt::format("\n**Breaking:** {} — {}\n", markdown_names(report, culprit.changes),
                         markdown_cell(culprit.reason));
    }
    if (!culprit.failing_tests.empty()) {
      std::vector<std::string> tests;
      for (const std::string& test : culprit.failing_tests) {
        tests.push_back("`" + markdown_code(test) + "`");
      }
      out += fmt::format("\n- newly failing: {}\n", fmt::join(tests, ", "));
    }
    if (!culprit.needs.empty()) {
      out += fmt::format("- installed with: {}\n", markdown_names(report, culprit.needs));
    }
    if (!culprit.changes.empty() && culprit.failing_builds > 0) {
      out += fmt::format("\n<sub>Evidence: {}.</sub>\n", markdown_cell(evidence_text(culprit)));
    }
    out += log_tail_block(culprit.tail, 20);
  }
  for (const CulpritReport& suspect : report.suspected) {
    out += fmt::format(
        "\n**Suspected, not held back:** {} — {} ({}; too likely a flake to blame, tried again "
        "next time)\n",
        markdown_names(report, suspect.changes), markdown_cell(suspect.reason),
        markdown_cell(evidence_text(suspect)));
  }
  const std::vector<std::size_t> direct = changes_of(report, Transitivity::direct);
  const std::vector<std::size_t> transitive = changes_of(report, Transitivity::transitive);
  if (!direct.empty()) {
    if (!transitive.empty()) out += "\n**Direct updates:**\n";
    out += "\n| # | Change | Result |\n|---|---|---|\n";
    for (std::size_t i : direct) {
      out +=
          fmt::format("| {} | {} | {} |\n", i + 1, markdown_cell(change_label(report.changes[i])),
                      markdown_fate(fate(report, i, culprits, shipped)));
    }
  }
  if (!transitive.empty()) {
    out +=
        "\n**Transitive updates** (not named in the manifest; via: the named packages they came "
        "through):\n\n| # | Change | Via | Result |\n|---|---|---|---|\n";
    for (std::size_t i : transitive) {
      const Change& change = report.changes[i];
      out += fmt::format(
          "| {} | {} | {} | {} |\n", i + 1, markdown_cell(change_label(change, Label::versions)),
          markdown_code_list(change.via), markdown_fate(fate(report, i, culprits, shipped)));
    }
  }
  if (report.builds > 0 || report.probes > 0) {
    out += fmt::format("\n{} spent", counted(report.builds, "build", "builds"));
    if (report.probes > 0) {
      out += fmt::format("; search: {} in {} (lower bound {}{})",
                         counted(report.probes, "probe", "probes"),
                         counted(report.rounds, "round", "rounds"), report.bound,
                         report.search_mode ? "; " + mode_text(*report.search_mode) : "");
    }
    out += ".\n";
  }
  if (!report.culprits.empty() && !report.changes.empty()) out += reproduce_block(report);
  if (explain == Explain::yes && (!report.probe_log.empty() || !report.rechecks.empty())) {
    out += explain_block(report);
  }
  return out;
}

OrderedJson change_json(const Change& c) {
  OrderedJson j;
  j["ecosystem"] = c.ecosystem;
  j["name"] = c.name;
  j["kind"] = to_string(c.kind);
  j["from"] = c.before ? OrderedJson(c.before->version) : OrderedJson(nullptr);
  j["to"] = c.after ? OrderedJson(c.after->version) : OrderedJson(nullptr);
  if (is_transitive(c)) {
    j["transitive"] = true;
    j["via"] = c.via;
  }
  return j;
}

std::string render_json(const RunReport& report) {
  OrderedJson root;
  root["format"] = "driftlock-run";
  root["version"] = 1;
  root["command"] = report.command;
  root["image"] = report.image;
  root["status"] = to_string(report.status);
  root["exit_code"] = exit_code(report.status);
  root["message"] = report.message;
  const std::set<std::size_t> culprits = blamed(report);
  const std::set<std::size_t> shipped(report.shipped.begin(), report.shipped.end());
  root["changes"] = OrderedJson::array();
  for (std::size_t i = 0; i < report.changes.size(); ++i) {
    OrderedJson j = change_json(report.changes[i]);
    j["result"] = fate(report, i, culprits, shipped);
    root["changes"].push_back(std::move(j));
  }
  auto culprit_json = [&](const CulpritReport& culprit) {
    OrderedJson j;
    j["changes"] = OrderedJson::array();
    for (std::size_t i : culprit.changes) j["changes"].push_back(change_json(report.changes[i]));
    j["needs"] = OrderedJson::array();
    for (std::size_t i : culprit.needs) j["needs"].push_back(change_json(report.changes[i]));
    j["reason"] = culprit.reason;
    j["failing_tests"] = culprit.failing_tests;
    j["log"] = culprit.log.empty() ? OrderedJson(nullptr) : OrderedJson(culprit.log);
    j["tail"] = culprit.tail;
    j["failing_builds"] = culprit.failing_builds;
    j["isolated"] = culprit.isolated;
    j["flake_chance"] = culprit.flake_chance;
    return j;
  };
  root["culprits"] = OrderedJson::array();
  for (const CulpritReport& culprit : report.culprits) {
    root["culprits"].push_back(culprit_json(culprit));
  }
  root["suspected"] = OrderedJson::array();
  for (const CulpritReport& suspect : report.suspected) {
    root["suspected"].push_back(culprit_json(suspect));
  }
  root["flaky"] = report.flaky;
  root["unresolved"] = report.unresolved;
  root["shipped"] = report.shipped;
  root["pushed"] = report.pushed;
  root["snapshot"] =
      report.snapshot_written ? OrderedJson(*report.snapshot_written) : OrderedJson(nullptr);
  root["builds"] = report.builds;
  root["probe_count"] = report.probes;
  root["rounds"] = report.rounds;
  root["bound"] = report.bound;
  if (report.search_mode) {
    const SearchModeReport& mode = *report.search_mode;
    root["flaky_tests"] = {{"setting", mode.setting},
                           {"mode", mode.mode},
                           {"flake_rate", mode.flake_rate},
                           {"confirmations", mode.confirmations},
                           {"why", mode.why}};
  } else {
    root["flaky_tests"] = nullptr;
  }
  root["rechecks"] = report.rechecks;
  root["probes"] = OrderedJson::array();
  for (const ProbeLine& p : report.probe_log) {
    root["probes"].push_back({{"number", p.number},
                              {"round", p.round},
                              {"subset", p.subset},
                              {"run", p.run},
                              {"outcome", to_string(p.outcome)},
                              {"purpose", p.purpose}});
  }
  return dump_json(root);
}

}  // namespace

bool is_transitive(const Change& c) {
  return c.after ? c.after->transitive : (c.before && c.before->transitive);
}

std::string change_label(const Change& c, Label label) {
  std::string transitive;
  if (label == Label::full && is_transitive(c)) {
    transitive = c.via.empty() ? std::string("transitive")
                               : fmt::format("transitive, via {}", fmt::join(c.via, ", "));
  }
  const std::string tail = transitive.empty() ? std::string() : ", " + transitive;
  switch (c.kind) {
    case ChangeKind::added:
      return fmt::format("{} {} (added {}{})", c.ecosystem, c.name, c.after->version, tail);
    case ChangeKind::removed:
      return fmt::format("{} {} (removed {}{})", c.ecosystem, c.name, c.before->version, tail);
    case ChangeKind::redigested:
      return fmt::format("{} {} {} (new digest{})", c.ecosystem, c.name, c.after->version, tail);
    case ChangeKind::upgraded:
    case ChangeKind::downgraded:
      break;
  }
  if (!transitive.empty()) {
    return fmt::format("{} {} {} -> {} ({})", c.ecosystem, c.name, c.before->version,
                       c.after->version, transitive);
  }
  return fmt::format("{} {} {} -> {}", c.ecosystem, c.name, c.before->version, c.after->version);
}

std::string render_run(const RunReport& report, OutputFormat format, Color color, Explain explain) {
  switch (format) {
    case OutputFormat::json:
      return render_json(report);
    case OutputFormat::markdown:
      return render_markdown(report, explain);
    case OutputFormat::text:
      break;
  }
  return render_text(report, color, explain);
}

}  // namespace driftlock::publish
