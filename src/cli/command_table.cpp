// The command table: every command, its options and its help, as data.
#include <array>
#include <limits>

#include "cli/command.hpp"

namespace driftlock::cli {
namespace {

constexpr std::string_view kEcosystemChoices[] = {"pypi", "npm", "debian", "oci"};
constexpr std::string_view kExportChoices[] = {"pip", "npm", "npm-overrides", "apt", "oci", "env"};
constexpr std::string_view kShellChoices[] = {"bash", "zsh", "fish"};

constexpr OptionSpec kEcosystem{"ecosystem",
                                "ECO",
                                "pypi, npm, debian or oci",
                                Arity::one,
                                Presence::required,
                                Complete::choices,
                                kEcosystemChoices};

constexpr OptionSpec kCompareOptions[] = {
    kEcosystem,
    {"a", "A", "a version", Arity::one, Presence::required},
    {"b", "B", "a version", Arity::one, Presence::required},
};
constexpr OptionSpec kSatisfiesOptions[] = {
    kEcosystem,
    {"range", "RANGE", "a range in the ecosystem's syntax", Arity::one, Presence::required},
    {"version", "VERSION", "a version", Arity::one, Presence::required},
    {"--prereleases", "", "let pre-releases satisfy the range", Arity::flag},
};
constexpr OptionSpec kNormalizeOptions[] = {
    kEcosystem,
    {"version", "VERSION", "a version", Arity::one, Presence::required},
};
constexpr std::array kVersionSubcommands = {
    Command{"compare", "", "print -1, 0 or 1 as A orders before, equal to or after B",
            kCompareOptions, nullptr},
    Command{"satisfies", "", "exit 0 if VERSION is in RANGE, 1 if not", kSatisfiesOptions, nullptr},
    Command{"normalize", "", "print the canonical spelling of VERSION", kNormalizeOptions, nullptr},
};
constexpr OptionSpec kVersionOptions[] = {kUnreadManifestOption};

constexpr OptionSpec kValidateOptions[] = {
    kManifestOption,
    {"snapshots", "SNAPSHOT", "further snapshot files to check", Arity::many, Presence::optional,
     Complete::file},
};

constexpr OptionSpec kDiffOptions[] = {
    {"old", "OLD", "the earlier snapshot (.lock.json)", Arity::one, Presence::required,
     Complete::file},
    {"new", "NEW", "the later snapshot (.lock.json)", Arity::one, Presence::required,
     Complete::file},
    kFormatOption,
    {"--exit-code", "", "exit 1 when there are changes", Arity::flag},
    kUnreadManifestOption,
};

constexpr OptionSpec kResolveOptions[] = {
    kManifestOption,
    kAsOfOption,
    kStateDirOption,
    {"-o,--output", "FILE",
     "write the resolved set as a lock file (snapshot format); '-' for stdout", Arity::one,
     Presence::optional, Complete::file},
    kFormatOption,
};

constexpr OptionSpec kReportOptions[] = {
    kManifestOption, kAsOfOption, kStateDirOption, kFormatOption, kCommentOption, kDashboardOption,
};

constexpr OptionSpec kCheckOptions[] = {
    kManifestOption,   kFormatOption,  kStateDirOption,  kWaitOption,
    kFlakyTestsOption, kCommentOption, kDashboardOption,
};

constexpr OptionSpec kRunOptions[] = {
    kManifestOption,
    kAsOfOption,
    kStateDirOption,
    kWaitOption,
    kFormatOption,
    {"--no-push", "", "commit the new snapshot but do not run the push command", Arity::flag},
    {"--dry-run", "", "resolve and show the plan; build, write and post nothing", Arity::flag},
    kExplainOption,
    kFlakyTestsOption,
    kCommentOption,
    kDashboardOption,
};

constexpr OptionSpec kBisectOptions[] = {
    kManifestOption,
    kFormatOption,
    {"--from", "FILE", "the passing lock (snapshot format)", Arity::one, Presence::required,
     Complete::file},
    {"--to", "FILE", "the failing lock (snapshot format)", Arity::one, Presence::required,
     Complete::file},
    {"--confirmations",
     "N",
     "failing builds a careful blame needs (default: from the estimated flake rate)",
     Arity::one,
     Presence::optional,
     Complete::nothing,
     {},
     {},
     IntegerRange{1, 10}},
    kFlakyTestsOption,
    kExplainOption,
    kStateDirOption,
    kWaitOption,
    kCommentOption,
    kDashboardOption,
};

constexpr std::string_view kPinFooter =
    "The dependency must be in the manifest; VERSION is checked and normalised with\n"
    "the ecosystem's scheme and must satisfy the dependency's range (pre-releases\n"
    "included). 'chalk = \"^4\"' becomes 'chalk = { range = \"^4\", hold = \"4.1.2\" }';\n"
    "an inline table or [dependencies.ECO.NAME] table gets its hold set.\n"
    "Image references contain ':' themselves: oci:127.0.0.1:5000/base=stable.\n";
constexpr OptionSpec kPinOptions[] = {
    {"dependency", "ECO:NAME=VERSION", "ECO:NAME=VERSION, e.g. npm:chalk=4.1.2", Arity::one,
     Presence::required, Complete::dependency},
    kManifestOption,
};

constexpr std::string_view kUnpinFooter =
    "Removes the hold key; '{ range = \"^4\" }' left with only its range becomes \"^4\".\n"
    "A dependency without a hold is left alone (exit 0).\n";
constexpr OptionSpec kUnpinOptions[] = {
    {"dependency", "ECO:NAME", "ECO:NAME, e.g. npm:chalk", Arity::one, Presence::required,
     Complete::dependency},
    kManifestOption,
};

constexpr std::string_view kUnholdFooter =
    "A culprit a run named is held back in the snapshot's \"held\" list: that exact\n"
    "release is skipped until it is released here (e.g. after fixing the image\n"
    "builder). The next run then tries it again and blames it again if it still\n"
    "breaks. Without =VERSION every held release of the dependency is released.\n"
    "The snapshot is rewritten in place; commit it like any other change.\n";
constexpr OptionSpec kUnholdOptions[] = {
    {"dependency", "ECO:NAME[=VERSION]", "ECO:NAME or ECO:NAME=VERSION, e.g. pypi:dl-calc",
     Arity::one, Presence::required, Complete::dependency},
    kManifestOption,
};

constexpr OptionSpec kHistoryOptions[] = {
    kManifestOption,
    kFormatOption,
    {"--limit",
     "N",
     "show at most N runs and N culprits (default: 10)",
     Arity::one,
     Presence::optional,
     Complete::nothing,
     {},
     "10",
     IntegerRange{1, std::numeric_limits<int>::max()}},
    {"--html", "FILE",
     "also write one self-contained page: the runs, the drift, and a picture of each search",
     Arity::one, Presence::optional, Complete::file},
    kStateDirOption,
};

constexpr OptionSpec kGcOptions[] = {
    kManifestOption,
    {"--older-than",
     "DAYS",
     "remove what was last used more than DAYS days ago (default: 30; 0: everything)",
     Arity::one,
     Presence::optional,
     Complete::nothing,
     {},
     "30",
     IntegerRange{0, 36500}},
    {"--dry-run", "", "count what would be removed; remove nothing", Arity::flag},
    kStateDirOption,
    kWaitOption,
};

constexpr std::string_view kGcFooter =
    "Removes the HTTP cache's entries, candidate folders and per-run log folders\n"
    "last used before the cutoff, and the work folders failed probes left. The\n"
    "run history, the memo of outcomes and the snapshot are kept: an interrupted\n"
    "run still resumes. Takes the state folder's lock (no run is in progress).\n"
    "'run' prunes what is older than 30 days by itself.\n";

constexpr std::string_view kExportFooter =
    "formats:\n"
    "  pip  constraints.txt: 'name==version' lines (pip install -c FILE)\n"
    "  npm  npm-pins.json: {\"name\": \"version\"}, the dependencies of a package.json\n"
    "  npm-overrides\n"
    "       npm-overrides.json: {\"overrides\": {\"name\": \"version\"}}, merged into it\n"
    "       so that nested copies are the pinned versions too (the whole closure)\n"
    "  apt  apt-pins.txt: 'name=version' lines (apt-get install $(cat FILE))\n"
    "  oci  oci.env: 'KEY=name@sha256:...' lines, KEY from the manifest\n"
    "       (buildah bud --build-arg-file FILE)\n"
    "  env  every pin as a variable, as build commands get them:\n"
    "         DRIFTLOCK_OCI_<KEY>=name@sha256:...\n"
    "         DRIFTLOCK_PIP_<NAME>=version, DRIFTLOCK_NPM_<NAME>=version,\n"
    "         DRIFTLOCK_APT_<NAME>=version\n"
    "       NAME is the package name in upper case, each run of other characters\n"
    "       than letters and digits one '_' (@babel/core -> BABEL_CORE); for\n"
    "       docker --env-file, buildah --build-arg-file or 'set -a; . FILE'\n"
    "\n"
    "Output is sorted and byte-stable; with -o the file is replaced atomically.\n";
constexpr OptionSpec kExportOptions[] = {
    {"--format", "FORMAT", "pip, npm, npm-overrides, apt, oci or env (see below)", Arity::one,
     Presence::required, Complete::choices, kExportChoices},
    kManifestOption,
    {"-o,--output", "FILE", "write to FILE instead of standard output", Arity::one,
     Presence::optional, Complete::file},
    {"--snapshot", "FILE", "export this lock file instead (a candidate's too)", Arity::one,
     Presence::optional, Complete::file},
};

constexpr OptionSpec kInitOptions[] = {
    {"dockerfile", "DOCKERFILE",
     "the Containerfile or Dockerfile to read (default: ./Containerfile, else ./Dockerfile)",
     Arity::one, Presence::optional, Complete::file},
    {"-o,--output", "FILE", "where to write the manifest (default: ./driftlock.toml)", Arity::one,
     Presence::optional, Complete::file},
    {"--image", "NAME", "the image's name in the manifest (default: the Dockerfile's folder)"},
    {"--force", "", "overwrite an existing manifest", Arity::flag},
    {"--capture", "",
     "instead: build and test the manifest -m names once and write its first snapshot, "
     "closure included (committed, nothing pushed)",
     Arity::flag},
    {"-m,--manifest",
     "FILE",
     "with --capture: the manifest to build (default: ./driftlock.toml)",
     Arity::one,
     Presence::optional,
     Complete::file,
     {},
     "driftlock.toml"},
    kStateDirOption,
};

constexpr std::string_view kCompletionFooter =
    "bash: add 'source <(driftlock completion bash)' to ~/.bashrc\n"
    "zsh:  driftlock completion zsh > \"${fpath[1]}/_driftlock\"\n"
    "fish: driftlock completion fish > ~/.config/fish/completions/driftlock.fish\n"
    "The scripts complete commands, options, formats and, for pin, unpin and\n"
    "unhold, the manifest's dependencies (asked of driftlock as you type).\n";
constexpr OptionSpec kCompletionOptions[] = {
    {"shell", "SHELL", "bash, zsh or fish", Arity::one, Presence::optional, Complete::choices,
     kShellChoices},
    {"--dependencies", "",
     "print the manifest's dependencies as ECO:NAME, one a line (what the scripts ask)",
     Arity::flag},
    kManifestOption,
};

constexpr OptionSpec kHelpOptions[] = {
    {"topic", "TOPIC", "a command, or exit-codes", Arity::one, Presence::optional, Complete::topic},
    {"--man", "", "print the manual page (roff) instead, generated from this table", Arity::flag},
    kUnreadManifestOption,
};

}  // namespace

std::span<const Command> commands() {
  static constexpr std::array table = {
      Command{"version",
              "compare versions and test ranges with an ecosystem's scheme",
              "Compare versions and test ranges with an ecosystem's scheme.",
              kVersionOptions,
              &run_version,
              {},
              kVersionSubcommands},
      Command{"init", "write a manifest from a Dockerfile; --capture: its first snapshot",
              "Write a commented driftlock.toml with the dependencies a Dockerfile installs; "
              "with --capture, build and test it once and write its first snapshot.",
              kInitOptions, &run_init},
      Command{"validate", "check the manifest and its snapshot",
              "Check the manifest and its snapshot; change nothing.", kValidateOptions,
              &run_validate},
      Command{"diff", "show the changes between two snapshots",
              "Show the changes between two snapshots.", kDiffOptions, &run_diff},
      Command{"resolve", "resolve every dependency to the newest allowed release",
              "Resolve every dependency to the newest allowed release.", kResolveOptions,
              &run_resolve},
      Command{"report", "new releases since the snapshot (for the nightly cron)",
              "Show the new releases since the snapshot.", kReportOptions, &run_report},
      Command{"check", "build and test the pinned snapshot; never pushes",
              "Build and test the pinned snapshot; never push.", kCheckOptions, &run_check},
      Command{"run", "the gated pipeline: resolve, build, test, bisect, commit, push",
              "Resolve, build and test the candidate; ship it, or name the culprits and ship "
              "everything else.",
              kRunOptions, &run_run},
      Command{"bisect", "find the culprits between two lock files",
              "Find the changes that break the build between two lock files.", kBisectOptions,
              &run_bisect},
      Command{"pin", "hold a dependency at a version in the manifest",
              "Hold a dependency at a version: sets its hold in the manifest.", kPinOptions,
              &run_pin, kPinFooter},
      Command{"unpin", "remove a dependency's hold from the manifest",
              "Remove a dependency's hold from the manifest.", kUnpinOptions, &run_unpin,
              kUnpinFooter},
      Command{"unhold", "let the next run try a held-back culprit again",
              "Release a culprit the snapshot holds back, so the next run tries it again.",
              kUnholdOptions, &run_unhold, kUnholdFooter},
      Command{"history", "past runs, culprits and held-back versions",
              "Past runs, the culprits they named and the versions held back.", kHistoryOptions,
              &run_history},
      Command{"export", "print the snapshot's pins as installers read them",
              "Print the snapshot's pinned versions as an installer reads them.", kExportOptions,
              &run_export, kExportFooter},
      Command{"gc", "prune old cache entries, candidate folders and logs",
              "Prune the state folder: old cache entries, candidate folders and logs.", kGcOptions,
              &run_gc, kGcFooter},
      Command{"completion", "print a shell completion script (bash, zsh, fish)",
              "Print a completion script for bash, zsh or fish.", kCompletionOptions,
              &run_completion, kCompletionFooter},
      Command{"help", "show help for a command or topic (exit-codes)",
              "Show help for a command or topic.", kHelpOptions, &run_help},
  };
  return table;
}

const Command* find_command(std::string_view name) {
  for (const Command& c : commands()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

const Command* find_subcommand(const Command& command, std::string_view name) {
  for (const Command& c : command.subcommands) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace driftlock::cli
