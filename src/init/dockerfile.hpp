// The Dockerfile reader of `driftlock init`: which images, apt, pip and npm
// packages a Containerfile / Dockerfile installs, with the line each came
// from, and the lines it could not read.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/ecosystem.hpp"
#include "core/error.hpp"
#include "init/found.hpp"

namespace driftlock::init {

// Reads Dockerfile `text`. `path` names it in origins and errors (as the
// user gave it); `context` is the build context on disk (the Dockerfile's
// folder), where requirements files and package.json are looked up.
// What cannot be read is in Findings::unread; an Error (with
// path:line:column) only when the text is not a Dockerfile: an unknown
// instruction, no FROM, a bad `# escape=` directive, a `${` without `}`.
Result<Findings> read_dockerfile(std::string_view text, const std::string& path,
                                 const std::filesystem::path& context, EcosystemTable ecosystems);

}  // namespace driftlock::init
