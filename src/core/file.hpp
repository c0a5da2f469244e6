// Whole-file reads and atomic writes: the only file I/O core does.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace driftlock {

// The file's bytes; an input error "cannot read WHAT 'PATH': REASON" otherwise.
Result<std::string> read_file(const std::filesystem::path& path, std::string_view what);

// Writes a temporary file beside `path`, fsyncs it, renames it over `path` and
// fsyncs the folder, so readers see the old or the new content, never a mix.
Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace driftlock
