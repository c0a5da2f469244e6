// Whole-file reads and writes for tests (fixtures, manifests, snapshots).
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace driftlock::testing {

// The file's bytes; "" when it cannot be read.
inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Writes `text`, creating the parent folders.
inline void write_text(const std::filesystem::path& path, const std::string& text) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace driftlock::testing
