#include "resolve/report.hpp"

#include "core/diff.hpp"

namespace driftlock::resolve {

Report build_report(const Manifest& manifest, const Snapshot* baseline,
                    const Resolution& resolution, const PolicySettings& policy,
                    EcosystemTable ecosystems, Timestamp now, const FirstSeen& first_seen) {
  Report report;
  report.image = manifest.image;
  report.generated = format_timestamp(now);
  if (policy.as_of) report.as_of = format_timestamp(*policy.as_of);
  if (baseline) report.snapshot_created = baseline->created;

  for (const ResolvedDependency& one : resolution.resolved) {
    const VersionScheme& scheme = *find_ecosystem(ecosystems, one.spec.ecosystem)->scheme;
    const Selection& selection = one.selection;
    const Dependency* current =
        baseline ? baseline->find(one.spec.ecosystem, one.spec.name) : nullptr;

    ReportEntry entry;
    entry.ecosystem = one.spec.ecosystem;
    entry.name = one.spec.name;
    entry.range = one.spec.range;
    entry.resolved = selection.chosen_release().version;
    if (selection.newest) entry.newest = selection.releases[*selection.newest].release.version;
    entry.hold = one.spec.hold;
    entry.has_publish_times = one.has_publish_times;
    if (baseline) {
      for (const HeldBack& held : baseline->held) {
        if (held.ecosystem == entry.ecosystem && held.name == entry.name) {
          entry.held.push_back(held);
        }
      }
    }
    if (current) {
      entry.current = current->version;
      auto same = scheme.compare(current->version, entry.resolved);
      entry.redigested = same && *same == 0 && current->digest &&
                         selection.chosen_release().digest &&
                         *current->digest != *selection.chosen_release().digest;
    }

    // Releases newer than the snapshot's, up to the newest in range: what a
    // reviewer wants to see, including what the policy keeps out and why.
    for (std::size_t i = 0; i < selection.releases.size(); ++i) {
      const JudgedRelease& judged = selection.releases[i];
      if (judged.exclusion == Exclusion::outside_range) continue;
      // A new dependency lists only what it resolves to, not its whole history.
      if (!current && i != selection.chosen) continue;
      if (current) {
        auto order = scheme.compare(judged.release.version, current->version);
        if (!order || *order <= 0) continue;
      }
      ReportRelease release;
      release.version = judged.release.version;
      if (judged.release.published) release.published = format_timestamp(*judged.release.published);
      if (first_seen) {
        if (auto seen = first_seen(entry.ecosystem, entry.name, release.version)) {
          release.first_seen = format_timestamp(*seen);
        }
      }
      release.exclusion = judged.exclusion;
      release.deprecated = judged.release.deprecated;
      release.major = current && is_major_change(current->version, release.version);
      entry.newer.push_back(std::move(release));
    }
    report.entries.push_back(std::move(entry));
  }
  return report;
}

}  // namespace driftlock::resolve
