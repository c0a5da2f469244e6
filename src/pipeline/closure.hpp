// Capturing a passing candidate's closure: the manifest's [closure] commands
// list what the candidate's installers put into the image; the snapshot then
// pins every package, the ones nobody named as "transitive".
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/closure.hpp"
#include "core/dependency.hpp"
#include "core/diff.hpp"
#include "core/ecosystem.hpp"
#include "core/error.hpp"
#include "core/manifest.hpp"
#include "core/report.hpp"
#include "core/time.hpp"
#include "exec/command_runner.hpp"
#include "store/database.hpp"

namespace driftlock::pipeline {

struct CapturedClosure {
  // The candidate's pins with each listed ecosystem's transitive packages
  // replaced by what its listing says was installed; sorted.
  std::vector<Dependency> dependencies;
  // Per transitive package (named as in `dependencies`): the named packages
  // it came through (named_via), where its listing says who requires what.
  ClosureVia via;
  std::vector<std::string> listed;    // the ecosystems whose listing was read
  std::vector<std::string> warnings;  // lines a registry cannot pin, skipped
};

// Walks a listing's immediate parents up to the packages the manifest names,
// for the package `name`: its named ancestors, sorted. `parents` maps each
// package to the names (as listed) of the packages that require it,
// `manifest_names` each package the manifest names to its spelling there; both are keyed
// by the ecosystem's canonical name (PyPI: normalised). The walk stops at a
// named package and never visits one twice (listings may have cycles). With
// no named ancestor, the immediate parents.
std::vector<std::string> named_via(std::string_view ecosystem, std::string_view name,
                                   const std::map<std::string, std::vector<std::string>>& parents,
                                   const std::map<std::string, std::string>& manifest_names);

// Keeps the capture's `via` in the state database for `image`, replacing the
// rows of each listed ecosystem.
Result<void> record_closure_via(store::Database& database, std::string_view image,
                                const CapturedClosure& captured, Timestamp now);

// What the state database keeps for `image`; empty when it cannot be read
// (the via is only said, never needed).
ClosureVia read_closure_via(store::Database& database, std::string_view image);

// The recorded via of one package (PyPI names compare under normalisation);
// empty when none is recorded.
std::vector<std::string> via_of(const ClosureVia& via, std::string_view ecosystem,
                                std::string_view name);

// Sets `via` of every transitive change from the recorded via.
void attach_via(std::vector<Change>& changes, const ClosureVia& via);

// Marks the report's entries for packages the manifest has as transitive
// (the snapshot's closure, added by the session) and sets their via.
void attach_via(Report& report, const Manifest& manifest, const ClosureVia& via);

// Runs each [closure] command (`/bin/sh -c`, in the manifest's folder, with
// the candidate's environment; its standard output is the listing, its
// standard error goes to `log`). A command that fails or prints a malformed
// listing is an error naming the command (and the line); nothing is
// captured then. Without [closure], the pins are returned unchanged.
Result<CapturedClosure> capture_closure(const Manifest& manifest,
                                        const std::vector<Dependency>& pins,
                                        const std::vector<exec::EnvVar>& env,
                                        exec::CommandRunner& runner,
                                        const std::filesystem::path& log,
                                        EcosystemTable ecosystems);

}  // namespace driftlock::pipeline
