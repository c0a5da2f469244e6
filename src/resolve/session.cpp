#include "resolve/session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ostream>

#include "net/curl_client.hpp"
#include "store/releases.hpp"

namespace driftlock::resolve {
namespace {

// "resolving npm: 412/1000 done, 16 in flight, 2 failed" rewritten in place.
class ProgressLine {
 public:
  explicit ProgressLine(std::ostream* out) : m_out(out) {}
  ~ProgressLine() { finish(); }

  void start(std::string_view ecosystem) {
    finish();
    m_ecosystem = std::string(ecosystem);
  }
  void update(const net::Progress& progress) {
    if (m_out == nullptr) return;
    // A terminal needs no more than ten updates a second.
    const auto now = std::chrono::steady_clock::now();
    if (m_shown && progress.done < progress.total &&
        now - m_last < std::chrono::milliseconds(100)) {
      return;
    }
    m_last = now;
    *m_out << fmt::format("\r\x1b[Kresolving {}: {}/{} done, {} in flight, {} failed", m_ecosystem,
                          progress.done, progress.total, progress.in_flight, progress.failures)
           << std::flush;
    m_shown = true;
  }
  void finish() {
    if (m_out != nullptr && m_shown) *m_out << "\r\x1b[K" << std::flush;
    m_shown = false;
  }

 private:
  std::ostream* m_out;
  std::string m_ecosystem;
  bool m_shown = false;
  std::chrono::steady_clock::time_point m_last{};
};

// The snapshot's captured closure: every transitive package the manifest does
// not name is resolved like a dependency with any version allowed.
void add_transitive_specs(const Snapshot& baseline, Manifest& manifest) {
  bool added = false;
  for (const Dependency& d : baseline.dependencies) {
    if (!d.transitive) continue;
    const bool named = std::any_of(
        manifest.dependencies.begin(), manifest.dependencies.end(),
        [&](const DependencySpec& s) { return s.ecosystem == d.ecosystem && s.name == d.name; });
    if (named) continue;
    manifest.dependencies.push_back(DependencySpec{d.ecosystem, d.name, "*", {}, {}, {}, {}, true});
    added = true;
  }
  if (added)
    std::sort(manifest.dependencies.begin(), manifest.dependencies.end(),
              by_identity<DependencySpec>);
}

// The snapshot beside the manifest; nullopt before the first green run.
Result<std::optional<Snapshot>> load_baseline(const Manifest& manifest, EcosystemTable ecosystems) {
  std::error_code ec;
  if (!std::filesystem::exists(manifest.snapshot, ec)) return std::nullopt;
  auto loaded = load_snapshot(manifest.snapshot, ecosystems);
  if (!loaded) return std::unexpected(std::move(loaded.error()));
  if (loaded->image != manifest.image) {
    return fail_input(fmt::format("{}: snapshot is for image '{}' but the manifest names '{}'",
                                  manifest.snapshot.string(), loaded->image, manifest.image));
  }
  return std::optional<Snapshot>(std::move(*loaded));
}

}  // namespace

Result<Session> open_and_resolve(const std::filesystem::path& manifest_path,
                                 EcosystemTable ecosystems, const Clock& clock,
                                 SessionOptions options, const SourcesFor& sources_for) {
  auto manifest = load_manifest(manifest_path, ecosystems);
  if (!manifest) return std::unexpected(std::move(manifest.error()));

  // Read (and so checked) before the state folder is created: bad input
  // changes nothing.
  auto baseline = load_baseline(*manifest, ecosystems);
  if (!baseline) return std::unexpected(std::move(baseline.error()));

  auto state = store::StateDir::open(
      options.state_folder.value_or(store::default_state_folder(manifest->path)), options.locking,
      options.wait);
  if (!state) return std::unexpected(std::move(state.error()));
  if (options.on_locked) {
    auto rewrote = options.on_locked(*manifest, *state);
    if (!rewrote) return std::unexpected(std::move(rewrote.error()));
    if (*rewrote) {
      baseline = load_baseline(*manifest, ecosystems);
      if (!baseline) return std::unexpected(std::move(baseline.error()));
    }
  }

  if (*baseline) add_transitive_specs(**baseline, *manifest);

  PolicySettings policy = manifest->policy;
  if (options.as_of) policy.as_of = options.as_of;
  PublishTimes times = options.times;
  if (policy.as_of || policy.min_age.count() > 0) times = PublishTimes::needed;

  ProgressLine progress(options.progress);
  net::HttpOptions http_options = options.http;
  if (options.progress != nullptr) {
    http_options.on_progress = [&progress](const net::Progress& p) { progress.update(p); };
  }
  net::CurlHttpClient curl(std::move(http_options), &clock);
  CachingHttpClient caching(curl, state->database(), clock);
  std::unique_ptr<SourceFactory> sources =
      sources_for ? sources_for(caching)
                  : std::make_unique<RegistrySources>(caching, HostConfig::current());

  ResolveOptions resolve_options;
  resolve_options.policy = policy;
  resolve_options.times = times;
  resolve_options.now = clock.now();
  resolve_options.on_fetch = [&progress](std::string_view ecosystem, std::size_t) {
    progress.start(ecosystem);
  };
  auto resolution = resolve_manifest(*manifest, *baseline ? &**baseline : nullptr, *sources,
                                     ecosystems, resolve_options);
  progress.finish();
  if (!resolution) return std::unexpected(std::move(resolution.error()));

  // First sightings feed the report; losing them is not worth failing for.
  store::ReleaseLog releases(state->database());
  auto recorded = store::in_transaction(state->database(), [&]() -> Result<void> {
    for (const ResolvedDependency& one : resolution->resolved) {
      std::vector<std::string> versions;
      for (const JudgedRelease& judged : one.selection.releases) {
        versions.push_back(judged.release.version);
      }
      auto r =
          releases.record_seen(one.spec.ecosystem, one.spec.name, versions, resolve_options.now);
      if (!r) return std::unexpected(std::move(r.error()));
    }
    return {};
  });
  Session session{std::move(*manifest),
                  std::move(*baseline),
                  std::move(*state),
                  std::move(*resolution),
                  caching.stats(),
                  policy,
                  {}};
  if (!recorded) {
    session.warnings.push_back("first sightings not recorded: " + recorded.error().message);
  }
  for (std::string& note : session.resolution.notes) session.warnings.push_back(std::move(note));
  if (caching.stats().store_failures > 0) {
    session.warnings.push_back(
        fmt::format("the HTTP cache failed {} times (requests went through uncached)",
                    caching.stats().store_failures));
  }
  return session;
}

}  // namespace driftlock::resolve
