// The package managers `driftlock init` reads inside RUN lines: apt / apt-get
// (debian), pip (pypi, with -r requirements files), npm (with package.json),
// and the files they read.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/ecosystem.hpp"
#include "init/found.hpp"
#include "init/shell.hpp"

namespace driftlock::init {

// Where a command was found and what it may look at.
struct CommandSite {
  EcosystemTable ecosystems;
  Findings* findings = nullptr;
  // The place of byte `offset` of the script the command's words are in.
  std::function<Origin(std::size_t offset)> locate;
  // The file in the build context that the image has at `image_path`
  // (relative to the WORKDIR, or absolute), when it is there.
  std::function<std::optional<std::filesystem::path>(std::string_view image_path)> find_file;
  // Whether a file on disk is inside the build context (symlinks followed):
  // nothing outside it is read.
  std::function<bool(const std::filesystem::path&)> in_context;
  // How a file in the build context is named in messages.
  std::function<std::string(const std::filesystem::path&)> display;
  const Variables* variables = nullptr;
  std::string command_text;  // the command as written, for messages

  Origin at(const Word& word) const { return locate(word.offset); }
  void unread(Origin origin, std::string what) const;
  void unread(const Word& word, std::string what) const { unread(at(word), std::move(what)); }
  void found(Found found) const;
};

// `apt-get install ...`, `apt install ...`: the words after the program.
void read_apt(std::span<const Word> args, const CommandSite& site);

// `pip install ...` (also `wheel` and `download`): the words after `pip`.
void read_pip(std::span<const Word> args, const CommandSite& site);

// `npm install ...`, `npm ci`: the words after `npm`.
void read_npm(std::span<const Word> args, const CommandSite& site);

// One requirement (`tox~=4.0`, `Twisted[tls]>=22.8.0`, `six`) read from
// `origin`; a path or URL is noted as unread.
void read_requirement(std::string_view text, Origin origin, std::optional<Origin> via,
                      const CommandSite& site);

// One npm package argument (`chalk@^4`, `@scope/pkg@1.2.3`).
void read_npm_package(std::string_view text, Origin origin, const CommandSite& site);

}  // namespace driftlock::init
