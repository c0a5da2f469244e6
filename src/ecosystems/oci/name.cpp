#include "ecosystems/oci/name.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include "ecosystems/display.hpp"

namespace driftlock::ecosystems::oci {
namespace {

// The distribution reference grammar caps a whole name at 255 characters.
constexpr std::size_t kMaxNameLength = 255;

// The reference grammar of the distribution project (distribution/reference,
// regexp.go), which the OCI distribution spec follows, stated as it states
// it: as regular expressions. Each is matched whole.
const RE2& path_component_pattern() {
  // alphanumeric (separator alphanumeric)*, separator = [._] | __ | -+
  static const RE2 pattern("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  return pattern;
}
const RE2& domain_component_pattern() {
  static const RE2 pattern("[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?");
  return pattern;
}
const RE2& ipv6_pattern() {
  // Inside the brackets; an IPv4-mapped tail keeps its dots.
  static const RE2 pattern("[a-fA-F0-9:.]+");
  return pattern;
}
const RE2& port_pattern() {
  static const RE2 pattern("[0-9]{1,5}");
  return pattern;
}

bool full_match(std::string_view text, const RE2& pattern) {
  return RE2::FullMatch(re2::StringPiece(text.data(), text.size()), pattern);
}

// A registry is named only when the first component looks like a host
// (docker's rule): it has a '.' or a ':' or is `localhost`. `library/debian`
// is a path, `registry.example/debian` a host and a path.
bool is_registry(std::string_view first) {
  return first.find_first_of(".:") != std::string_view::npos || first == "localhost";
}

bool valid_port(std::string_view port) {
  if (!full_match(port, port_pattern())) return false;
  unsigned value = 0;
  for (char c : port) value = value * 10 + static_cast<unsigned>(c - '0');
  return value >= 1 && value <= 65535;
}

// Why `registry` is not host[:port]; empty when it is.
std::string registry_problem(std::string_view registry) {
  std::string_view host = registry;
  std::string_view port;
  bool has_port = false;
  if (registry.starts_with('[')) {
    auto close = registry.find(']');
    if (close == std::string_view::npos) return "unclosed '[' in the registry host";
    host = registry.substr(1, close - 1);
    if (host.empty()) return "empty registry host";
    if (!full_match(host, ipv6_pattern())) {
      return fmt::format("invalid IPv6 registry host '[{}]'", display(host));
    }
    std::string_view after = registry.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return fmt::format("invalid registry '{}' (expected [IPv6]:port)", display(registry));
      }
      has_port = true;
      port = after.substr(1);
    }
  } else {
    if (auto colon = registry.find(':'); colon != std::string_view::npos) {
      has_port = true;
      port = registry.substr(colon + 1);
      host = registry.substr(0, colon);
    }
    if (host.empty()) return "empty registry host";
    std::string_view rest = host;
    while (true) {
      auto dot = rest.find('.');
      if (!full_match(rest.substr(0, dot), domain_component_pattern())) {
        return fmt::format("invalid registry host '{}'", display(host));
      }
      if (dot == std::string_view::npos) break;
      rest.remove_prefix(dot + 1);
    }
  }
  if (has_port && !valid_port(port)) {
    return fmt::format("invalid registry port '{}' (expected 1-65535)", display(port));
  }
  return {};
}

std::string path_problem(std::string_view path) {
  std::string_view rest = path;
  while (true) {
    auto slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    if (part.empty()) return "empty path component";
    if (!full_match(part, path_component_pattern())) {
      for (char c : part) {
        if (c >= 'A' && c <= 'Z') {
          return fmt::format("path component '{}' is not lowercase", display(part));
        }
      }
      return fmt::format(
          "invalid path component '{}' (lowercase letters and digits, joined by '.', '_', '__' "
          "or '-')",
          display(part));
    }
    if (slash == std::string_view::npos) return {};
    rest.remove_prefix(slash + 1);
  }
}

}  // namespace

ImageName split_name(std::string_view name) {
  ImageName out{std::string(kDockerHub), std::string(name)};
  if (auto slash = name.find('/');
      slash != std::string_view::npos && is_registry(name.substr(0, slash))) {
    out.registry = name.substr(0, slash);
    out.path = name.substr(slash + 1);
  }
  if (out.registry == kDockerHubIndex) out.registry = kDockerHub;
  if (out.registry == kDockerHub && !out.path.empty() && out.path.find('/') == std::string::npos) {
    out.path.insert(0, "library/");
  }
  return out;
}

Result<void> validate_name(std::string_view name) {
  auto bad = [&](std::string_view why) {
    return fail_input(fmt::format("invalid OCI image reference '{}': {}", display(name), why));
  };
  if (name.empty()) return bad("empty name");
  if (auto at = name.find('@'); at != std::string_view::npos) {
    return bad(
        fmt::format("it names a digest; use \"{}\" as the key and the tag to follow as the value "
                    "(the snapshot records the digest)",
                    display(name.substr(0, at))));
  }
  std::string_view registry;
  std::string_view path = name;
  if (auto slash = name.find('/');
      slash != std::string_view::npos && is_registry(name.substr(0, slash))) {
    registry = name.substr(0, slash);
    path = name.substr(slash + 1);
  }
  // A ':' after the registry can only start a tag.
  if (auto colon = path.rfind(':'); colon != std::string_view::npos) {
    std::string_view tag = path.substr(colon + 1);
    std::string_view image = name.substr(0, name.size() - tag.size() - 1);
    return bad(
        fmt::format("it includes the tag '{}'; use \"{}\" as the key and \"{}\" as the value",
                    display(tag), display(image), display(tag)));
  }
  if (name.size() > kMaxNameLength) return bad("longer than 255 characters");
  if (!registry.empty()) {
    if (auto problem = registry_problem(registry); !problem.empty()) return bad(problem);
  }
  if (path.empty()) return bad("no image path after the registry");
  if (auto problem = path_problem(path); !problem.empty()) return bad(problem);
  return {};
}

}  // namespace driftlock::ecosystems::oci
