// The manifest `driftlock init` writes: image, snapshot, commented-out
// command suggestions, one [dependencies.<ecosystem>] table per ecosystem
// found (each dependency with the line it came from) and the lines that
// could not be read, as comments.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>

#include "core/ecosystem.hpp"
#include "init/found.hpp"

namespace driftlock::init {

struct Draft {
  std::string image;
  // The Dockerfile and its build context as the manifest's commands name
  // them (relative to the manifest's folder): "Containerfile", ".".
  std::string dockerfile;
  std::string context;
  Findings findings;
  // Origins are shown relative to this folder (the manifest's, absolute).
  std::filesystem::path shown_from;
};

struct Written {
  std::string text;
  std::map<std::string, std::size_t> counts;  // dependencies per ecosystem
  std::size_t unread_lines = 0;               // distinct file:line of Findings::unread
};

// "12"-style places: "Dockerfile:14", relative to draft.shown_from.
std::string shown(const Origin& origin, const std::filesystem::path& shown_from);

// The manifest text. Dependencies named twice (two RUN lines, a package
// also in a requirements file) are merged: a range wins over "*", and the
// other lines are named in the comment.
Written write_manifest(const Draft& draft, EcosystemTable ecosystems);

// A manifest image name made of `folder` (letters, digits, '.', '_', '-',
// starting with a letter or digit, at most 128 characters): "my image" ->
// "my-image"; "image" when nothing is left.
std::string image_name_from(std::string_view folder);

}  // namespace driftlock::init
