#include "cli/args.hpp"

#include <fmt/format.h>

#include "core/suggest.hpp"
#include "store/state_dir.hpp"

namespace driftlock::cli {

void Args::set(std::string_view name, std::vector<std::string> values) {
  m_given.insert_or_assign(std::string(name), std::move(values));
}

void Args::set_default(std::string_view name, std::string value) {
  m_defaults.insert_or_assign(std::string(name), std::move(value));
}

const std::string& Args::value(std::string_view name) const {
  static const std::string empty;
  if (auto it = m_given.find(name); it != m_given.end() && !it->second.empty()) {
    return it->second.back();
  }
  if (auto it = m_defaults.find(name); it != m_defaults.end()) return it->second;
  return empty;
}

const std::vector<std::string>& Args::values(std::string_view name) const {
  static const std::vector<std::string> none;
  auto it = m_given.find(name);
  return it == m_given.end() ? none : it->second;
}

bool Args::given(std::string_view name) const {
  return m_given.contains(name);
}

std::optional<int> Args::integer(std::string_view name) const {
  const std::string& text = value(name);
  if (text.empty()) return std::nullopt;
  try {
    return std::stoi(text);
  } catch (const std::exception&) {
    return std::nullopt;  // the parser checked it; unreachable with the table's checks
  }
}

std::filesystem::path state_folder(const Args& args, const std::filesystem::path& manifest_path) {
  const std::string& dir = args.value("--state-dir");
  return dir.empty() ? store::default_state_folder(manifest_path) : std::filesystem::path(dir);
}

Result<publish::OutputFormat> output_format(const Args& args) {
  const std::string& name = args.value("--format");
  if (auto f = publish::parse_output_format(name)) return *f;
  return fail(ErrorKind::usage,
              fmt::format("unknown format '{}' (expected text, json or markdown){}", name,
                          did_you_mean(name, kFormatChoices)));
}

Result<std::optional<FlakyTests>> flaky_tests_mode(const Args& args) {
  const std::string& name = args.value("--flaky-tests");
  if (name.empty()) return std::optional<FlakyTests>();
  if (auto mode = parse_flaky_tests(name)) return std::optional<FlakyTests>(*mode);
  return fail(ErrorKind::usage,
              fmt::format("unknown --flaky-tests mode '{}' (expected auto, expect or trust){}",
                          name, did_you_mean(name, kFlakyTestsNames)));
}

}  // namespace driftlock::cli
