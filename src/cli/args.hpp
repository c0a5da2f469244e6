// A parsed command line (cli/parse.cpp fills it from the command table) and
// the conversions several commands share. No CLI11 here.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.hpp"
#include "core/manifest.hpp"
#include "publish/output_format.hpp"

namespace driftlock::cli {

class Args {
 public:
  // Options are named as the table's primary name: "--format", "-o" only
  // when there is no long name, "old" for a positional.
  void set(std::string_view name, std::vector<std::string> values);
  void set_default(std::string_view name, std::string value);
  void set_subcommand(std::string_view name) { m_subcommand = name; }

  // The value given, else the option's default ("" when it has none).
  const std::string& value(std::string_view name) const;
  // Every value of a repeated positional.
  const std::vector<std::string>& values(std::string_view name) const;
  // The option was on the command line (a flag: was set).
  bool given(std::string_view name) const;
  // A whole number option, already range-checked by the parser.
  std::optional<int> integer(std::string_view name) const;
  // The subcommand chosen (`version compare`), or "".
  const std::string& subcommand() const { return m_subcommand; }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> m_given;
  std::map<std::string, std::string, std::less<>> m_defaults;
  std::string m_subcommand;
};

// The folder --state-dir named, else the manifest's default state folder.
std::filesystem::path state_folder(const Args& args, const std::filesystem::path& manifest_path);

// --format text|json|markdown.
Result<publish::OutputFormat> output_format(const Args& args);

// --flaky-tests: nothing when the option was not given.
Result<std::optional<FlakyTests>> flaky_tests_mode(const Args& args);

}  // namespace driftlock::cli
