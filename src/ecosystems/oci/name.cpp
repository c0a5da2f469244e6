#include "ecosystems/oci/name.hpp"

#include <fmt/format.h>

#include "ecosystems/display.hpp"

namespace driftlock::ecosystems::oci {
namespace {

// The distribution reference grammar caps a whole name at 255 characters.
constexpr std::size_t kMaxNameLength = 255;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_lower_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z');
}
bool is_alnum(char c) {
  return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// A registry is named only when the first component looks like a host
// (docker's rule): it has a '.' or a ':' or is `localhost`. `library/debian`
// is a path, `registry.example/debian` a host and a path.
bool is_registry(std::string_view first) {
  return first.find_first_of(".:") != std::string_view::npos || first == "localhost";
}

// domain-component: [A-Za-z0-9] or [A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9].
bool valid_host_label(std::string_view label) {
  if (label.empty() || !is_alnum(label.front()) || !is_alnum(label.back())) return false;
  for (char c : label) {
    if (!is_alnum(c) && c != '-') return false;
  }
  return true;
}

bool valid_port(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  unsigned value = 0;
  for (char c : port) {
    if (!is_digit(c)) return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
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
    for (char c : host) {
      if (!is_hex(c) && c != ':' && c != '.') {
        return fmt::format("invalid IPv6 registry host '[{}]'", display(host));
      }
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
      if (!valid_host_label(rest.substr(0, dot))) {
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

// path-component: [a-z0-9]+ joined by one '.', one '_', '__' or any run of '-'.
bool valid_path_component(std::string_view part) {
  std::size_t i = 0;
  while (true) {
    std::size_t start = i;
    while (i < part.size() && is_lower_alnum(part[i])) ++i;
    if (i == start) return false;  // empty, or a separator not between alphanumerics
    if (i == part.size()) return true;
    if (part[i] == '.') {
      ++i;
    } else if (part[i] == '_') {
      ++i;
      if (i < part.size() && part[i] == '_') ++i;
    } else if (part[i] == '-') {
      while (i < part.size() && part[i] == '-') ++i;
    } else {
      return false;
    }
  }
}

std::string path_problem(std::string_view path) {
  std::string_view rest = path;
  while (true) {
    auto slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    if (part.empty()) return "empty path component";
    if (!valid_path_component(part)) {
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
