#include "pipeline/closure.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <set>

#include "core/closure.hpp"
#include "core/file.hpp"
#include "core/text.hpp"
#include "ecosystems/pypi/name.hpp"
#include "store/closure_via.hpp"

namespace driftlock::pipeline {
namespace {

// Listings spell names as the installer does (pip: "Flask", "typing_extensions");
// PyPI names are one name under PEP 503 normalisation.
std::string canonical(std::string_view ecosystem, std::string_view name) {
  return ecosystem == "pypi" ? ecosystems::pypi::normalize_name(name) : std::string(name);
}

bool same(std::string_view ecosystem, std::string_view a, std::string_view b) {
  return canonical(ecosystem, a) == canonical(ecosystem, b);
}

bool named(const Manifest& manifest, std::string_view ecosystem, std::string_view name) {
  return std::any_of(
      manifest.dependencies.begin(), manifest.dependencies.end(), [&](const DependencySpec& s) {
        return !s.transitive && s.ecosystem == ecosystem && same(ecosystem, s.name, name);
      });
}

// The packages the manifest names in `ecosystem`: canonical name -> its spelling.
std::map<std::string, std::string> named_packages(const Manifest& manifest,
                                                  std::string_view ecosystem) {
  std::map<std::string, std::string> out;
  for (const DependencySpec& spec : manifest.dependencies) {
    if (!spec.transitive && spec.ecosystem == ecosystem) {
      out.try_emplace(canonical(ecosystem, spec.name), spec.name);
    }
  }
  return out;
}

// One command's listing: its standard output, written to a file we name
// (never through the command text: the command is the user's, the path ours).
Result<std::string> run_listing(const ClosureCommand& closure, const Manifest& manifest,
                                const std::vector<exec::EnvVar>& env, exec::CommandRunner& runner,
                                const std::filesystem::path& log) {
  const std::filesystem::path out =
      log.parent_path() / fmt::format("closure-{}.out", closure.ecosystem);
  exec::RunRequest request;
  request.command = "{\n" + closure.command + "\n} >\"$DRIFTLOCK_CLOSURE_OUTPUT\"";
  request.cwd = manifest.dir;
  request.env = env;
  request.env.push_back({"DRIFTLOCK_CLOSURE_OUTPUT", out.string()});
  request.timeout = manifest.commands.timeout;
  request.log = log;
  request.log_header =
      fmt::format("==> driftlock: closure of {} ({})", closure.ecosystem, closure.command);
  std::error_code ec;
  std::filesystem::create_directories(log.parent_path(), ec);
  std::filesystem::remove(out, ec);
  auto ran = runner.run(request);
  if (!ran) return std::unexpected(std::move(ran.error()));
  if (!ran->succeeded()) {
    return fail(ErrorKind::infrastructure,
                fmt::format("[closure] {} command '{}' {} (log: {}); nothing was captured",
                            closure.ecosystem, escape_for_message(closure.command, 200),
                            exec::describe(*ran, manifest.commands.timeout), log.string()));
  }
  auto text = read_file(out, "closure listing");
  std::filesystem::remove(out, ec);
  return text;
}

}  // namespace

Result<CapturedClosure> capture_closure(const Manifest& manifest,
                                        const std::vector<Dependency>& pins,
                                        const std::vector<exec::EnvVar>& env,
                                        exec::CommandRunner& runner,
                                        const std::filesystem::path& log,
                                        EcosystemTable ecosystems) {
  CapturedClosure captured;
  std::set<std::string> listed_ecosystems;
  std::vector<Dependency> transitive;
  for (const ClosureCommand& closure : manifest.closure) {
    const Ecosystem* ecosystem = find_ecosystem(ecosystems, closure.ecosystem);
    if (!ecosystem || !ecosystem->parse_closure) {
      return fail_input(
          fmt::format("[closure] {}: this ecosystem has no closure listing", closure.ecosystem));
    }
    auto text = run_listing(closure, manifest, env, runner, log);
    if (!text) return std::unexpected(std::move(text.error()));
    auto listing = ecosystem->parse_closure(*text);
    if (!listing) {
      return fail_input(fmt::format("[closure] {} command '{}' printed a malformed listing: {}",
                                    closure.ecosystem, escape_for_message(closure.command, 200),
                                    listing.error().message));
    }
    listed_ecosystems.insert(closure.ecosystem);
    for (const std::string& line : listing->skipped) {
      captured.warnings.push_back(fmt::format(
          "[closure] {}: not pinned (a registry cannot serve it): {}", closure.ecosystem, line));
    }
    std::map<std::string, std::vector<std::string>> parents;
    for (const ClosurePackage& package : listing->packages) {
      if (!package.via.empty()) parents[canonical(closure.ecosystem, package.name)] = package.via;
    }
    const std::map<std::string, std::string> named_here =
        named_packages(manifest, closure.ecosystem);
    for (const ClosurePackage& package : listing->packages) {
      if (named(manifest, closure.ecosystem, package.name)) continue;
      Dependency d;
      d.ecosystem = closure.ecosystem;
      d.name = package.name;
      d.version = package.version;
      d.transitive = true;
      // The candidate's own pin keeps its spelling, digest and publish time.
      for (const Dependency& pin : pins) {
        if (pin.ecosystem == d.ecosystem && same(d.ecosystem, pin.name, d.name) &&
            pin.version == d.version) {
          d = pin;
          d.transitive = true;
        }
      }
      std::vector<std::string> via = named_via(closure.ecosystem, d.name, parents, named_here);
      if (!via.empty()) captured.via[{d.ecosystem, d.name}] = std::move(via);
      transitive.push_back(std::move(d));
    }
  }
  for (const Dependency& pin : pins) {
    // A listed ecosystem's transitive pins are replaced by its listing.
    if (listed_ecosystems.contains(pin.ecosystem) && !named(manifest, pin.ecosystem, pin.name)) {
      continue;
    }
    captured.dependencies.push_back(pin);
  }
  for (Dependency& d : transitive) captured.dependencies.push_back(std::move(d));
  std::sort(captured.dependencies.begin(), captured.dependencies.end(), by_identity<Dependency>);
  captured.listed.assign(listed_ecosystems.begin(), listed_ecosystems.end());
  return captured;
}

std::vector<std::string> named_via(std::string_view ecosystem, std::string_view name,
                                   const std::map<std::string, std::vector<std::string>>& parents,
                                   const std::map<std::string, std::string>& manifest_names) {
  const std::string start = canonical(ecosystem, name);
  auto immediate = parents.find(start);
  if (immediate == parents.end()) return {};
  std::set<std::string> found;
  std::set<std::string> seen = {start};
  std::deque<std::string> queue;
  for (const std::string& parent : immediate->second) queue.push_back(parent);
  while (!queue.empty()) {
    const std::string key = canonical(ecosystem, queue.front());
    queue.pop_front();
    if (!seen.insert(key).second) continue;
    if (auto spelt = manifest_names.find(key); spelt != manifest_names.end()) {
      // A named package is where the walk ends: what required it is the
      // manifest's business, not this package's.
      found.insert(spelt->second);
      continue;
    }
    if (auto up = parents.find(key); up != parents.end()) {
      for (const std::string& parent : up->second) queue.push_back(parent);
    }
  }
  if (found.empty()) return immediate->second;
  return {found.begin(), found.end()};
}

Result<void> record_closure_via(store::Database& database, std::string_view image,
                                const CapturedClosure& captured, Timestamp now) {
  return store::ClosureViaLog(database).replace(image, captured.listed, captured.via, now);
}

ClosureVia read_closure_via(store::Database& database, std::string_view image) {
  auto via = store::ClosureViaLog(database).for_image(image);
  return via ? std::move(*via) : ClosureVia{};
}

std::vector<std::string> via_of(const ClosureVia& via, std::string_view ecosystem,
                                std::string_view name) {
  if (auto exact = via.find({std::string(ecosystem), std::string(name)}); exact != via.end()) {
    return exact->second;
  }
  // Spelt otherwise (pip's "Typing_Extensions" against a snapshot's
  // "typing-extensions"): the same package under PyPI's normalisation.
  const std::string key = canonical(ecosystem, name);
  for (auto it = via.lower_bound({std::string(ecosystem), std::string()});
       it != via.end() && it->first.first == ecosystem; ++it) {
    if (canonical(ecosystem, it->first.second) == key) return it->second;
  }
  return {};
}

void attach_via(std::vector<Change>& changes, const ClosureVia& via) {
  for (Change& change : changes) {
    const bool transitive =
        change.after ? change.after->transitive : (change.before && change.before->transitive);
    if (transitive) change.via = via_of(via, change.ecosystem, change.name);
  }
}

void attach_via(Report& report, const Manifest& manifest, const ClosureVia& via) {
  for (ReportEntry& entry : report.entries) {
    const bool transitive = std::any_of(
        manifest.dependencies.begin(), manifest.dependencies.end(), [&](const DependencySpec& s) {
          return s.transitive && s.ecosystem == entry.ecosystem && s.name == entry.name;
        });
    if (!transitive) continue;
    entry.transitive = true;
    entry.via = via_of(via, entry.ecosystem, entry.name);
  }
}

}  // namespace driftlock::pipeline
