#include "core/diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace driftlock {
namespace {

using Key = std::pair<std::string, std::string>;

// The first run of digits, as a string without leading zeros: the "major"
// component in every scheme driftlock knows (an epoch is rare enough to ignore).
std::string leading_number(std::string_view version) {
  std::size_t i = 0;
  while (i < version.size() && (version[i] < '0' || version[i] > '9')) ++i;
  std::size_t j = i;
  while (j < version.size() && version[j] >= '0' && version[j] <= '9') ++j;
  std::string_view digits = version.substr(i, j - i);
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  return std::string(digits);
}

}  // namespace

bool is_major_change(std::string_view from, std::string_view to) {
  std::string a = leading_number(from);
  std::string b = leading_number(to);
  if (a != b) return true;
  if (a != "0") return false;
  auto after_major = [](std::string_view v) {
    std::size_t dot = v.find('.');
    return dot == std::string_view::npos ? std::string_view() : v.substr(dot + 1);
  };
  return leading_number(after_major(from)) != leading_number(after_major(to));
}

std::string_view to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::added:
      return "added";
    case ChangeKind::removed:
      return "removed";
    case ChangeKind::upgraded:
      return "upgraded";
    case ChangeKind::downgraded:
      return "downgraded";
    case ChangeKind::redigested:
      return "redigested";
  }
  return "?";
}

std::string_view to_string(HeldStatus status) {
  switch (status) {
    case HeldStatus::added:
      return "added";
    case HeldStatus::kept:
      return "kept";
    case HeldStatus::released:
      return "released";
  }
  return "?";
}

std::size_t Diff::count(ChangeKind kind) const {
  return static_cast<std::size_t>(std::count_if(changes.begin(), changes.end(),
                                                [&](const Change& c) { return c.kind == kind; }));
}

Result<Diff> diff_dependencies(const std::vector<Dependency>& before,
                               const std::vector<Dependency>& after, EcosystemTable ecosystems) {
  std::map<Key, const Dependency*> old_by_key;
  std::map<Key, const Dependency*> new_by_key;
  for (const Dependency& d : before) old_by_key[{d.ecosystem, d.name}] = &d;
  for (const Dependency& d : after) new_by_key[{d.ecosystem, d.name}] = &d;

  Diff diff;
  for (const auto& [key, old_dep] : old_by_key) {
    auto it = new_by_key.find(key);
    if (it == new_by_key.end()) {
      diff.changes.push_back({ChangeKind::removed, key.first, key.second, *old_dep, std::nullopt});
      continue;
    }
    const Dependency* new_dep = it->second;
    const Ecosystem* eco = find_ecosystem(ecosystems, key.first);
    if (!eco) return fail_input(fmt::format("unknown ecosystem '{}'", key.first));
    auto order = eco->scheme->compare(old_dep->version, new_dep->version);
    if (!order) return std::unexpected(order.error());
    if (*order != 0) {
      Change c{*order < 0 ? ChangeKind::upgraded : ChangeKind::downgraded, key.first, key.second,
               *old_dep, *new_dep};
      c.major = is_major_change(old_dep->version, new_dep->version);
      diff.changes.push_back(std::move(c));
    } else if (old_dep->digest && new_dep->digest && *old_dep->digest != *new_dep->digest) {
      diff.changes.push_back({ChangeKind::redigested, key.first, key.second, *old_dep, *new_dep});
    }
  }
  for (const auto& [key, new_dep] : new_by_key) {
    if (!old_by_key.contains(key)) {
      diff.changes.push_back({ChangeKind::added, key.first, key.second, std::nullopt, *new_dep});
    }
  }
  std::stable_sort(diff.changes.begin(), diff.changes.end(), [](const Change& a, const Change& b) {
    return std::tie(a.ecosystem, a.name) < std::tie(b.ecosystem, b.name);
  });
  return diff;
}

Result<Diff> diff_snapshots(const Snapshot& before, const Snapshot& after,
                            EcosystemTable ecosystems) {
  auto diff = diff_dependencies(before.dependencies, after.dependencies, ecosystems);
  if (!diff) return diff;
  auto key = [](const HeldBack& h) { return std::tie(h.ecosystem, h.name, h.version); };
  for (const HeldBack& h : after.held) {
    bool kept = std::any_of(before.held.begin(), before.held.end(),
                            [&](const HeldBack& o) { return key(o) == key(h); });
    diff->held.push_back({kept ? HeldStatus::kept : HeldStatus::added, h});
  }
  for (const HeldBack& h : before.held) {
    bool still = std::any_of(after.held.begin(), after.held.end(),
                             [&](const HeldBack& o) { return key(o) == key(h); });
    if (!still) diff->held.push_back({HeldStatus::released, h});
  }
  std::stable_sort(diff->held.begin(), diff->held.end(),
                   [](const HeldChange& a, const HeldChange& b) {
                     return std::tie(a.entry.ecosystem, a.entry.name, a.entry.version) <
                            std::tie(b.entry.ecosystem, b.entry.name, b.entry.version);
                   });
  return diff;
}

}  // namespace driftlock
