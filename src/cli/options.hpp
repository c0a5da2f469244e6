// The options of the command table, as data: the parser (cli/parse.cpp),
// `--help`, the man page and the shell completions are all generated from
// these, so a flag is declared once. No CLI11 here.
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace driftlock::cli {

enum class Arity {
  flag,  // no value: --explain
  one,   // one value: --format json; a positional taking one word
  many,  // a positional taking every remaining word
};

enum class Presence { optional, required };

// What a shell completes for the option's value.
enum class Complete {
  nothing,     // free text (a version, a timestamp)
  file,        // a path
  directory,   // a folder
  choices,     // one of OptionSpec::choices
  dependency,  // ECO:NAME of the manifest's dependencies (pin, unpin, unhold)
  topic,       // a command or help topic
};

// A value that must be a whole number in a range (--limit, --confirmations).
struct IntegerRange {
  int min = 0;
  int max = 0;
  constexpr bool checked() const { return min < max; }
};

struct OptionSpec {
  // CLI11's spelling: "-m,--manifest" for options, a bare word ("old") for a
  // positional argument.
  std::string_view names;
  std::string_view value_name;  // "FILE"; empty for flags
  std::string_view help;
  Arity arity = Arity::one;
  Presence presence = Presence::optional;
  Complete complete = Complete::nothing;
  std::span<const std::string_view> choices{};
  std::string_view default_value{};  // what an absent option reads as
  IntegerRange integer{};
  // Accepted but not listed in --help (-m on commands that read no manifest,
  // so scripts may pass it to every command as the contract says).
  bool hidden = false;

  constexpr bool positional() const { return !names.starts_with('-'); }
};

// The names an option answers to: {"-m", "--manifest"}, or {"old"}.
std::vector<std::string_view> option_names(const OptionSpec& option);

// The long name ("--manifest"), else the short one, else the positional's name.
std::string_view primary_name(const OptionSpec& option);

// ---------------------------------------------------------------------------
// Options several commands share.

inline constexpr std::string_view kFormatChoices[] = {"text", "json", "markdown"};
inline constexpr std::string_view kFlakyTestsChoices[] = {"auto", "expect", "trust"};
inline constexpr std::string_view kColorChoices[] = {"auto", "always", "never"};

inline constexpr OptionSpec kManifestOption{"-m,--manifest",
                                            "FILE",
                                            "the manifest (default: ./driftlock.toml)",
                                            Arity::one,
                                            Presence::optional,
                                            Complete::file,
                                            {},
                                            "driftlock.toml"};
inline constexpr OptionSpec kUnreadManifestOption{
    "-m,--manifest",
    "FILE",
    "accepted for uniformity; this command reads no manifest",
    Arity::one,
    Presence::optional,
    Complete::file,
    {},
    "driftlock.toml",
    {},
    true};
inline constexpr OptionSpec kFormatOption{"--format",
                                          "FORMAT",
                                          "output format: text, json or markdown",
                                          Arity::one,
                                          Presence::optional,
                                          Complete::choices,
                                          kFormatChoices,
                                          "text"};
inline constexpr OptionSpec kStateDirOption{
    "--state-dir",
    "DIR",
    "the state folder (default: .driftlock beside the manifest)",
    Arity::one,
    Presence::optional,
    Complete::directory};
inline constexpr OptionSpec kWaitOption{
    "--wait",
    "SECONDS",
    "wait up to SECONDS for another run to release the state folder (default: fail at once)",
    Arity::one,
    Presence::optional,
    Complete::nothing,
    {},
    {},
    IntegerRange{1, 86400}};
inline constexpr OptionSpec kAsOfOption{
    "--as-of", "TIME", "resolve as if it were this moment (RFC 3339, e.g. 2024-08-01T00:00:00Z)"};
inline constexpr OptionSpec kExplainOption{
    "--explain", "", "list every probe and why each change was blamed or cleared", Arity::flag};
inline constexpr OptionSpec kFlakyTestsOption{
    "--flaky-tests",
    "MODE",
    "auto, expect or trust: how far a failing build is believed "
    "(default: [policy] flaky-tests, else auto)",
    Arity::one,
    Presence::optional,
    Complete::choices,
    kFlakyTestsChoices};
inline constexpr OptionSpec kCommentOption{
    "--comment", "TARGET",
    "post the Markdown report as one comment, updated on later runs: "
    "github:OWNER/REPO#N, gitlab:GROUP/PROJECT#N or gitlab:GROUP/PROJECT!N"};
inline constexpr OptionSpec kDashboardOption{
    "--dashboard", "REPO",
    "keep one tracking issue per image up to date (pending releases, held culprits, "
    "last runs): github:OWNER/REPO or gitlab:GROUP/PROJECT"};

// Every command takes these; the parser adds them (cli/parse.cpp).
inline constexpr OptionSpec kQuietOption{
    "-q,--quiet", "", "print nothing on stderr but warnings and errors", Arity::flag};
inline constexpr OptionSpec kVerboseOption{
    "-v,--verbose", "",
    "say more on stderr: what was read and written; for builds, each probe's changes", Arity::flag};
inline constexpr OptionSpec kColorOption{"--color",
                                         "WHEN",
                                         "colour text output: auto (a terminal, no NO_COLOR), "
                                         "always or never",
                                         Arity::one,
                                         Presence::optional,
                                         Complete::choices,
                                         kColorChoices,
                                         "auto"};
inline constexpr OptionSpec kCommonOptions[] = {kQuietOption, kVerboseOption, kColorOption};

}  // namespace driftlock::cli
