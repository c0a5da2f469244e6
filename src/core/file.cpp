#include "core/file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

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

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  auto io_error = [&](std::string_view step) {
    return fail(ErrorKind::infrastructure, fmt::format("cannot write '{}': {} failed: {}",
                                                       path.string(), step, std::strerror(errno)));
  };
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmp = (dir / fmt::format(".{}.tmp-{}", path.filename().string(), getpid())).string();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("open");
  std::size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto err = io_error("write");
      ::close(fd);
      ::unlink(tmp.c_str());
      return err;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    auto err = io_error("fsync");
    ::close(fd);
    ::unlink(tmp.c_str());
    return err;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    auto err = io_error("rename");
    ::unlink(tmp.c_str());
    return err;
  }
  // The rename is durable only once the folder's entry is on disk.
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return {};
}

}  // namespace driftlock
