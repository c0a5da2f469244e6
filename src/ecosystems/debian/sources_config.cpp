#include "ecosystems/debian/sources_config.hpp"

#include <string>
#include <utility>

#include <fmt/format.h>

#include "ecosystems/debian/packages_index.hpp"
#include "net/http_text.hpp"
#include "net/url.hpp"

namespace driftlock::ecosystems::debian {

namespace {

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t at = 0;
  while (true) {
    at = text.find_first_not_of(" \t\r\n", at);
    if (at == std::string_view::npos) break;
    const std::size_t end = std::min(text.find_first_of(" \t\r\n", at), text.size());
    words.push_back(text.substr(at, end - at));
    at = end;
  }
  return words;
}

// Only http(s) repositories can be read by the datasource.
bool fetchable(std::string_view uri) {
  const std::string scheme = net::scheme_of(uri);
  return scheme == "http" || scheme == "https";
}

std::string trim_slashes(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return std::string(url);
}

std::string first_arch(std::string_view value) {
  const std::size_t end = value.find(',');
  return std::string(value.substr(0, end));
}

std::unexpected<Error> bad(std::string_view path, int line, std::string_view problem) {
  return fail_input(fmt::format("{}:{}: {}", path, line, problem));
}

}  // namespace

Result<std::vector<DebianRegistry>> parse_sources_list(std::string_view text, std::string_view path,
                                                       std::string_view default_arch) {
  std::vector<DebianRegistry> entries;
  int line_number = 0;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    ++line_number;
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    auto words = split_words(line);
    if (words.empty()) continue;
    if (words[0] == "deb-src") continue;
    if (words[0] != "deb") {
      return bad(path, line_number,
                 fmt::format("unknown type '{}' (expected deb or deb-src)", words[0]));
    }
    std::size_t next = 1;
    std::string arch(default_arch);
    if (next < words.size() && words[next].starts_with('[')) {
      // Options may be written "[arch=amd64]" or "[ arch=amd64 signed-by=... ]".
      bool closed = false;
      for (; next < words.size() && !closed; ++next) {
        std::string_view option = words[next];
        if (option.starts_with('[')) option.remove_prefix(1);
        if (option.ends_with(']')) {
          option.remove_suffix(1);
          closed = true;
        }
        if (option.starts_with("arch=")) arch = first_arch(option.substr(5));
      }
      if (!closed) return bad(path, line_number, "options are missing the closing ']'");
    }
    if (words.size() < next + 2) {
      return bad(path, line_number, "expected 'deb [options] URI suite component...'");
    }
    const std::string_view uri = words[next];
    const std::string_view suite = words[next + 1];
    if (suite.ends_with('/') || !fetchable(uri)) continue;
    if (words.size() == next + 2) {
      return bad(path, line_number, fmt::format("suite '{}' has no components", suite));
    }
    DebianRegistry entry{trim_slashes(uri), std::string(suite), {}, arch};
    for (std::size_t i = next + 2; i < words.size(); ++i) {
      entry.components.emplace_back(words[i]);
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<std::vector<DebianRegistry>> parse_sources_file(std::string_view text, std::string_view path,
                                                       std::string_view default_arch) {
  auto stanzas = parse_stanzas(text, path, ErrorKind::input, StanzaParser::Comments::allow);
  if (!stanzas) return std::unexpected(stanzas.error());
  std::vector<DebianRegistry> entries;
  for (const auto& stanza : *stanzas) {
    if (net::equals_ignore_case(stanza.get("Enabled").value_or("yes"), "no")) continue;
    const auto types = split_words(stanza.get("Types").value_or(""));
    if (types.empty()) return bad(path, stanza.line, "a source without Types");
    bool binary = false;
    for (auto type : types) binary = binary || type == "deb";
    if (!binary) continue;
    const auto uris = split_words(stanza.get("URIs").value_or(""));
    if (uris.empty()) return bad(path, stanza.line, "a source without URIs");
    const auto suites = split_words(stanza.get("Suites").value_or(""));
    if (suites.empty()) return bad(path, stanza.line, "a source without Suites");
    const auto components = split_words(stanza.get("Components").value_or(""));
    const auto arches = split_words(stanza.get("Architectures").value_or(""));
    const std::string arch = arches.empty() ? std::string(default_arch) : std::string(arches[0]);
    for (auto uri : uris) {
      if (!fetchable(uri)) continue;
      for (auto suite : suites) {
        if (suite.ends_with('/')) continue;
        if (components.empty()) {
          return bad(path, stanza.line, fmt::format("suite '{}' has no Components", suite));
        }
        DebianRegistry entry{trim_slashes(uri), std::string(suite), {}, arch};
        for (auto component : components) entry.components.emplace_back(component);
        entries.push_back(std::move(entry));
      }
    }
  }
  return entries;
}

}  // namespace driftlock::ecosystems::debian
