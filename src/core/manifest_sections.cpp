// The top level and the [commands], [policy] and [registries] tables.
#include "core/manifest_reader.hpp"
#include "core/suggest.hpp"
#include "core/text.hpp"

namespace driftlock::manifest_detail {

void ManifestReader::read(const toml::table& root, Manifest& m) {
  static constexpr std::array<std::string_view, 7> kTop = {
      "image", "snapshot", "commands", "policy", "registries", "closure", "dependencies"};
  const Place top;
  check_top_keys(root, kTop);
  read_image(root, m);

  if (const toml::node* value = root.get("snapshot")) {
    if (auto snapshot = string_at(*value, top.label("snapshot"))) {
      if (snapshot->empty()) {
        report(value->source(), "'snapshot' must not be empty");
      } else {
        m.snapshot = (m.dir / *snapshot).lexically_normal();
      }
    }
  } else if (!m.image.empty()) {
    m.snapshot = (m.dir / "snapshots" / (m.image + ".lock.json")).lexically_normal();
  }

  if (const toml::table* t = table_at(root, "commands", top)) read_commands(*t, m.commands);
  if (const toml::table* t = table_at(root, "policy", top)) read_policy(*t, m.policy);
  if (const toml::table* t = table_at(root, "registries", top)) read_registries(*t, m.registries);
  if (const toml::table* t = table_at(root, "closure", top)) read_closure(*t, m.closure);
  if (const toml::table* t = table_at(root, "dependencies", top)) {
    read_dependencies(*t, m.dependencies);
  }
}

void ManifestReader::read_image(const toml::table& root, Manifest& m) {
  const toml::node* value = root.get("image");
  if (!value) {
    report_missing(toml::source_region{{1, 1}, {1, 1}, {}}, "missing required key 'image'");
    return;
  }
  auto image = string_at(*value, "'image'");
  if (!image) return;
  // The image names files, tags and state, so it is kept to a safe alphabet.
  constexpr std::size_t kMaxImage = 128;
  if (!is_safe_name(*image, "._-") || image->size() > kMaxImage) {
    report(value->source(), fmt::format("'image' must be a safe name of at most {} characters "
                                        "([A-Za-z0-9][A-Za-z0-9._-]*), not '{}'",
                                        kMaxImage, printable(*image)));
    return;
  }
  m.image = *image;
}

void ManifestReader::read_commands(const toml::table& table, CommandSettings& commands) {
  static constexpr std::array<std::string_view, 8> kKeys = {
      "build", "test", "push", "timeout", "jobs", "junit", "unresolved-exit", "error-exit"};
  const Place place{"[commands]"};
  check_keys(table, kKeys, place);
  for (auto [key, field] : {std::pair{"build", &commands.build}, std::pair{"test", &commands.test},
                            std::pair{"push", &commands.push}}) {
    if (const toml::node* value = table.get(key)) {
      if (auto command = string_at(*value, place.label(key))) *field = std::move(*command);
    }
  }
  if (const toml::node* value = table.get("timeout")) {
    if (auto timeout = duration_at(*value, place.label("timeout"), 1)) commands.timeout = *timeout;
  }
  if (const toml::node* value = table.get("jobs")) {
    if (auto jobs = integer_at(*value, place.label("jobs"), 1, 64)) commands.jobs = *jobs;
  }
  if (const toml::node* value = table.get("junit")) {
    if (auto junit = string_at(*value, place.label("junit"))) {
      if (junit->empty()) {
        report(value->source(), "[commands] junit must not be empty");
      } else {
        commands.junit = std::move(*junit);
      }
    }
  }
  if (const toml::node* value = table.get("unresolved-exit")) {
    if (auto code = integer_at(*value, place.label("unresolved-exit"), 1, 255)) {
      commands.unresolved_exit = *code;
    }
  }
  if (const toml::node* value = table.get("error-exit")) {
    if (auto code = integer_at(*value, place.label("error-exit"), 1, 255)) {
      if (*code == commands.unresolved_exit) {
        report(value->source(),
               fmt::format("[commands] error-exit must differ from unresolved-exit ({})",
                           commands.unresolved_exit));
      } else {
        commands.error_exit = *code;
      }
    }
  }
}

void ManifestReader::read_policy(const toml::table& table, PolicySettings& policy) {
  static constexpr std::array<std::string_view, 4> kKeys = {"prereleases", "min-age", "as-of",
                                                            "flaky-tests"};
  const Place place{"[policy]"};
  check_keys(table, kKeys, place);
  if (const toml::node* value = table.get("prereleases")) {
    if (auto include = boolean_at(*value, place.label("prereleases"))) {
      policy.prereleases = *include ? Prereleases::include : Prereleases::exclude;
    }
  }
  if (const toml::node* value = table.get("min-age")) {
    if (auto age = duration_at(*value, place.label("min-age"), 0)) policy.min_age = *age;
  }
  if (const toml::node* value = table.get("as-of")) {
    if (auto as_of = timestamp_at(*value, place.label("as-of"))) policy.as_of = *as_of;
  }
  if (const toml::node* value = table.get("flaky-tests")) {
    if (auto text = string_at(*value, place.label("flaky-tests"))) {
      if (auto mode = parse_flaky_tests(*text)) {
        policy.flaky_tests = *mode;
      } else {
        report(value->source(),
               fmt::format("[policy] flaky-tests: unknown mode '{}' (expected auto, expect or "
                           "trust){}",
                           printable(*text), did_you_mean(*text, kFlakyTestsNames)));
      }
    }
  }
}

void ManifestReader::read_registries(const toml::table& table, RegistrySettings& registries) {
  static constexpr std::array<std::string_view, 3> kKeys = {"npm", "pypi", "debian"};
  const Place place{"[registries]"};
  check_keys(table, kKeys, place);
  if (const toml::node* value = table.get("npm")) {
    registries.npm = url_at(*value, place.label("npm"));
  }
  if (const toml::node* value = table.get("pypi")) {
    registries.pypi = url_at(*value, place.label("pypi"));
  }
  if (const toml::node* value = table.get("debian")) {
    registries.debian = read_debian(*value, place);
  }
}

void ManifestReader::read_closure(const toml::table& table, std::vector<ClosureCommand>& closure) {
  // OCI images have no closure of their own: what a base image installs is
  // listed by the other ecosystems' commands.
  static constexpr std::array<std::string_view, 3> kKeys = {"debian", "npm", "pypi"};
  const Place place{"[closure]"};
  check_keys(table, kKeys, place);
  for (std::string_view ecosystem : kKeys) {
    const toml::node* value = table.get(ecosystem);
    if (!value) continue;
    auto command = string_at(*value, place.label(ecosystem));
    if (!command) continue;
    if (trim_whitespace(*command).empty()) {
      report(value->source(), fmt::format("'{}' in [closure] must not be empty", ecosystem));
      continue;
    }
    closure.push_back({std::string(ecosystem), *command});
  }
}

std::optional<DebianRegistry> ManifestReader::read_debian(const toml::node& value,
                                                          const Place& parent) {
  const toml::table* table = value.as_table();
  if (!table) {
    wrong_type(value, "a table", parent.label("debian"));
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 4> kKeys = {"url", "suite", "components", "arch"};
  const Place place{"[registries] debian", '.'};
  check_keys(*table, kKeys, place);
  DebianRegistry debian{{}, {}, {"main"}, "amd64"};
  // Suites, components and the architecture become URL paths
  // ("dists/bookworm/main/binary-amd64/…"): no "..", no spaces.
  auto path_word = [&](const toml::node& node, const std::string& label, std::string_view extra,
                       std::string& out) {
    auto word = string_at(node, label);
    if (!word) return;
    if (!is_safe_name(*word, extra) || word->find("..") != std::string::npos) {
      report(node.source(), fmt::format("{} must match [A-Za-z0-9][A-Za-z0-9{}]*, not '{}'", label,
                                        extra, printable(*word)));
    }
    out = std::move(*word);
  };

  if (const toml::node* url = table->get("url")) {
    if (auto text = url_at(*url, place.label("url"))) debian.url = std::move(*text);
  } else {
    report_missing(value.source(), "missing required key 'url' in [registries] debian");
  }
  if (const toml::node* suite = table->get("suite")) {
    path_word(*suite, place.label("suite"), "._+/-", debian.suite);
  } else {
    report_missing(value.source(), "missing required key 'suite' in [registries] debian");
  }
  if (const toml::node* components = table->get("components")) {
    const std::string label = place.label("components");
    const toml::array* array = components->as_array();
    if (!array) {
      wrong_type(*components, "an array of strings", label);
    } else if (array->empty()) {
      report(components->source(), fmt::format("{} must not be empty", label));
    } else {
      debian.components.assign(array->size(), std::string());
      for (std::size_t i = 0; i < array->size(); ++i) {
        path_word(*array->get(i), fmt::format("{}[{}]", label, i), "._+/-", debian.components[i]);
      }
    }
  }
  if (const toml::node* arch = table->get("arch")) {
    path_word(*arch, place.label("arch"), "-", debian.arch);
  }
  return debian;
}

}  // namespace driftlock::manifest_detail
