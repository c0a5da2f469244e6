#include "publish/history_render.hpp"

#include "publish/json_output.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "publish/markdown.hpp"

namespace driftlock::publish {
namespace {

// Text from the state database on one terminal line: a summary or reason with
// a line break or an escape sequence must not garble the listing.
std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out;
}

std::string scalar(const OrderedJson& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

std::string value_text(const OrderedJson& value) {
  if (!value.is_array()) return scalar(value);
  std::vector<std::string> items;
  for (const OrderedJson& item : value) items.push_back(scalar(item));
  return fmt::format("{}", fmt::join(items, ", "));
}

const char* ansi(std::string_view status) {
  if (status == "ok") return "\x1b[32m";
  if (status == "worse" || status == "error") return "\x1b[31m";
  if (status == "interrupted") return "\x1b[33m";
  return "\x1b[36m";  // running
}

std::string run_times(const HistoryRun& run) {
  if (!run.finished) return fmt::format("started {}", format_timestamp(run.started));
  const auto took = std::max(*run.finished - run.started, std::chrono::seconds(0));
  return fmt::format("{} to {} ({})", format_timestamp(run.started),
                     format_timestamp(*run.finished), format_duration(took));
}

std::string culprit_run(const HistoryCulprit& c) {
  return c.run_id ? fmt::format("#{}", *c.run_id) : std::string("-");
}

}  // namespace

std::string summary_line(std::string_view summary_json) {
  const OrderedJson summary = OrderedJson::parse(summary_json, nullptr, false);
  if (summary.is_discarded()) return one_line(summary_json);
  if (!summary.is_object()) return one_line(scalar(summary));
  if (auto message = summary.find("message"); message != summary.end() && message->is_string()) {
    return one_line(message->get<std::string>());
  }
  std::vector<std::string> parts;
  for (const auto& [key, value] : summary.items()) {
    parts.push_back(fmt::format("{}: {}", key, value_text(value)));
  }
  return one_line(fmt::format("{}", fmt::join(parts, "; ")));
}

std::string render_history_text(const History& history, Color color) {
  std::string out;
  if (!history.state) {
    out += "no history yet: no run has recorded anything beside this manifest\n";
  } else {
    if (history.runs.empty()) {
      out += "runs: none\n";
    } else {
      out += "runs (newest first):\n";
      for (const HistoryRun& run : history.runs) {
        std::string status = run.status;
        if (color == Color::always) status = std::string(ansi(run.status)) + status + "\x1b[0m";
        out += fmt::format("  #{} {} {}, {}\n", run.id, run.kind, status, run_times(run));
        if (std::string line = summary_line(run.summary); !line.empty()) {
          out += fmt::format("      {}\n", line);
        }
      }
    }
    if (history.culprits.empty()) {
      out += "culprits: none\n";
    } else {
      out += "culprits (newest first):\n";
      for (const HistoryCulprit& c : history.culprits) {
        out += fmt::format("  {} {} {} {}", format_timestamp(c.at), c.ecosystem, c.name, c.version);
        if (!c.reason.empty()) out += ": " + one_line(c.reason);
        if (c.run_id) out += fmt::format(" (run #{})", *c.run_id);
        out += "\n";
      }
    }
  }
  if (!history.snapshot) {
    out += "held back: none (no snapshot yet)\n";
  } else if (history.held.empty()) {
    out += "held back: none\n";
  } else {
    out += "held back in the snapshot:\n";
    for (const HeldBack& h : history.held) {
      out += fmt::format("  {} {} {}", h.ecosystem, h.name, h.version);
      if (h.since) out += " since " + *h.since;
      if (h.reason) out += ": " + one_line(*h.reason);
      out += "\n";
    }
  }
  return out;
}

std::string render_history_json(const History& history) {
  OrderedJson root;
  root["format"] = "driftlock-history";
  root["version"] = 1;
  root["state"] = history.state;
  root["runs"] = OrderedJson::array();
  for (const HistoryRun& run : history.runs) {
    OrderedJson j;
    j["id"] = run.id;
    j["kind"] = run.kind;
    j["status"] = run.status;
    j["started"] = format_timestamp(run.started);
    j["finished"] =
        run.finished ? OrderedJson(format_timestamp(*run.finished)) : OrderedJson(nullptr);
    // Stored verbatim by the run; a summary that is not JSON is left out, not guessed at.
    OrderedJson summary = OrderedJson::parse(run.summary, nullptr, false);
    j["summary"] = summary.is_discarded() ? OrderedJson(nullptr) : std::move(summary);
    root["runs"].push_back(std::move(j));
  }
  root["culprits"] = OrderedJson::array();
  for (const HistoryCulprit& c : history.culprits) {
    OrderedJson j;
    j["run"] = c.run_id ? OrderedJson(*c.run_id) : OrderedJson(nullptr);
    j["ecosystem"] = c.ecosystem;
    j["name"] = c.name;
    j["version"] = c.version;
    j["reason"] = c.reason;
    j["at"] = format_timestamp(c.at);
    root["culprits"].push_back(std::move(j));
  }
  root["snapshot"] = history.snapshot;
  root["held"] = OrderedJson::array();
  for (const HeldBack& h : history.held) {
    OrderedJson j;
    j["ecosystem"] = h.ecosystem;
    j["name"] = h.name;
    j["version"] = h.version;
    j["reason"] = optional_string(h.reason);
    j["since"] = optional_string(h.since);
    root["held"].push_back(std::move(j));
  }
  return dump_json(root);
}

std::string render_history_markdown(const History& history) {
  std::string out = "**driftlock history**\n\n";
  if (!history.state) {
    out += "No history yet: no run has recorded anything.\n";
  } else {
    if (history.runs.empty()) {
      out += "No runs recorded.\n";
    } else {
      out += "| Run | Kind | Status | Started | Finished | Summary |\n|---|---|---|---|---|---|\n";
      for (const HistoryRun& run : history.runs) {
        out += fmt::format("| #{} | {} | {} | {} | {} | {} |\n", run.id, run.kind, run.status,
                           format_timestamp(run.started),
                           run.finished ? format_timestamp(*run.finished) : "-",
                           markdown_cell(summary_line(run.summary)));
      }
    }
    out += "\n";
    if (history.culprits.empty()) {
      out += "No culprits named.\n";
    } else {
      out += "| Culprit | Version | When | Run | Reason |\n|---|---|---|---|---|\n";
      for (const HistoryCulprit& c : history.culprits) {
        out += fmt::format("| {} `{}` | {} | {} | {} | {} |\n", c.ecosystem, markdown_code(c.name),
                           markdown_cell(c.version), format_timestamp(c.at), culprit_run(c),
                           markdown_cell(one_line(c.reason)));
      }
    }
  }
  out += "\n";
  if (history.held.empty()) {
    out += history.snapshot ? "Nothing held back.\n" : "Nothing held back (no snapshot yet).\n";
  } else {
    out += "| Held back | Version | Since | Reason |\n|---|---|---|---|\n";
    for (const HeldBack& h : history.held) {
      out += fmt::format("| {} `{}` | {} | {} | {} |\n", h.ecosystem, markdown_code(h.name),
                         markdown_cell(h.version), h.since.value_or("-"),
                         markdown_cell(one_line(h.reason.value_or(""))));
    }
  }
  return out;
}

std::string render_history(const History& history, OutputFormat format, Color color) {
  switch (format) {
    case OutputFormat::text:
      return render_history_text(history, color);
    case OutputFormat::json:
      return render_history_json(history);
    case OutputFormat::markdown:
      return render_history_markdown(history);
  }
  return {};
}

}  // namespace driftlock::publish
