// Per-command option parsing on CLI11 with driftlock's error style: usage
// errors are Errors (exit 2) with a "did you mean" for misspelt options.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "core/manifest.hpp"

namespace driftlock::cli {

// Applies driftlock's help flag and formatting to a command's CLI11 app, which
// is constructed as CLI::App app{"Description.", "driftlock NAME"}.
void configure_app(CLI::App& app);

enum class ParseStatus { run, helped };

// Parses `context.args`; prints help to `context.out` and returns helped for --help.
Result<ParseStatus> parse_args(CLI::App& app, Context& context);

// -m/--manifest, defaulting to ./driftlock.toml.
CLI::Option* add_manifest_option(CLI::App& app, std::string& manifest);

// --state-dir DIR: where the state folder is (default: .driftlock beside the manifest).
CLI::Option* add_state_dir_option(CLI::App& app, std::string& state_dir);

// The folder --state-dir named, else the manifest's default state folder.
std::filesystem::path state_folder(const std::string& state_dir,
                                   const std::filesystem::path& manifest_path);

// --format text|json|markdown.
CLI::Option* add_format_option(CLI::App& app, std::string& format);

Result<publish::OutputFormat> output_format(const std::string& name);

// --flaky-tests auto|expect|trust: overrides [policy] flaky-tests.
CLI::Option* add_flaky_tests_option(CLI::App& app, std::string& mode);

// The mode --flaky-tests named; nothing when the option was not given.
Result<std::optional<FlakyTests>> flaky_tests_mode(const std::string& name);

}  // namespace driftlock::cli
