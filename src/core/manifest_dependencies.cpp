// The [dependencies.<ecosystem>] tables.
#include <tuple>

#include "core/manifest_reader.hpp"
#include "core/suggest.hpp"

namespace driftlock::manifest_detail {

void ManifestReader::read_dependencies(const toml::table& table, std::vector<DependencySpec>& out) {
  std::vector<std::string_view> names;
  for (const Ecosystem& e : m_ecosystems) names.push_back(e.name);
  for (auto&& [key, value] : table) {
    const Ecosystem* ecosystem = find_ecosystem(m_ecosystems, key.str());
    if (!ecosystem) {
      std::string hint = did_you_mean(key.str(), names);
      if (hint.empty() && !names.empty()) {
        hint = fmt::format(" (expected one of: {})", fmt::join(names, ", "));
      }
      report(key.source(),
             fmt::format("unknown ecosystem '{}' in [dependencies]{}", printable(key.str()), hint));
      continue;
    }
    const toml::table* deps = value.as_table();
    if (!deps) {
      wrong_type(value, "a table", Place{"[dependencies]"}.label(key.str()));
      continue;
    }
    for (auto&& [name, spec] : *deps) read_dependency(*ecosystem, name, spec, out);
  }
  check_oci_keys(out);
  std::sort(out.begin(), out.end(), [](const DependencySpec& a, const DependencySpec& b) {
    return std::tie(a.ecosystem, a.name) < std::tie(b.ecosystem, b.name);
  });
}

void ManifestReader::read_dependency(const Ecosystem& ecosystem, const toml::key& name,
                                     const toml::node& value, std::vector<DependencySpec>& out) {
  const bool oci = ecosystem.name == "oci";
  const std::string label =
      Place{fmt::format("[dependencies.{}]", ecosystem.name)}.label(name.str());
  const Place place{label, '.'};
  DependencySpec spec{
      std::string(ecosystem.name), std::string(name.str()), "*", {}, {}, {}, {}, false};
  spec.location = locate(position_of(name.source()));

  if (ecosystem.validate_name) {
    if (auto valid = ecosystem.validate_name(name.str()); !valid) {
      report(name.source(), fmt::format("{}: {}", label, valid.error().message));
    }
  }

  const toml::node* range = nullptr;
  const toml::node* hold = nullptr;
  Position key_at = position_of(name.source());
  if (value.is_string()) {
    range = &value;
  } else if (const toml::table* table = value.as_table()) {
    static constexpr std::array<std::string_view, 4> kKeys = {"range", "hold", "prereleases",
                                                              "key"};
    check_keys(*table, kKeys, place);
    range = table->get("range");
    hold = table->get("hold");
    if (const toml::node* prereleases = table->get("prereleases")) {
      if (auto include = boolean_at(*prereleases, place.label("prereleases"))) {
        spec.prereleases = *include ? Prereleases::include : Prereleases::exclude;
      }
    }
    if (const toml::node* key = table->get("key")) {
      key_at = position_of(key->source());
      if (!oci) {
        report(key_at, fmt::format("{}: only oci dependencies have an env key", label));
      } else if (auto text = string_at(*key, place.label("key"))) {
        if (!is_env_key(*text)) {
          report(key_at, fmt::format("{} must match [A-Z_][A-Z0-9_]*, not '{}'", place.label("key"),
                                     printable(*text)));
        }
        spec.key = std::move(*text);
      }
    }
  } else {
    wrong_type(value, "a range string or an inline table", label);
    return;
  }

  const VersionScheme* scheme = ecosystem.scheme;
  bool range_ok = !range;  // no range: "*"
  if (range) {
    if (auto text = string_at(*range, value.is_string() ? label : place.label("range"))) {
      spec.range = std::move(*text);
      auto valid = scheme ? scheme->validate_range(spec.range) : Result<void>{};
      if (!valid) report(range->source(), fmt::format("{}: {}", label, valid.error().message));
      range_ok = valid.has_value();
    }
  }

  if (hold) {
    const std::string hold_label = place.label("hold");
    if (auto text = string_at(*hold, hold_label)) {
      spec.hold = *text;
      auto normalized = scheme ? scheme->normalize(*text) : Result<std::string>(*text);
      if (!normalized) {
        report(hold->source(), fmt::format("{}: {}", hold_label, normalized.error().message));
      } else if (scheme && range_ok) {
        spec.hold = *normalized;
        // The hold is a deliberate choice, so a pre-release hold counts as in range.
        auto inside = scheme->satisfies(spec.range, *normalized, Prereleases::include);
        if (!inside) {
          report(hold->source(), fmt::format("{}: {}", hold_label, inside.error().message));
        } else if (!*inside) {
          report(hold->source(), fmt::format("{}: hold {} is outside the range '{}' (widen the "
                                             "range or change the hold)",
                                             label, printable(*text), printable(spec.range)));
        }
      }
    }
  }

  if (oci) {
    if (!spec.key) spec.key = derive_oci_key(spec.name);
    m_oci_key_at[spec.name] = key_at;
  }
  out.push_back(std::move(spec));
}

void ManifestReader::check_oci_keys(const std::vector<DependencySpec>& deps) {
  // Two images with the same env key would overwrite each other's variable;
  // the one further down the file is reported.
  std::vector<const DependencySpec*> oci;
  for (const DependencySpec& d : deps) {
    if (d.ecosystem == "oci" && d.key) oci.push_back(&d);
  }
  std::sort(oci.begin(), oci.end(), [&](const DependencySpec* a, const DependencySpec* b) {
    return m_oci_key_at[a->name] < m_oci_key_at[b->name];
  });
  std::map<std::string, const DependencySpec*> owner;
  for (const DependencySpec* d : oci) {
    auto [it, inserted] = owner.emplace(*d->key, d);
    if (inserted) continue;
    report(m_oci_key_at[d->name],
           fmt::format("[dependencies.oci] {}: env key '{}' is already used by {} (set key = "
                       "\"...\" on one of them)",
                       toml_key(d->name), *d->key, toml_key(it->second->name)));
  }
}

}  // namespace driftlock::manifest_detail
