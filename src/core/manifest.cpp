// Reading the manifest file and the OCI env key rule; the TOML work is in
// manifest_parse.cpp so only that file pays for the toml++ headers.
#include "core/manifest.hpp"

#include "core/file.hpp"

namespace driftlock {

Result<Manifest> load_manifest(const std::filesystem::path& path, EcosystemTable ecosystems) {
  auto text = read_file(path, "manifest");
  if (!text) return std::unexpected(std::move(text.error()));
  return parse_manifest(*text, path, ecosystems);
}

std::string derive_oci_key(std::string_view image_reference) {
  std::string_view name = image_reference;
  // "host:port/ns/name:tag@sha256:…": the digest, then the path, then the tag.
  if (auto at = name.find('@'); at != std::string_view::npos) name = name.substr(0, at);
  if (auto slash = name.rfind('/'); slash != std::string_view::npos) name = name.substr(slash + 1);
  if (auto colon = name.find(':'); colon != std::string_view::npos) name = name.substr(0, colon);
  std::string key;
  for (char c : name) {
    if (c >= 'a' && c <= 'z') {
      key += static_cast<char>(c - 'a' + 'A');
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      key += c;
    } else {
      key += '_';
    }
  }
  // An environment variable name may not start with a digit; "" still gives a usable key.
  if (key.empty() || (key[0] >= '0' && key[0] <= '9')) key.insert(key.begin(), '_');
  return key;
}

std::string_view to_string(FlakyTests mode) {
  return kFlakyTestsNames[static_cast<std::size_t>(mode)];
}

std::optional<FlakyTests> parse_flaky_tests(std::string_view text) {
  for (std::size_t i = 0; i < kFlakyTestsNames.size(); ++i) {
    if (kFlakyTestsNames[i] == text) return static_cast<FlakyTests>(i);
  }
  return std::nullopt;
}

}  // namespace driftlock
