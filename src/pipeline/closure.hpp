// Capturing a passing candidate's closure: the manifest's [closure] commands
// list what the candidate's installers put into the image; the snapshot then
// pins every package, the ones nobody named as "transitive".
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/dependency.hpp"
#include "core/ecosystem.hpp"
#include "core/error.hpp"
#include "core/manifest.hpp"
#include "exec/command_runner.hpp"

namespace driftlock::pipeline {

// (ecosystem, name) -> the packages that require it, where a listing says.
using ClosureVia = std::map<std::pair<std::string, std::string>, std::vector<std::string>>;

struct CapturedClosure {
  // The candidate's pins with each listed ecosystem's transitive packages
  // replaced by what its listing says was installed; sorted.
  std::vector<Dependency> dependencies;
  ClosureVia via;
  std::vector<std::string> warnings;  // lines a registry cannot pin, skipped
};

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
