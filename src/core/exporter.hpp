// The Exporter interface every ecosystem implements (ecosystems/<eco>/export.*):
// a resolved set as that ecosystem's installer reads it. Exports are the only
// way registry data reaches build commands (files and environment variables,
// never command lines), so every name and version is checked here first.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/dependency.hpp"
#include "core/ecosystem.hpp"
#include "core/error.hpp"

namespace driftlock {

struct Manifest;

struct ExportOptions {
  // oci: image reference -> env key (DRIFTLOCK_OCI_<KEY>, KEY=… in oci.env);
  // a reference without an entry gets derive_oci_key(reference).
  std::map<std::string, std::string, std::less<>> oci_keys;
};

// The options a manifest implies (its OCI keys).
ExportOptions export_options(const Manifest& manifest);

struct ExportVariable {
  std::string name;
  std::string value;

  bool operator==(const ExportVariable&) const = default;
};

class Exporter {
 public:
  virtual ~Exporter() = default;

  // The file a candidate folder holds: "constraints.txt".
  virtual std::string_view file_name() const = 0;
  // Further names for the same content ("build-args.env" beside "oci.env").
  virtual std::span<const std::string_view> also_written_as() const { return {}; }

  // A second file a candidate folder holds, with other content (npm's
  // "npm-overrides.json"); empty when there is none.
  virtual std::string_view companion_file_name() const { return {}; }
  virtual Result<std::string> render_companion(std::span<const Dependency>,
                                               const ExportOptions&) const {
    return std::string();
  }

  // The file's content for `deps` (this ecosystem's dependencies only); an
  // input error naming the first dependency that cannot be exported.
  virtual Result<std::string> render(std::span<const Dependency> deps,
                                     const ExportOptions& options) const = 0;

  // The environment variables these dependencies give build commands and
  // `driftlock export --format env`: DRIFTLOCK_OCI_<KEY>=name@sha256:…,
  // DRIFTLOCK_PIP_<NAME>=version, …
  virtual Result<std::vector<ExportVariable>> variables(std::span<const Dependency> deps,
                                                        const ExportOptions& options) const = 0;
};

// Checks one dependency before it is written anywhere: the ecosystem is
// `ecosystem`, the name passes the ecosystem's rules, the version its scheme,
// and both use only characters that are inert in every export format and in a
// shell that sources an env file: letters, digits and . _ - + : ~ @ / !
Result<void> check_exportable(const Ecosystem& ecosystem, const Dependency& dep);

// check_exportable for each, then the dependencies sorted by name.
Result<std::vector<Dependency>> exportable_sorted(const Ecosystem& ecosystem,
                                                  std::span<const Dependency> deps);

// "DRIFTLOCK_<PREFIX>_<NAME>" for a package name: upper case, each run of
// other characters than letters and digits one '_', none at either end
// ("@babel/core" -> BABEL_CORE, "zope.interface" -> ZOPE_INTERFACE).
std::string variable_for(std::string_view prefix, std::string_view name);

// Variables for name -> value pairs, sorted by variable name; two names that
// map to the same variable are an input error naming both.
Result<std::vector<ExportVariable>> package_variables(std::string_view ecosystem,
                                                      std::string_view prefix,
                                                      std::span<const Dependency> deps);

// Every ecosystem's exports of one dependency set.
struct ExportSet {
  std::map<std::string, std::string> files;  // file name -> content; one per file name
  std::vector<ExportVariable> variables;     // sorted by name
};

// Ecosystems without an exporter are skipped; a dependency whose ecosystem is
// not in the table is an input error.
Result<ExportSet> export_all(std::span<const Dependency> deps, EcosystemTable ecosystems,
                             const ExportOptions& options);

// "NAME=value\n" lines, the format of oci.env and of `export --format env`.
std::string render_env_lines(std::span<const ExportVariable> variables);

}  // namespace driftlock
