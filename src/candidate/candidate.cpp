#include "candidate/candidate.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>

#include "core/file.hpp"
#include "core/snapshot.hpp"

namespace driftlock::candidate {
namespace {

using Key = std::pair<std::string, std::string>;

Result<std::vector<Dependency>> apply_subset(std::span<const Dependency> baseline,
                                             std::span<const Change* const> changes) {
  std::map<Key, Dependency> by_key;
  for (const Dependency& d : baseline) by_key[{d.ecosystem, d.name}] = d;
  std::map<Key, bool> touched;
  for (const Change* c : changes) {
    Key key{c->ecosystem, c->name};
    if (!touched.emplace(key, true).second) {
      return fail_input(
          fmt::format("cannot apply two changes to {}:{} in one candidate", c->ecosystem, c->name));
    }
    if (c->kind == ChangeKind::removed) {
      if (by_key.erase(key) == 0) {
        return fail_input(fmt::format("cannot remove {}:{}: the baseline does not have it",
                                      c->ecosystem, c->name));
      }
      continue;
    }
    if (!c->after) {
      return fail_input(fmt::format("cannot apply the change to {}:{}: it has no new version",
                                    c->ecosystem, c->name));
    }
    by_key[key] = *c->after;
  }
  std::vector<Dependency> out;
  out.reserve(by_key.size());
  for (auto& [key, dep] : by_key) out.push_back(std::move(dep));
  return out;
}

std::unexpected<Error> io_error(const std::filesystem::path& path, std::string_view step) {
  return fail(ErrorKind::infrastructure, fmt::format("cannot write candidate folder '{}': {}: {}",
                                                     path.string(), step, std::strerror(errno)));
}

Result<void> write_synced(const std::filesystem::path& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return io_error(path, "open");
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      auto error = io_error(path, "write");
      ::close(fd);
      return error;
    }
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fsync(fd) != 0) {
    auto error = io_error(path, "fsync");
    ::close(fd);
    return error;
  }
  ::close(fd);
  return {};
}

void sync_folder(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Moves the finished temporary folder to `target`, replacing an older copy.
Result<void> move_into_place(const std::filesystem::path& temp,
                             const std::filesystem::path& target) {
  if (::rename(temp.c_str(), target.c_str()) == 0) return {};
  if (errno != ENOTEMPTY && errno != EEXIST) return io_error(target, "rename");
  // Swap atomically, so readers of the old folder never see it missing.
  std::error_code ec;
  if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
    std::filesystem::remove_all(temp, ec);  // now the old content
    return {};
  }
  // File systems without RENAME_EXCHANGE: remove, then rename.
  std::filesystem::remove_all(target, ec);
  if (::rename(temp.c_str(), target.c_str()) != 0) return io_error(target, "rename");
  return {};
}

// Whether `dir` holds exactly `files` with exactly their content.
bool holds_exactly(const std::filesystem::path& dir,
                   const std::map<std::string, std::string>& files) {
  std::error_code ec;
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    auto it = files.find(entry.path().filename().string());
    if (it == files.end() || !entry.is_regular_file(ec)) return false;
    auto content = read_file(entry.path(), "candidate file");
    if (!content || *content != it->second) return false;
    ++count;
  }
  return !ec && count == files.size();
}

// Builds the folder under a temporary name beside `target`, then moves it into place.
Result<void> write_folder(const std::filesystem::path& base, std::string_view id,
                          const std::filesystem::path& target,
                          const std::map<std::string, std::string>& files) {
  static std::atomic<unsigned> counter{0};
  const std::filesystem::path temp = base / fmt::format(".{}.tmp-{}-{}", id, ::getpid(), counter++);
  if (::mkdir(temp.c_str(), 0755) != 0) return io_error(temp, "mkdir");
  auto written = [&]() -> Result<void> {
    for (const auto& [name, content] : files) {
      if (auto r = write_synced(temp / name, content); !r) return r;
    }
    sync_folder(temp);
    return move_into_place(temp, target);
  }();
  std::error_code ec;
  if (!written) {
    std::filesystem::remove_all(temp, ec);
    return written;
  }
  sync_folder(base);
  return {};
}

bool is_tag_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

}  // namespace

Result<std::vector<Dependency>> apply_changes(std::span<const Dependency> baseline,
                                              std::span<const Change> changes) {
  std::vector<const Change*> pointers;
  for (const Change& c : changes) pointers.push_back(&c);
  return apply_subset(baseline, pointers);
}

Result<std::vector<Dependency>> apply_changes(std::span<const Dependency> baseline,
                                              std::span<const Change* const> changes) {
  return apply_subset(baseline, changes);
}

std::string content_id(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return {};
  }
  std::string hex;
  for (unsigned int i = 0; i < length && hex.size() < kCandidateIdLength; ++i) {
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex.substr(0, kCandidateIdLength);
}

Result<Candidate> make_candidate(std::string image, std::vector<Dependency> dependencies) {
  std::stable_sort(dependencies.begin(), dependencies.end(), by_identity<Dependency>);
  auto twice = std::adjacent_find(dependencies.begin(), dependencies.end(),
                                  [](const Dependency& a, const Dependency& b) {
                                    return a.ecosystem == b.ecosystem && a.name == b.name;
                                  });
  if (twice != dependencies.end()) {
    return fail_input(fmt::format("candidate lists {}:{} twice", twice->ecosystem, twice->name));
  }
  Snapshot snapshot;
  snapshot.image = image;
  snapshot.dependencies = dependencies;
  Candidate candidate;
  candidate.lock_json = serialize_snapshot(snapshot);
  candidate.id = content_id(candidate.lock_json);
  if (candidate.id.size() != kCandidateIdLength) {
    return fail(ErrorKind::infrastructure, "cannot hash the candidate: SHA-256 unavailable");
  }
  candidate.image = std::move(image);
  candidate.dependencies = std::move(dependencies);
  return candidate;
}

std::string image_tag(std::string_view image, std::string_view id) {
  std::string name;
  for (char c : image) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    name += is_tag_name_char(c) || c == '/' ? c : '-';
  }
  if (name.empty()) name = "image";
  return fmt::format("localhost/driftlock/{}:{}", name, id);
}

Result<CandidateFolder> materialize(const Candidate& candidate, const std::filesystem::path& parent,
                                    EcosystemTable ecosystems, const ExportOptions& options) {
  // Exports first: a dependency that cannot be exported leaves no folder behind.
  auto exports = export_all(candidate.dependencies, ecosystems, options);
  if (!exports) return std::unexpected(exports.error());

  std::error_code ec;
  std::filesystem::path base = std::filesystem::absolute(parent, ec);
  if (ec) base = parent;
  std::filesystem::create_directories(base, ec);
  if (ec) {
    return fail(ErrorKind::infrastructure,
                fmt::format("cannot write candidate folder '{}': {}", base.string(), ec.message()));
  }
  const std::filesystem::path target = base / candidate.id;
  std::map<std::string, std::string> files = exports->files;
  files["lock.json"] = candidate.lock_json;
  // An intact folder is left alone: a build of the same candidate may have it mounted.
  if (!holds_exactly(target, files)) {
    if (auto r = write_folder(base, candidate.id, target, files); !r) {
      return std::unexpected(r.error());
    }
  }

  CandidateFolder folder;
  folder.dir = target;
  folder.env = {{"DRIFTLOCK_CANDIDATE_DIR", target.string()},
                {"DRIFTLOCK_CANDIDATE_ID", candidate.id},
                {"DRIFTLOCK_IMAGE_TAG", image_tag(candidate.image, candidate.id)}};
  for (const ExportVariable& v : exports->variables) folder.env.push_back({v.name, v.value});
  std::sort(folder.env.begin(), folder.env.end(),
            [](const exec::EnvVar& a, const exec::EnvVar& b) { return a.name < b.name; });
  return folder;
}

}  // namespace driftlock::candidate
