// `driftlock init [DOCKERFILE] [-o FILE] [--image NAME] [--force]`: reads a
// Containerfile or Dockerfile (init/dockerfile.hpp) and writes a commented
// manifest with the dependencies it installs (init/manifest_writer.hpp),
// listing what it could not read. `driftlock init --capture [-m FILE]`: the
// manifest's first snapshot (pipeline/first_snapshot.hpp), once its
// [commands] are filled in.
#include <fmt/format.h>
#include <re2/re2.h>

#include <filesystem>
#include <ostream>

#include "cli/args.hpp"
#include "cli/progress.hpp"
#include "cli/resolve_options.hpp"
#include "core/file.hpp"
#include "core/manifest.hpp"
#include "core/text.hpp"
#include "exec/cancellation.hpp"
#include "exec/process_runner.hpp"
#include "init/dockerfile.hpp"
#include "init/manifest_writer.hpp"
#include "pipeline/first_snapshot.hpp"

namespace driftlock::cli {
namespace {

namespace fs = std::filesystem;

bool exists(const fs::path& path) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(path, ec));
}

// The positional, else ./Containerfile, else ./Dockerfile.
Result<std::string> dockerfile_path(const Args& args) {
  const std::string& given = args.value("dockerfile");
  if (!given.empty()) return given;
  for (const char* name : {"Containerfile", "Dockerfile"}) {
    if (exists(name)) return std::string(name);
  }
  return fail(ErrorKind::usage,
              "no Containerfile or Dockerfile in the current folder (name one: driftlock init "
              "PATH)");
}

Result<std::string> image_name(const Args& args, const fs::path& dockerfile) {
  static const RE2 valid(R"([A-Za-z0-9][A-Za-z0-9._-]{0,127})");
  const std::string& given = args.value("--image");
  if (given.empty()) {
    std::error_code ec;
    const fs::path folder = fs::absolute(dockerfile, ec).lexically_normal().parent_path();
    return init::image_name_from(folder.filename().string());
  }
  if (!RE2::FullMatch(given, valid)) {
    return fail(ErrorKind::usage,
                fmt::format("--image: '{}' is not an image name (letters, digits, '.', '_' and "
                            "'-', starting with a letter or digit, at most 128 characters)",
                            escape_for_message(given, 80)));
  }
  return given;
}

std::string summary(const std::string& output, const init::Written& written) {
  std::string counts;
  std::size_t total = 0;
  for (const char* eco : {"oci", "debian", "pypi", "npm"}) {
    auto it = written.counts.find(eco);
    if (it == written.counts.end()) continue;
    counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", it->second, eco);
    total += it->second;
  }
  std::string line = total == 0 ? fmt::format("wrote {}: no dependencies found", output)
                                : fmt::format("wrote {}: {} {}", output, counts,
                                              total == 1 ? "dependency" : "dependencies");
  if (written.unread_lines > 0) {
    line += fmt::format("; could not read {} (listed as comments)",
                        counted(written.unread_lines, "line", "lines"));
  }
  return line;
}

// --capture builds the manifest as it is: the options that make one are not for it.
Result<void> capture_alone(const Args& args) {
  std::vector<std::string> extra;
  if (!args.value("dockerfile").empty()) extra.push_back("DOCKERFILE");
  for (const char* option : {"--output", "--image", "--force"}) {
    if (args.given(option)) extra.push_back(option);
  }
  if (extra.empty()) return {};
  std::string list;
  for (std::size_t i = 0; i < extra.size(); ++i) list += (i ? ", " : "") + extra[i];
  return fail(
      ErrorKind::usage,
      fmt::format("--capture builds the manifest -m names and reads no Dockerfile: drop {}", list));
}

Result<int> capture(Context& context, const Args& args) {
  if (auto alone = capture_alone(args); !alone) return std::unexpected(alone.error());
  const std::string& path = args.value("--manifest");
  if (!exists(path)) {
    return fail(ErrorKind::usage,
                fmt::format("{} does not exist: 'driftlock init' writes it from a Dockerfile; fill "
                            "in its [commands], then 'driftlock init --capture'",
                            path));
  }
  // Nothing is resolved for a manifest that cannot be captured.
  auto manifest = load_manifest(path, context.ecosystems);
  if (!manifest) return std::unexpected(std::move(manifest.error()));
  if (auto ready = pipeline::check_first_snapshot(*manifest); !ready) {
    return std::unexpected(ready.error());
  }
  auto session = resolve_for_command(context, args, PublishTimes::not_needed);
  if (!session) return std::unexpected(std::move(session.error()));
  auto progress = make_progress(context);
  exec::ProcessRunner runner;
  // A Ctrl-C or a CI cancel stops the build cleanly (exec/cancellation.hpp).
  exec::install_cancellation_handlers();
  auto first = pipeline::capture_first_snapshot(*session, runner, context.clock, context.ecosystems,
                                                progress.get());
  progress.reset();  // clears a status line before the summary
  if (!first) return std::unexpected(std::move(first.error()));
  context.out << first->summary << '\n';
  return 0;
}

}  // namespace

Result<int> run_init(Context& context, const Args& args) {
  if (args.given("--capture")) return capture(context, args);
  if (args.given("--state-dir")) {
    return fail(ErrorKind::usage, "--state-dir is for --capture (init writes no state)");
  }
  auto dockerfile = dockerfile_path(args);
  if (!dockerfile) return std::unexpected(dockerfile.error());
  const std::string output =
      args.value("--output").empty() ? std::string("driftlock.toml") : args.value("--output");
  if (!args.given("--force") && exists(output)) {
    return fail(ErrorKind::usage, fmt::format("{} already exists (--force overwrites it)", output));
  }
  if (std::error_code same_ec; fs::equivalent(output, *dockerfile, same_ec)) {
    return fail(ErrorKind::usage,
                fmt::format("{} is the Dockerfile itself; write the manifest elsewhere", output));
  }
  auto image = image_name(args, *dockerfile);
  if (!image) return std::unexpected(image.error());
  auto text = read_file(*dockerfile, "Dockerfile");
  if (!text) return std::unexpected(text.error());

  std::error_code ec;
  const fs::path build_context = fs::absolute(*dockerfile, ec).lexically_normal().parent_path();
  auto findings = init::read_dockerfile(*text, *dockerfile, build_context, context.ecosystems);
  if (!findings) return std::unexpected(findings.error());

  const fs::path manifest_dir = fs::absolute(output, ec).lexically_normal().parent_path();
  auto relative = [&](const fs::path& p) {
    const fs::path r = p.lexically_relative(manifest_dir);
    return r.empty() ? p.string() : r.string();
  };
  init::Draft draft;
  draft.image = *image;
  draft.dockerfile = relative(fs::absolute(*dockerfile, ec).lexically_normal());
  draft.context = relative(build_context);
  draft.findings = std::move(*findings);
  draft.shown_from = manifest_dir;
  const init::Written written = init::write_manifest(draft, context.ecosystems);

  // Never write a manifest that `validate` would reject.
  if (auto parsed = parse_manifest(written.text, output, context.ecosystems); !parsed) {
    return fail(ErrorKind::infrastructure,
                fmt::format("driftlock init made a manifest it cannot read back (a bug): {}",
                            render(parsed.error())));
  }
  for (const init::Unread& unread : draft.findings.unread) {
    context.out << fmt::format("could not read: {}:{}: {}\n", unread.origin.path,
                               unread.origin.line, unread.what);
  }
  if (auto saved = write_file_atomically(output, written.text); !saved) {
    return std::unexpected(saved.error());
  }
  context.out << summary(output, written) << '\n';
  return 0;
}

}  // namespace driftlock::cli
