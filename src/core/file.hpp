// Whole-file reads and atomic writes: the only file I/O core does.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace driftlock {

// The file's bytes; an input error "cannot read WHAT 'PATH': REASON" otherwise.
Result<std::string> read_file(const std::filesystem::path& path, std::string_view what);

// Whether missing parent folders of a written file are created (the
// snapshot's first write) or an error (a mistyped -o path).
enum class Folders { must_exist, create };

// Writes a temporary file beside `path`, fsyncs it, renames it over `path` and
// fsyncs the folder, so readers see the old or the new content, never a mix.
Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content,
                                   Folders folders = Folders::must_exist);

// The two halves of write_file_atomically, for a caller that must know a
// write will succeed before an irreversible step (a push): stage() creates
// the folders and writes and fsyncs the temporary file; commit() renames it
// into place. A staged file never committed is removed by the destructor.
class StagedFile {
 public:
  static Result<StagedFile> stage(const std::filesystem::path& path, std::string_view content,
                                  Folders folders = Folders::must_exist);

  StagedFile(StagedFile&& other) noexcept;
  StagedFile& operator=(StagedFile&&) = delete;
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;
  ~StagedFile();

  Result<void> commit();
  const std::filesystem::path& path() const { return m_path; }

 private:
  StagedFile(std::filesystem::path path, std::filesystem::path temporary)
      : m_path(std::move(path)), m_temporary(std::move(temporary)) {}

  std::filesystem::path m_path;
  std::filesystem::path m_temporary;  // empty once committed or moved from
};

// Removes the temporary files StagedFile::stage left beside `path` when a
// process was killed between stage() and commit(). Only for a caller that
// knows no other process is staging `path` (it holds the state folder's lock).
void remove_stale_temporaries(const std::filesystem::path& path);

}  // namespace driftlock
