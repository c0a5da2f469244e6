#include "init/manifest_writer.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "core/manifest.hpp"
#include "core/manifest_text.hpp"
#include "ecosystems/pypi/name.hpp"

namespace driftlock::init {
namespace {

using manifest_detail::toml_string;

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 4> kOrder = {"oci", "debian", "pypi", "npm"};

// PEP 503: one project however it is spelled.
std::string merge_key(const Found& found) {
  return found.ecosystem == "pypi" ? ecosystems::pypi::normalize_name(found.name) : found.name;
}

std::string toml_key(std::string_view key, bool always_quote) {
  static const RE2 bare(R"([A-Za-z0-9_-]+)");
  if (!always_quote && RE2::FullMatch(re2::StringPiece(key.data(), key.size()), bare)) {
    return std::string(key);
  }
  return toml_string(key);
}

// Comment text stays on its line and is plain ASCII.
std::string comment_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 && c != '\t') || u >= 0x7f ? '?' : c;
  }
  return out;
}

struct Entry {
  Found first;
  std::string range;
  std::optional<std::string> hold;
  std::vector<std::string> places;  // "Dockerfile:14", "requirements.txt:3 via Dockerfile:20"
  std::vector<std::string> notes;
  std::string key;  // oci: an explicit env key when derived ones collide
};

std::string place(const Found& found, const fs::path& from) {
  std::string out = shown(found.origin, from);
  if (found.via) out += fmt::format(" via {}", shown(*found.via, from));
  return out;
}

std::string value_of(const Entry& entry) {
  if (!entry.hold && entry.key.empty()) return toml_string(entry.range);
  std::string out = fmt::format("{{ range = {}", toml_string(entry.range));
  if (entry.hold) out += fmt::format(", hold = {}", toml_string(*entry.hold));
  if (!entry.key.empty()) out += fmt::format(", key = {}", toml_string(entry.key));
  return out + " }";
}

std::string comment_of(const Entry& entry) {
  std::string out;
  for (std::size_t i = 0; i < entry.places.size(); ++i) {
    out += (i ? ", " : "") + entry.places[i];
  }
  for (const std::string& note : entry.notes) out += "; " + note;
  return comment_text(out);
}

void add_unique(std::vector<std::string>& list, std::string item) {
  if (!item.empty() && std::ranges::find(list, item) == list.end()) list.push_back(std::move(item));
}

// Merges the dependencies of one ecosystem, in the order first found.
std::vector<Entry> merged(const std::vector<Found>& found, std::string_view ecosystem,
                          const fs::path& from) {
  std::vector<Entry> entries;
  std::map<std::string, std::size_t> index;
  for (const Found& f : found) {
    if (f.ecosystem != ecosystem) continue;
    const std::string key = merge_key(f);
    auto it = index.find(key);
    if (it == index.end()) {
      index.emplace(key, entries.size());
      Entry entry{f, f.range, f.hold, {place(f, from)}, {}, {}};
      add_unique(entry.notes, f.note);
      entries.push_back(std::move(entry));
      continue;
    }
    Entry& entry = entries[it->second];
    const std::string where = place(f, from);
    add_unique(entry.places, where);
    add_unique(entry.notes, f.note);
    if (f.range != entry.range) {
      if (entry.range == "*" && f.range != "*" && ecosystem != "oci") {
        entry.notes.push_back(fmt::format("{} asks any version", entry.places.front()));
        entry.range = f.range;
      } else {
        entry.notes.push_back(fmt::format("{} asks {}", where, f.range));
      }
    }
    if (f.hold && f.hold != entry.hold) {
      if (!entry.hold) {
        entry.hold = f.hold;
      } else {
        entry.notes.push_back(fmt::format("{} pins {}", where, *f.hold));
      }
    }
  }
  return entries;
}

// Two images whose derived env keys collide (team/base, other/base) get
// explicit keys made of their whole name.
void give_keys(std::vector<Entry>& entries) {
  std::map<std::string, int> uses;
  for (const Entry& e : entries) ++uses[derive_oci_key(e.first.name)];
  std::set<std::string> taken;
  for (const Entry& e : entries) {
    if (uses[derive_oci_key(e.first.name)] == 1) taken.insert(derive_oci_key(e.first.name));
  }
  for (Entry& e : entries) {
    if (uses[derive_oci_key(e.first.name)] == 1) continue;
    std::string key;
    for (char c : e.first.name) {
      const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      key += (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ? u : '_';
    }
    if (key.empty() || (key[0] >= '0' && key[0] <= '9')) key.insert(key.begin(), '_');
    std::string unique = key;
    for (int n = 2; taken.contains(unique); ++n) unique = fmt::format("{}_{}", key, n);
    taken.insert(unique);
    e.key = unique;
  }
}

void write_table(std::string& out, std::string_view ecosystem, const std::vector<Entry>& entries) {
  if (entries.empty()) return;
  out += fmt::format("\n[dependencies.{}]\n", ecosystem);
  std::size_t key_width = 0, line_width = 0;
  std::vector<std::pair<std::string, std::string>> lines;
  for (const Entry& e : entries) {
    std::string key = toml_key(e.first.name, ecosystem == "oci");
    key_width = std::max(key_width, key.size());
    lines.emplace_back(std::move(key), value_of(e));
  }
  key_width = std::min<std::size_t>(key_width, 32);
  for (const auto& [key, value] : lines) {
    line_width = std::max(line_width, std::max(key.size(), key_width) + 3 + value.size());
  }
  line_width = std::min<std::size_t>(line_width, 56);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& [key, value] = lines[i];
    std::string line = fmt::format("{:<{}} = {}", key, key_width, value);
    line += std::string(line_width > line.size() ? line_width - line.size() : 0, ' ');
    out += fmt::format("{}  # {}\n", line, comment_of(entries[i]));
  }
}

std::string commands_section(const Draft& draft, const std::vector<Entry>& images) {
  std::string build =
      fmt::format("buildah bud -t \\\"$DRIFTLOCK_IMAGE_TAG\\\" -f {}", draft.dockerfile);
  std::string base_lines;
  for (const Entry& image : images) {
    const std::string key = image.key.empty() ? derive_oci_key(image.first.name) : image.key;
    build += fmt::format(" --build-arg {}=\\\"$DRIFTLOCK_OCI_{}\\\"", key, key);
    base_lines += fmt::format("#   ARG {}={}:{}\n#   FROM ${{{}}}\n", key, image.first.name,
                              image.range, key);
  }
  for (const std::string& arg : draft.findings.build_args) {
    build += fmt::format(" --build-arg {}=...", arg);
  }
  build += fmt::format(" -v \\\"$DRIFTLOCK_CANDIDATE_DIR:/pins:ro\\\" {}", draft.context);
  std::string out =
      "\n[commands]\n"
      "# Fill these in: `check`, `run` and `bisect` need build and test, and\n"
      "# `run` publishes with push. Each runs with /bin/sh -c in this folder.\n"
      "# The candidate's versions are in $DRIFTLOCK_CANDIDATE_DIR (constraints.txt,\n"
      "# apt-pins.txt, npm-pins.json, oci.env): the Dockerfile must install those\n"
      "# (pip install -c /pins/constraints.txt, ...) for a build to test them.\n";
  if (!base_lines.empty()) {
    out += "# For the candidate's base image, the Dockerfile takes it as a build argument:\n";
    out += base_lines;
  }
  out += fmt::format("# build = \"{}\"\n", comment_text(build));
  out += "# test  = \"./ci/test-image.sh \\\"$DRIFTLOCK_IMAGE_TAG\\\"\"\n";
  out += fmt::format(
      "# push  = \"buildah push \\\"$DRIFTLOCK_IMAGE_TAG\\\" docker://REGISTRY/{}:latest\"\n",
      draft.image);
  return out;
}

// The listing commands are the image's own (they run inside it), so they
// are suggested, commented out, for the installers found.
std::string closure_section(const std::map<std::string, std::vector<Entry>>& tables) {
  struct Listing {
    std::string_view ecosystem;
    std::string_view listing;
  };
  constexpr std::array<Listing, 3> kListings = {
      {{"debian", "dpkg-query -W"}, {"pypi", "pip freeze"}, {"npm", "npm ls --all --json"}}};
  std::string lines;
  for (const Listing& l : kListings) {
    auto it = tables.find(std::string(l.ecosystem));
    if (it == tables.end() || it->second.empty()) continue;
    lines +=
        fmt::format("# {:<6} = \"./ci/closure-{}.sh\"  # prints `{}` run in $DRIFTLOCK_IMAGE_TAG\n",
                    l.ecosystem, l.ecosystem, l.listing);
  }
  if (lines.empty()) return "";
  return "\n# [closure]\n"
         "# Optional: the installer's own listing of the candidate's image, so the\n"
         "# snapshot pins every package it installs, not only the ones named below\n"
         "# (docs/manifest.md; examples/real-image/ci/closure.sh does it with buildah).\n" +
         lines;
}

}  // namespace

std::string shown(const Origin& origin, const fs::path& shown_from) {
  std::error_code ec;
  fs::path path = fs::absolute(origin.path, ec).lexically_normal();
  fs::path relative = shown_from.empty() ? fs::path() : path.lexically_relative(shown_from);
  std::string name = relative.empty() ? origin.path : relative.string();
  return fmt::format("{}:{}", name, origin.line);
}

std::string image_name_from(std::string_view folder) {
  std::string out;
  for (char c : folder) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    if (out.empty() && !std::isalnum(static_cast<unsigned char>(c))) continue;
    out += ok ? c : '-';
  }
  if (out.size() > 128) out.resize(128);
  return out.empty() ? "image" : out;
}

Written write_manifest(const Draft& draft, EcosystemTable /*ecosystems*/) {
  Written written;
  std::string& out = written.text;
  out += fmt::format(
      "# driftlock.toml for the image {} builds, written by `driftlock init`.\n"
      "# Each dependency names the line it came from. Check the ranges (\"*\" follows\n"
      "# every release), fill in [commands] (and [closure]), run `driftlock validate`,\n"
      "# then `driftlock init --capture` (builds once, writes the first snapshot).\n"
      "# docs/manifest.md describes every key.\n\n",
      comment_text(draft.dockerfile));
  out += fmt::format("image    = {}\n", toml_string(draft.image));
  out += fmt::format("snapshot = {}\n",
                     toml_string(fmt::format("snapshots/{}.lock.json", draft.image)));

  std::set<std::pair<std::string, int>> unread_lines;
  for (const Unread& u : draft.findings.unread) unread_lines.emplace(u.origin.path, u.origin.line);
  written.unread_lines = unread_lines.size();
  if (!draft.findings.unread.empty()) {
    out += "\n# driftlock init could not read these; add what they install by hand:\n";
    for (const Unread& u : draft.findings.unread) {
      out += fmt::format("#   {}: {}\n", shown(u.origin, draft.shown_from), comment_text(u.what));
    }
  }

  std::map<std::string, std::vector<Entry>> tables;
  for (std::string_view eco : kOrder) {
    tables[std::string(eco)] = merged(draft.findings.dependencies, eco, draft.shown_from);
  }
  give_keys(tables["oci"]);
  out += commands_section(draft, tables["oci"]);
  out += closure_section(tables);
  for (std::string_view eco : kOrder) {
    const auto& entries = tables[std::string(eco)];
    if (!entries.empty()) written.counts[std::string(eco)] = entries.size();
    write_table(out, eco, entries);
  }
  return written;
}

}  // namespace driftlock::init
