#include "publish/report_render.hpp"

#include "publish/json_output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "publish/markdown.hpp"

namespace driftlock::publish {
namespace {

// "2026-11-24T10:00:00Z" -> "2026-11-24": days are enough in a table.
std::string day(const std::optional<std::string>& timestamp) {
  if (!timestamp) return "-";
  return timestamp->substr(0, 10);
}

std::size_t count_with_updates(const Report& report) {
  std::size_t n = 0;
  for (const ReportEntry& entry : report.entries) n += entry.has_updates() ? 1 : 0;
  return n;
}

std::string headline(const Report& report) {
  const std::size_t updates = count_with_updates(report);
  std::string line = fmt::format("{} of {} {} {} new releases", updates, report.entries.size(),
                                 report.entries.size() == 1 ? "dependency" : "dependencies",
                                 updates == 1 ? "has" : "have");
  if (report.as_of) line += fmt::format(" (as of {})", *report.as_of);
  return line;
}

// What an entry moves to and why it may not: "4.1.2 -> 5.3.0 (major)".
std::string movement(const ReportEntry& entry) {
  std::string from = entry.current.value_or("(new)");
  std::string out = fmt::format("{} -> {}", from, entry.resolved);
  if (entry.redigested) out = fmt::format("{} (new digest)", entry.resolved);
  bool major = false;
  for (const ReportRelease& r : entry.newer) {
    if (r.version == entry.resolved) major = r.major;
  }
  if (major) out += " (major)";
  return out;
}

std::vector<std::string> notes(const ReportEntry& entry) {
  std::vector<std::string> out;
  if (entry.hold) {
    std::string note = fmt::format("held at {} by the manifest", *entry.hold);
    if (entry.newest && *entry.newest != *entry.hold) {
      note += fmt::format(" (newest allowed {})", *entry.newest);
    }
    out.push_back(note);
  }
  for (const HeldBack& held : entry.held) {
    std::string note = fmt::format("{} held back", held.version);
    if (held.reason) note += ": " + *held.reason;
    out.push_back(note);
  }
  if (!entry.has_publish_times) out.push_back("the registry gives no publish times");
  return out;
}

std::string release_text(const ReportRelease& release) {
  std::string out = fmt::format("{:<16} published {}", release.version, day(release.published));
  if (release.first_seen) out += fmt::format(", first seen {}", day(release.first_seen));
  if (release.major) out += ", major";
  if (release.deprecated) out += ", deprecated";
  if (release.exclusion != Exclusion::none) {
    out += fmt::format(" [not taken: {}]", to_string(release.exclusion));
  }
  return out;
}

std::string render_text(const Report& report, Color color) {
  std::string out =
      fmt::format("driftlock report for image {}: {}\n", report.image, headline(report));
  const char* bold = color == Color::always ? "\x1b[1m" : "";
  const char* reset = color == Color::always ? "\x1b[0m" : "";
  std::size_t quiet = 0;
  // The named dependencies first, then the closure's packages under a heading.
  for (const bool transitive : {false, true}) {
    bool heading = false;
    for (const ReportEntry& entry : report.entries) {
      if (entry.transitive != transitive) continue;
      std::vector<std::string> extra = notes(entry);
      if (!entry.has_updates() && entry.newer.empty() && extra.empty()) {
        ++quiet;
        continue;
      }
      if (transitive && !heading) {
        out += "\ntransitive packages (not named in the manifest):\n";
        heading = true;
      }
      const std::string where =
          transitive ? (entry.via.empty() ? std::string("(transitive)")
                                          : fmt::format("(via {})", fmt::join(entry.via, ", ")))
                     : fmt::format("(range {})", entry.range);
      out += fmt::format("\n{}{} {}{}  {}  {}\n", bold, entry.ecosystem, entry.name, reset,
                         entry.has_updates() ? movement(entry) : "up to date", where);
      for (const ReportRelease& release : entry.newer) {
        out += "    " + release_text(release) + "\n";
      }
      for (const std::string& note : extra) out += "    note: " + note + "\n";
    }
  }
  if (quiet > 0) {
    out += fmt::format("\n{} {} up to date\n", quiet, quiet == 1 ? "dependency" : "dependencies");
  }
  return out;
}

bool listed_in_markdown(const ReportEntry& entry) {
  return entry.has_updates() || !notes(entry).empty();
}

std::string markdown_row(const ReportEntry& entry) {
  std::vector<std::string> extra = notes(entry);
  std::vector<std::string> releases;
  for (const ReportRelease& release : entry.newer) {
    std::string cell =
        fmt::format("{} ({})", markdown_cell(release.version), day(release.published));
    if (release.major) cell += " **major**";
    if (release.exclusion != Exclusion::none) {
      cell = fmt::format("~~{}~~ {}", cell, to_string(release.exclusion));
    }
    releases.push_back(cell);
  }
  for (std::string& note : extra) note = markdown_cell(note);
  return fmt::format("| {} `{}` |{} {} | {} | {} | {} |\n", entry.ecosystem,
                     markdown_code(entry.name),
                     entry.transitive ? " " + markdown_code_list(entry.via) + " |" : std::string(),
                     markdown_cell(entry.current.value_or("(new)")), markdown_cell(entry.resolved),
                     fmt::join(releases, "<br>"), fmt::join(extra, "<br>"));
}

std::string render_markdown(const Report& report) {
  std::string out = fmt::format("### driftlock report: `{}`\n\n{}\n", markdown_code(report.image),
                                headline(report));
  auto listed = [&](bool transitive) {
    return std::any_of(report.entries.begin(), report.entries.end(), [&](const ReportEntry& e) {
      return e.transitive == transitive && listed_in_markdown(e);
    });
  };
  const bool direct_listed = listed(false);
  const bool transitive_listed = listed(true);
  if (direct_listed) {
    if (transitive_listed) out += "\n**Direct updates:**\n";
    out +=
        "\n| Dependency | Snapshot | Resolves to | New releases | Notes |\n"
        "|---|---|---|---|---|\n";
  }
  for (const bool transitive : {false, true}) {
    if (transitive && transitive_listed) {
      out +=
          "\n**Transitive updates** (not named in the manifest; via: the named packages they "
          "came through):\n\n"
          "| Dependency | Via | Snapshot | Resolves to | New releases | Notes |\n"
          "|---|---|---|---|---|---|\n";
    }
    for (const ReportEntry& entry : report.entries) {
      if (entry.transitive != transitive || !listed_in_markdown(entry)) continue;
      out += markdown_row(entry);
    }
  }
  return out;
}

std::string render_json(const Report& report) {
  OrderedJson root;
  root["format"] = "driftlock-report";
  root["version"] = 1;
  root["image"] = report.image;
  root["generated"] = report.generated;
  root["as_of"] = optional_string(report.as_of);
  root["snapshot_created"] = optional_string(report.snapshot_created);
  root["summary"] = {{"dependencies", report.entries.size()},
                     {"with_updates", count_with_updates(report)}};
  root["dependencies"] = OrderedJson::array();
  for (const ReportEntry& entry : report.entries) {
    OrderedJson j;
    j["ecosystem"] = entry.ecosystem;
    j["name"] = entry.name;
    j["range"] = entry.range;
    j["current"] = optional_string(entry.current);
    j["resolved"] = entry.resolved;
    j["newest"] = optional_string(entry.newest);
    j["hold"] = optional_string(entry.hold);
    j["updates"] = entry.has_updates();
    j["redigested"] = entry.redigested;
    j["publish_times"] = entry.has_publish_times;
    j["releases"] = OrderedJson::array();
    for (const ReportRelease& release : entry.newer) {
      OrderedJson r;
      r["version"] = release.version;
      r["published"] = optional_string(release.published);
      r["first_seen"] = optional_string(release.first_seen);
      r["major"] = release.major;
      r["deprecated"] = optional_string(release.deprecated);
      r["excluded"] = release.exclusion == Exclusion::none
                          ? OrderedJson(nullptr)
                          : OrderedJson(std::string(exclusion_id(release.exclusion)));
      j["releases"].push_back(std::move(r));
    }
    j["held"] = OrderedJson::array();
    for (const HeldBack& held : entry.held) {
      j["held"].push_back({{"version", held.version},
                           {"reason", optional_string(held.reason)},
                           {"since", optional_string(held.since)}});
    }
    // Only for the closure's packages, so reports without one are unchanged.
    if (entry.transitive) {
      j["transitive"] = true;
      j["via"] = entry.via;
    }
    root["dependencies"].push_back(std::move(j));
  }
  return dump_json(root);
}

}  // namespace

std::string_view exclusion_id(Exclusion exclusion) {
  switch (exclusion) {
    case Exclusion::none:
      return "";
    case Exclusion::outside_range:
      return "outside_range";
    case Exclusion::yanked:
      return "yanked";
    case Exclusion::after_as_of:
      return "after_as_of";
    case Exclusion::too_young:
      return "too_young";
    case Exclusion::no_publish_time:
      return "no_publish_time";
    case Exclusion::held_back:
      return "held_back";
  }
  return "";
}

std::string render_report(const Report& report, OutputFormat format, Color color) {
  switch (format) {
    case OutputFormat::json:
      return render_json(report);
    case OutputFormat::markdown:
      return render_markdown(report);
    case OutputFormat::text:
      break;
  }
  return render_text(report, color);
}

}  // namespace driftlock::publish
