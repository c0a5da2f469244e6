#include "core/exporter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/manifest.hpp"

namespace driftlock {
namespace {

bool is_alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Inert in constraints.txt, JSON, `name=version` lines, env files (docker,
// buildah) and when such a file is sourced by sh: no whitespace, quotes, '$',
// '`', '\\', '#', ';', '&', '|', '<', '>', '(', ')', '=', glob characters.
bool is_exportable_char(char c) {
  if (is_alnum(c)) return true;
  constexpr std::string_view extra = "._-+:~@/!";
  return extra.find(c) != std::string_view::npos;
}

std::string shown(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u >= 0x7f) return fmt::format("\\x{:02x}", u);
  return fmt::format("'{}'", c);
}

// The text with control and non-ASCII bytes as \xNN, so an error message stays one line.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<char> first_unsafe(std::string_view text) {
  auto it = std::find_if_not(text.begin(), text.end(), is_exportable_char);
  if (it == text.end()) return std::nullopt;
  return *it;
}

constexpr std::string_view kAllowed = "only letters, digits and . _ - + : ~ @ / ! are exported";

}  // namespace

ExportOptions export_options(const Manifest& manifest) {
  ExportOptions options;
  for (const DependencySpec& spec : manifest.dependencies) {
    if (spec.ecosystem == "oci" && spec.key) options.oci_keys[spec.name] = *spec.key;
  }
  return options;
}

Result<void> check_exportable(const Ecosystem& ecosystem, const Dependency& dep) {
  auto refuse = [&](const std::string& reason) {
    return fail_input(fmt::format("cannot export {} dependency '{}': {}", dep.ecosystem,
                                  printable(dep.name), reason));
  };
  if (dep.ecosystem != ecosystem.name) {
    return refuse(fmt::format("it is not a {} dependency", ecosystem.name));
  }
  if (dep.name.empty()) return refuse("the name is empty");
  if (auto c = first_unsafe(dep.name)) {
    return refuse(fmt::format("the name contains {} ({})", shown(*c), kAllowed));
  }
  if (ecosystem.validate_name) {
    if (auto r = ecosystem.validate_name(dep.name); !r) return refuse(r.error().message);
  }
  if (dep.version.empty()) return refuse("the version is empty");
  if (auto c = first_unsafe(dep.version)) {
    return refuse(
        fmt::format("version '{}' contains {} ({})", printable(dep.version), shown(*c), kAllowed));
  }
  if (ecosystem.scheme) {
    if (auto r = ecosystem.scheme->normalize(dep.version); !r) return refuse(r.error().message);
  }
  return {};
}

Result<std::vector<Dependency>> exportable_sorted(const Ecosystem& ecosystem,
                                                  std::span<const Dependency> deps) {
  std::vector<Dependency> out(deps.begin(), deps.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const Dependency& a, const Dependency& b) { return a.name < b.name; });
  for (const Dependency& dep : out) {
    if (auto r = check_exportable(ecosystem, dep); !r) return std::unexpected(r.error());
  }
  return out;
}

std::string variable_for(std::string_view prefix, std::string_view name) {
  std::string out = fmt::format("DRIFTLOCK_{}_", prefix);
  bool pending_separator = false;
  bool any = false;
  for (char c : name) {
    if (!is_alnum(c)) {
      pending_separator = any;
      continue;
    }
    if (pending_separator) out += '_';
    pending_separator = false;
    any = true;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

Result<std::vector<ExportVariable>> package_variables(std::string_view ecosystem,
                                                      std::string_view prefix,
                                                      std::span<const Dependency> deps) {
  std::map<std::string, const Dependency*> by_variable;
  for (const Dependency& dep : deps) {
    std::string variable = variable_for(prefix, dep.name);
    auto [it, inserted] = by_variable.emplace(variable, &dep);
    if (!inserted) {
      return fail_input(fmt::format("{} dependencies '{}' and '{}' both map to the variable {}",
                                    ecosystem, it->second->name, dep.name, variable));
    }
  }
  std::vector<ExportVariable> out;
  for (const auto& [variable, dep] : by_variable) out.push_back({variable, dep->version});
  return out;
}

Result<ExportSet> export_all(std::span<const Dependency> deps, EcosystemTable ecosystems,
                             const ExportOptions& options) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const Dependency& dep : deps) {
    if (!find_ecosystem(ecosystems, dep.ecosystem)) {
      return fail_input(fmt::format("cannot export dependency '{}': unknown ecosystem '{}'",
                                    printable(dep.name), printable(dep.ecosystem)));
    }
    if (!seen.emplace(dep.ecosystem, dep.name).second) {
      return fail_input(fmt::format("cannot export {} dependency '{}': it is listed twice",
                                    dep.ecosystem, printable(dep.name)));
    }
  }
  ExportSet out;
  for (const Ecosystem& ecosystem : ecosystems) {
    if (!ecosystem.exporter) continue;
    std::vector<Dependency> mine;
    for (const Dependency& dep : deps) {
      if (dep.ecosystem == ecosystem.name) mine.push_back(dep);
    }
    std::stable_sort(mine.begin(), mine.end(), by_identity<Dependency>);
    auto content = ecosystem.exporter->render(mine, options);
    if (!content) return std::unexpected(content.error());
    out.files[std::string(ecosystem.exporter->file_name())] = *content;
    for (std::string_view alias : ecosystem.exporter->also_written_as()) {
      out.files[std::string(alias)] = *content;
    }
    if (const std::string_view companion = ecosystem.exporter->companion_file_name();
        !companion.empty()) {
      auto text = ecosystem.exporter->render_companion(mine, options);
      if (!text) return std::unexpected(text.error());
      out.files[std::string(companion)] = *text;
    }
    auto variables = ecosystem.exporter->variables(mine, options);
    if (!variables) return std::unexpected(variables.error());
    out.variables.insert(out.variables.end(), variables->begin(), variables->end());
  }
  std::sort(out.variables.begin(), out.variables.end(),
            [](const ExportVariable& a, const ExportVariable& b) { return a.name < b.name; });
  return out;
}

std::string render_env_lines(std::span<const ExportVariable> variables) {
  std::string out;
  for (const ExportVariable& v : variables) out += fmt::format("{}={}\n", v.name, v.value);
  return out;
}

}  // namespace driftlock
