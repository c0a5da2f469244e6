// The manifest parser's tree walker, shared by its .cpp files only: it pulls
// in toml++, so nothing outside the manifest parser includes it.
#pragma once

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <limits>
#include <map>
#include <span>

#include "core/manifest.hpp"
#include "core/manifest_text.hpp"

namespace driftlock::manifest_detail {

using Keys = std::span<const std::string_view>;

// A table a key lives in, for naming the key in messages: 'image' at the top,
// "[commands] jobs", "[dependencies.pypi] tox.hold".
struct Place {
  std::string name;  // "" for the top level
  char separator = ' ';

  std::string label(std::string_view key) const {
    if (name.empty()) return fmt::format("'{}'", printable(key));
    return fmt::format("{}{}{}", name, separator, toml_key(key));
  }
};

struct Position {
  int line = 1;
  int column = 1;
  auto operator<=>(const Position&) const = default;
};

inline Position position_of(const toml::source_region& region) {
  auto clamp = [](toml::source_index i) {
    return static_cast<int>(std::clamp<toml::source_index>(
        i, 1, static_cast<toml::source_index>(std::numeric_limits<int>::max())));
  };
  return {clamp(region.begin.line), clamp(region.begin.column)};
}

// parse_duration's limit, so durations stay convertible to milliseconds.
constexpr long long kMaxSeconds = std::numeric_limits<long long>::max() / 1000;

// Walks the parsed tree, keeping the problem nearest the top of the file.
class ManifestReader {
 public:
  ManifestReader(std::string_view text, std::string path, EcosystemTable ecosystems)
      : m_text(text), m_path(std::move(path)), m_ecosystems(ecosystems) {}

  void read(const toml::table& root, Manifest& m);

  std::optional<Error> error() && { return m_error ? std::move(m_error) : std::move(m_missing); }

 private:
  SourceLocation locate(Position at) const {
    return locate_line(m_path, m_text, at.line, at.column);
  }
  void report(Position at, std::string message) { keep(m_error, m_error_at, at, message); }
  void report(const toml::source_region& at, std::string message) {
    report(position_of(at), std::move(message));
  }
  // A missing key is reported only when nothing else is wrong: the likely
  // cause is a misspelling, reported better by the unknown-key message.
  void report_missing(const toml::source_region& at, std::string message) {
    keep(m_missing, m_missing_at, position_of(at), message);
  }
  void keep(std::optional<Error>& slot, Position& slot_at, Position at, std::string& message) {
    if (slot && !(at < slot_at)) return;
    slot = Error{ErrorKind::input, std::move(message), locate(at)};
    slot_at = at;
  }

  void check_keys(const toml::table& table, Keys known, const Place& place);
  void check_top_keys(const toml::table& root, Keys known);
  void wrong_type(const toml::node& value, std::string_view expected, const std::string& label);

  const toml::table* table_at(const toml::table& parent, std::string_view key, const Place& place);
  std::optional<std::string> string_at(const toml::node& value, const std::string& label);
  std::optional<int> integer_at(const toml::node& value, const std::string& label, int min,
                                int max);
  std::optional<bool> boolean_at(const toml::node& value, const std::string& label);
  std::optional<std::chrono::seconds> duration_at(const toml::node& value, const std::string& label,
                                                  long long min_seconds);
  std::optional<Timestamp> timestamp_at(const toml::node& value, const std::string& label);
  std::optional<std::string> url_at(const toml::node& value, const std::string& label);

  void read_image(const toml::table& root, Manifest& m);
  void read_commands(const toml::table& table, CommandSettings& commands);
  void read_policy(const toml::table& table, PolicySettings& policy);
  void read_registries(const toml::table& table, RegistrySettings& registries);
  void read_closure(const toml::table& table, std::vector<ClosureCommand>& closure);
  std::optional<DebianRegistry> read_debian(const toml::node& value, const Place& place);
  void read_dependencies(const toml::table& table, std::vector<DependencySpec>& out);
  void read_dependency(const Ecosystem& ecosystem, const toml::key& name, const toml::node& value,
                       std::vector<DependencySpec>& out);
  void check_oci_keys(const std::vector<DependencySpec>& deps);

  std::string_view m_text;
  std::string m_path;
  EcosystemTable m_ecosystems;
  std::optional<Error> m_error;
  Position m_error_at;
  std::optional<Error> m_missing;
  Position m_missing_at;
  // Where each oci dependency's env key was written (or its name, when derived).
  std::map<std::string, Position> m_oci_key_at;
};

}  // namespace driftlock::manifest_detail
