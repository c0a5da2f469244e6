#include "core/file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

namespace driftlock {

Result<std::string> read_file(const std::filesystem::path& path, std::string_view what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return fail_input(fmt::format("cannot read {} '{}': Is a directory", what, path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail_input(
        fmt::format("cannot read {} '{}': {}", what, path.string(), std::strerror(errno)));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

namespace {

Error io_error(const std::filesystem::path& path, std::string_view step) {
  return Error{
      ErrorKind::infrastructure,
      fmt::format("cannot write '{}': {} failed: {}", path.string(), step, std::strerror(errno)),
      std::nullopt};
}

std::filesystem::path folder_of(const std::filesystem::path& path) {
  std::filesystem::path dir = path.parent_path();
  return dir.empty() ? std::filesystem::path(".") : dir;
}

// ".NAME.tmp-": the temporary files of `path` start with it, then the pid.
std::string temporary_prefix(const std::filesystem::path& path) {
  return fmt::format(".{}.tmp-", path.filename().string());
}

}  // namespace

Result<StagedFile> StagedFile::stage(const std::filesystem::path& path, std::string_view content,
                                     Folders folders) {
  const std::filesystem::path dir = folder_of(path);
  std::error_code ec;
  if (folders == Folders::create) std::filesystem::create_directories(dir, ec);
  if (ec) {
    return fail(ErrorKind::infrastructure,
                fmt::format("cannot write '{}': cannot create its folder: {}", path.string(),
                            ec.message()));
  }
  std::filesystem::path tmp = dir / fmt::format("{}{}", temporary_prefix(path), getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return std::unexpected(io_error(path, "open"));
  auto abandon = [&](std::string_view step) {
    Error error = io_error(path, step);
    ::close(fd);
    ::unlink(tmp.c_str());
    return std::unexpected(std::move(error));
  };
  std::size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return abandon("write");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return abandon("fsync");
  ::close(fd);
  return StagedFile(path, std::move(tmp));
}

StagedFile::StagedFile(StagedFile&& other) noexcept
    : m_path(std::move(other.m_path)), m_temporary(std::exchange(other.m_temporary, {})) {}

StagedFile::~StagedFile() {
  if (!m_temporary.empty()) ::unlink(m_temporary.c_str());
}

Result<void> StagedFile::commit() {
  if (m_temporary.empty()) return fail(ErrorKind::infrastructure, "staged file already committed");
  if (::rename(m_temporary.c_str(), m_path.c_str()) != 0)
    return std::unexpected(io_error(m_path, "rename"));
  m_temporary.clear();
  // The rename is durable only once the folder's entry is on disk.
  int dir_fd = ::open(folder_of(m_path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return {};
}

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content,
                                   Folders folders) {
  auto staged = StagedFile::stage(path, content, folders);
  if (!staged) return std::unexpected(std::move(staged.error()));
  return staged->commit();
}

void remove_stale_temporaries(const std::filesystem::path& path) {
  const std::string prefix = temporary_prefix(path);
  std::error_code ec;
  std::vector<std::filesystem::path> stale;
  std::filesystem::directory_iterator it(folder_of(path), ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with(prefix) || name.size() == prefix.size()) continue;
    if (name.find_first_not_of("0123456789", prefix.size()) != std::string::npos) continue;
    stale.push_back(it->path());
  }
  for (const std::filesystem::path& one : stale) std::filesystem::remove(one, ec);
}

}  // namespace driftlock
