// The walker's reporting and typed value access; parse_manifest.
#include "core/manifest_reader.hpp"

#include "core/suggest.hpp"

namespace driftlock {
namespace manifest_detail {
namespace {

std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

}  // namespace

void ManifestReader::check_keys(const toml::table& table, Keys known, const Place& place) {
  for (auto&& [key, value] : table) {
    if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
    report(key.source(), fmt::format("unknown key '{}' in {}{}", printable(key.str()), place.name,
                                     did_you_mean(key.str(), known)));
  }
}

void ManifestReader::check_top_keys(const toml::table& root, Keys known) {
  for (auto&& [key, value] : root) {
    if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
    const char* what = value.is_table() ? "table" : "top-level key";
    report(key.source(), fmt::format("unknown {} '{}'{}", what, printable(key.str()),
                                     did_you_mean(key.str(), known)));
  }
}

void ManifestReader::wrong_type(const toml::node& value, std::string_view expected,
                                const std::string& label) {
  report(value.source(),
         fmt::format("expected {} for {}, found {}", expected, label, type_name(value)));
}

const toml::table* ManifestReader::table_at(const toml::table& parent, std::string_view key,
                                            const Place& place) {
  const toml::node* value = parent.get(key);
  if (!value) return nullptr;
  if (const toml::table* table = value->as_table()) return table;
  wrong_type(*value, "a table", place.label(key));
  return nullptr;
}

std::optional<std::string> ManifestReader::string_at(const toml::node& value,
                                                     const std::string& label) {
  const auto* s = value.as_string();
  if (!s) {
    wrong_type(value, "a string", label);
    return std::nullopt;
  }
  // Strings become paths, URLs and command lines, where a NUL would cut them short.
  if (s->get().find('\0') != std::string::npos) {
    report(value.source(), fmt::format("{} must not contain a NUL character", label));
    return std::nullopt;
  }
  return s->get();
}

std::optional<int> ManifestReader::integer_at(const toml::node& value, const std::string& label,
                                              int min, int max) {
  const auto* i = value.as_integer();
  if (!i) {
    wrong_type(value, "an integer", label);
    return std::nullopt;
  }
  if (i->get() < min || i->get() > max) {
    report(value.source(),
           fmt::format("{} must be an integer from {} to {}, not {}", label, min, max, i->get()));
    return std::nullopt;
  }
  return static_cast<int>(i->get());
}

std::optional<bool> ManifestReader::boolean_at(const toml::node& value, const std::string& label) {
  if (const auto* b = value.as_boolean()) return b->get();
  wrong_type(value, "a boolean", label);
  return std::nullopt;
}

std::optional<std::chrono::seconds> ManifestReader::duration_at(const toml::node& value,
                                                                const std::string& label,
                                                                long long min_seconds) {
  if (const auto* i = value.as_integer()) {
    if (i->get() < min_seconds || i->get() > kMaxSeconds) {
      report(value.source(), fmt::format("{} must be a number of seconds from {} to {}, not {}",
                                         label, min_seconds, kMaxSeconds, i->get()));
      return std::nullopt;
    }
    return std::chrono::seconds(i->get());
  }
  if (!value.is_string()) {
    wrong_type(value, "a duration (a string like \"30m\" or integer seconds)", label);
    return std::nullopt;
  }
  auto text = string_at(value, label);
  if (!text) return std::nullopt;
  auto parsed = parse_duration(*text);
  if (!parsed) {
    report(value.source(), fmt::format("{}: {}", label, parsed.error().message));
    return std::nullopt;
  }
  if (parsed->count() < min_seconds) {
    report(value.source(), fmt::format("{} must be at least {}", label,
                                       format_duration(std::chrono::seconds(min_seconds))));
    return std::nullopt;
  }
  return *parsed;
}

std::optional<Timestamp> ManifestReader::timestamp_at(const toml::node& value,
                                                      const std::string& label) {
  auto midnight = [](const toml::date& d) {
    return Timestamp(std::chrono::sys_days(std::chrono::year_month_day(
        std::chrono::year(d.year), std::chrono::month(d.month), std::chrono::day(d.day))));
  };
  if (const auto* d = value.as_date()) return midnight(d->get());
  if (const auto* dt = value.as_date_time()) {
    const toml::date_time& t = dt->get();
    if (!t.offset) {
      report(value.source(),
             fmt::format("{}: a date-time needs a UTC offset, e.g. 2024-08-01T00:00:00Z", label));
      return std::nullopt;
    }
    return midnight(t.date) + std::chrono::hours(t.time.hour) +
           std::chrono::minutes(t.time.minute) + std::chrono::seconds(t.time.second) -
           std::chrono::minutes(t.offset->minutes);
  }
  if (!value.is_string()) {
    wrong_type(value, "a timestamp", label);
    return std::nullopt;
  }
  auto text = string_at(value, label);
  if (!text) return std::nullopt;
  auto parsed = parse_timestamp(*text);
  if (!parsed) {
    report(value.source(), fmt::format("{}: {}", label, parsed.error().message));
    return std::nullopt;
  }
  return *parsed;
}

std::optional<std::string> ManifestReader::url_at(const toml::node& value,
                                                  const std::string& label) {
  auto url = string_at(value, label);
  if (!url) return std::nullopt;
  // Base URLs get paths appended, so a trailing '/' would double up.
  std::string_view base = *url;
  while (base.ends_with('/')) base.remove_suffix(1);
  std::string_view rest = base;
  bool http = rest.starts_with("http://") || rest.starts_with("https://");
  if (http) rest.remove_prefix(rest.find("//") + 2);
  bool clean = std::none_of(base.begin(), base.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
  });
  if (!http || rest.empty() || rest[0] == '/' || !clean) {
    report(value.source(),
           fmt::format("{} must be an http:// or https:// URL, not '{}'", label, printable(*url)));
    return std::nullopt;
  }
  return std::string(base);
}

}  // namespace manifest_detail

Result<Manifest> parse_manifest(std::string_view text, const std::filesystem::path& path,
                                EcosystemTable ecosystems) {
  const std::string shown = path.string();
  if (auto offset = manifest_detail::find_excessive_nesting(text)) {
    return fail_at(driftlock::locate(shown, text, *offset),
                   fmt::format("more than {} dots on one line (keys nest too deeply)",
                               manifest_detail::kMaxDotsPerLine));
  }
  toml::table root;
  try {
    root = toml::parse(text, std::string_view{});
  } catch (const toml::parse_error& e) {
    manifest_detail::Position at = manifest_detail::position_of(e.source());
    return fail_at(locate_line(shown, text, at.line, at.column), std::string(e.description()));
  } catch (const std::exception& e) {
    return fail_input(fmt::format("cannot parse manifest '{}': {}", shown, e.what()));
  }

  Manifest m;
  m.path = path;
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  m.dir = (ec ? path : absolute).parent_path().lexically_normal();

  manifest_detail::ManifestReader reader(text, shown, ecosystems);
  reader.read(root, m);
  if (auto error = std::move(reader).error()) return std::unexpected(std::move(*error));
  return m;
}

}  // namespace driftlock
