#include "publish/diff_render.hpp"

#include "publish/json_output.hpp"

#include "publish/markdown.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

namespace driftlock::publish {
namespace {

constexpr std::array<ChangeKind, 5> kKinds = {ChangeKind::upgraded, ChangeKind::downgraded,
                                              ChangeKind::added, ChangeKind::removed,
                                              ChangeKind::redigested};

std::string version_of(const std::optional<Dependency>& d) {
  return d ? d->version : "-";
}

std::string short_digest(const std::optional<Dependency>& d) {
  if (!d || !d->digest) return "-";
  const std::string& digest = *d->digest;
  return digest.size() > 19 ? digest.substr(0, 19) + "..." : digest;
}

std::string describe(const Change& c) {
  std::string out(to_string(c.kind));
  if (c.major) out += " (major)";
  if (c.kind == ChangeKind::redigested) out += " (re-published artifact)";
  return out;
}

// "from -> to": for a new digest of the same version, the digests tell the story.
std::pair<std::string, std::string> endpoints(const Change& c) {
  if (c.kind == ChangeKind::redigested) {
    return {c.before->version + " " + short_digest(c.before), short_digest(c.after)};
  }
  return {version_of(c.before), version_of(c.after)};
}

const char* ansi(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::added:
      return "\x1b[32m";
    case ChangeKind::removed:
      return "\x1b[31m";
    case ChangeKind::upgraded:
      return "\x1b[36m";
    case ChangeKind::downgraded:
      return "\x1b[33m";
    case ChangeKind::redigested:
      return "\x1b[35m";
  }
  return "";
}

}  // namespace

std::string summarize(const Diff& diff) {
  if (diff.changes.empty()) return "no changes";
  std::vector<std::string> parts;
  for (ChangeKind kind : kKinds) {
    if (std::size_t n = diff.count(kind)) parts.push_back(fmt::format("{} {}", n, to_string(kind)));
  }
  return fmt::format("{} change{}: {}", diff.changes.size(), diff.changes.size() == 1 ? "" : "s",
                     fmt::join(parts, ", "));
}

std::string render_diff_text(const Diff& diff, Color color) {
  std::string out = summarize(diff) + "\n";
  std::size_t w_eco = 0, w_name = 0, w_from = 0, w_to = 0;
  for (const Change& c : diff.changes) {
    auto [from, to] = endpoints(c);
    w_eco = std::max(w_eco, c.ecosystem.size());
    w_name = std::max(w_name, c.name.size());
    w_from = std::max(w_from, from.size());
    w_to = std::max(w_to, to.size());
  }
  for (const Change& c : diff.changes) {
    auto [from, to] = endpoints(c);
    std::string what = describe(c);
    if (color == Color::always) what = std::string(ansi(c.kind)) + what + "\x1b[0m";
    out += fmt::format("  {:<{}}  {:<{}}  {:<{}} -> {:<{}}  {}\n", c.ecosystem, w_eco, c.name,
                       w_name, from, w_from, to, w_to, what);
  }
  if (!diff.held.empty()) {
    out += "held back:\n";
    for (const HeldChange& h : diff.held) {
      out += fmt::format("  {} {} {} ({})", h.entry.ecosystem, h.entry.name, h.entry.version,
                         to_string(h.status));
      if (h.entry.reason) out += ": " + *h.entry.reason;
      out += "\n";
    }
  }
  return out;
}

std::string render_diff_json(const Diff& diff) {
  OrderedJson root;
  root["format"] = "driftlock-diff";
  root["version"] = 1;
  OrderedJson summary;
  summary["changes"] = diff.changes.size();
  for (ChangeKind kind : {ChangeKind::added, ChangeKind::removed, ChangeKind::upgraded,
                          ChangeKind::downgraded, ChangeKind::redigested}) {
    summary[std::string(to_string(kind))] = diff.count(kind);
  }
  summary["held"] = diff.held.size();
  root["summary"] = summary;
  root["changes"] = OrderedJson::array();
  for (const Change& c : diff.changes) {
    OrderedJson j;
    j["kind"] = to_string(c.kind);
    j["ecosystem"] = c.ecosystem;
    j["name"] = c.name;
    j["from"] = c.before ? OrderedJson(c.before->version) : OrderedJson(nullptr);
    j["to"] = c.after ? OrderedJson(c.after->version) : OrderedJson(nullptr);
    j["from_digest"] = c.before ? optional_string(c.before->digest) : OrderedJson(nullptr);
    j["to_digest"] = c.after ? optional_string(c.after->digest) : OrderedJson(nullptr);
    j["major"] = c.major;
    root["changes"].push_back(std::move(j));
  }
  root["held"] = OrderedJson::array();
  for (const HeldChange& h : diff.held) {
    OrderedJson j;
    j["status"] = to_string(h.status);
    j["ecosystem"] = h.entry.ecosystem;
    j["name"] = h.entry.name;
    j["version"] = h.entry.version;
    j["reason"] = optional_string(h.entry.reason);
    j["since"] = optional_string(h.entry.since);
    root["held"].push_back(std::move(j));
  }
  return dump_json(root);
}

std::string render_diff_markdown(const Diff& diff) {
  std::string out = fmt::format("**driftlock:** {}\n", summarize(diff));
  if (!diff.changes.empty()) {
    out += "\n| Ecosystem | Package | From | To | Change |\n|---|---|---|---|---|\n";
    for (const Change& c : diff.changes) {
      auto [from, to] = endpoints(c);
      out += fmt::format("| {} | `{}` | {} | {} | {} |\n", c.ecosystem, markdown_code(c.name),
                         markdown_cell(from), markdown_cell(to), describe(c));
    }
  }
  if (!diff.held.empty()) {
    out += "\n| Held back | Version | Status | Reason |\n|---|---|---|---|\n";
    for (const HeldChange& h : diff.held) {
      out += fmt::format("| {} `{}` | {} | {} | {} |\n", h.entry.ecosystem,
                         markdown_code(h.entry.name), markdown_cell(h.entry.version),
                         to_string(h.status), markdown_cell(h.entry.reason.value_or("")));
    }
  }
  return out;
}

std::string render_diff(const Diff& diff, OutputFormat format, Color color) {
  switch (format) {
    case OutputFormat::text:
      return render_diff_text(diff, color);
    case OutputFormat::json:
      return render_diff_json(diff);
    case OutputFormat::markdown:
      return render_diff_markdown(diff);
  }
  return {};
}

}  // namespace driftlock::publish
