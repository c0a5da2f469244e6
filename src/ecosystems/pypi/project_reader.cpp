#include "ecosystems/pypi/project_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <tuple>
#include <vector>

#include "core/time.hpp"
#include "ecosystems/pypi/requirement.hpp"
#include "ecosystems/pypi/text.hpp"

namespace driftlock::ecosystems::pypi {
namespace {

using nlohmann::json;

bool is_sha256_hex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

std::string lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

struct File {
  std::string filename, packagetype, sha256, uploaded_iso, uploaded, url;
  bool yanked = false;
};

std::optional<Timestamp> upload_time(const File& file) {
  std::string text = file.uploaded_iso;
  if (text.empty()) {
    text = file.uploaded;
    // The older field is UTC but carries no zone.
    if (!text.empty() && text.back() != 'Z' && text.back() != 'z') text += 'Z';
  }
  if (text.empty()) return std::nullopt;
  auto parsed = parse_timestamp(text);
  if (!parsed) return std::nullopt;
  return *parsed;
}

// Lower ranks win: sdist, then wheels, then anything else (eggs, exes).
int type_rank(const File& file) {
  if (file.packagetype == "sdist") return 0;
  if (file.packagetype == "bdist_wheel") return 1;
  return 2;
}

class Reader final : public json::json_sax_t {
 public:
  explicit Reader(std::string_view name) { m_out.name = std::string(name); }

  bool null() override { return scalar(); }
  bool boolean(bool value) override {
    if (!m_skip && !m_stack.empty() && top() == Frame::file && m_key == "yanked") {
      m_file.yanked = value;
    }
    return scalar();
  }
  bool number_integer(number_integer_t) override { return scalar(); }
  bool number_unsigned(number_unsigned_t) override { return scalar(); }
  bool number_float(number_float_t, const string_t&) override { return scalar(); }
  bool binary(binary_t&) override { return scalar(); }
  bool string(string_t& value) override {
    // A bare string as the whole document has no frame: scalar() reports it.
    if (!m_skip && !m_stack.empty()) {
      if (top() == Frame::file) {
        if (m_key == "filename")
          m_file.filename = std::move(value);
        else if (m_key == "packagetype")
          m_file.packagetype = std::move(value);
        else if (m_key == "upload_time_iso_8601")
          m_file.uploaded_iso = std::move(value);
        else if (m_key == "upload_time")
          m_file.uploaded = std::move(value);
        else if (m_key == "url")
          m_file.url = std::move(value);
      } else if (top() == Frame::digests && m_key == "sha256") {
        m_file.sha256 = std::move(value);
      } else if (top() == Frame::info && m_key == "version") {
        m_info_version = std::move(value);
      } else if (top() == Frame::requires_dist) {
        if (auto requirement = unconditional_requirement(value)) {
          m_info_requirements->push_back(std::move(*requirement));
        }
      }
    }
    return scalar();
  }

  bool key(string_t& value) override {
    if (!m_skip) m_key = std::move(value);
    return true;
  }

  bool start_object(std::size_t) override {
    if (m_skip) return ++m_skip, true;
    if (m_stack.empty()) return push(Frame::root);
    switch (top()) {
      case Frame::root:
        if (m_key == "releases") {
          m_saw_releases = true;
          return push(Frame::releases);
        }
        if (m_key == "info") return push(Frame::info);
        return skip();
      case Frame::releases:
        return problem(fmt::format("the files of version {} are not a list", quote(m_key)));
      case Frame::files:
        m_file = File{};
        return push(Frame::file);
      case Frame::file:
        return m_key == "digests" ? push(Frame::digests) : skip();
      case Frame::digests:
      case Frame::info:
      case Frame::requires_dist:
        return skip();
    }
    return skip();
  }

  bool end_object() override {
    if (m_skip) return --m_skip, true;
    const Frame closed = top();
    m_stack.pop_back();
    if (closed == Frame::file) finish_file();
    return true;
  }

  bool start_array(std::size_t) override {
    if (m_skip) return ++m_skip, true;
    if (m_stack.empty()) return problem("not a JSON object");
    switch (top()) {
      case Frame::root:
        if (m_key == "releases") return problem("'releases' is not an object");
        return skip();
      case Frame::releases:
        start_release();
        return push(Frame::files);
      case Frame::files:
        return problem(fmt::format("a file of version {} is not an object", quote(m_version)));
      case Frame::info:
        // null (the registry could not read the metadata) leaves it unknown.
        if (m_key != "requires_dist") return skip();
        m_info_requirements.emplace();
        return push(Frame::requires_dist);
      case Frame::file:
      case Frame::digests:
      case Frame::requires_dist:
        return skip();
    }
    return skip();
  }

  bool end_array() override {
    if (m_skip) return --m_skip, true;
    const Frame closed = top();
    m_stack.pop_back();
    if (closed == Frame::files) finish_release();
    return true;
  }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception&) override {
    m_malformed = true;
    m_error_byte = position;
    return false;
  }

  ProjectReading result() && {
    ProjectReading reading;
    if (m_malformed) {
      reading.malformed = true;
      reading.error_byte = m_error_byte;
      return reading;
    }
    if (!m_problem.empty()) {
      reading.problem = std::move(m_problem);
      return reading;
    }
    if (!m_saw_releases) {
      reading.problem = "no 'releases' object";
      return reading;
    }
    // Versions in a stable order (the document's key order is the registry's).
    std::sort(m_out.releases.begin(), m_out.releases.end(),
              [](const Release& a, const Release& b) { return a.version < b.version; });
    // `info` describes one release (the newest): its requirements are the
    // only ones this document gives.
    for (Release& release : m_out.releases) {
      if (release.version == m_info_version) release.requirements = m_info_requirements;
    }
    reading.releases = std::move(m_out);
    return reading;
  }

 private:
  enum class Frame { root, releases, files, file, digests, info, requires_dist };

  Frame top() const { return m_stack.back(); }
  bool push(Frame frame) {
    m_stack.push_back(frame);
    return true;
  }
  bool skip() {
    m_skip = 1;
    return true;
  }
  bool problem(std::string text) {
    m_problem = std::move(text);
    return false;
  }
  // A scalar where a structure is expected is a problem; elsewhere, noise.
  bool scalar() {
    if (m_skip) return true;
    if (m_stack.empty()) return problem("not a JSON object");
    switch (top()) {
      case Frame::root:
        if (m_key == "releases") return problem("'releases' is not an object");
        return true;
      case Frame::releases:
        return problem(fmt::format("the files of version {} are not a list", quote(m_key)));
      case Frame::files:
        return problem(fmt::format("a file of version {} is not an object", quote(m_version)));
      case Frame::file:
      case Frame::digests:
      case Frame::info:
      case Frame::requires_dist:
        return true;
    }
    return true;
  }

  void start_release() {
    m_version = m_key;
    m_release = Release{};
    m_release.version = m_version;
    m_files = 0;
    m_all_yanked = true;
    m_chosen.reset();
  }

  void finish_file() {
    ++m_files;
    if (!m_file.yanked) m_all_yanked = false;
    if (auto when = upload_time(m_file);
        when && (!m_release.published || *when < m_release.published)) {
      m_release.published = when;
    }
    if (!is_sha256_hex(m_file.sha256)) return;
    std::tuple<int, std::string> key{type_rank(m_file), m_file.filename};
    if (!m_chosen || key < m_chosen_key) {
      m_chosen = m_file;
      m_chosen_key = std::move(key);
    }
  }

  void finish_release() {
    m_release.yanked = m_files > 0 && m_all_yanked;
    if (m_chosen) {
      m_release.digest = "sha256:" + lower(m_chosen->sha256);
      if (!m_chosen->url.empty()) m_release.source_url = m_chosen->url;
    }
    m_out.releases.push_back(std::move(m_release));
  }

  std::vector<Frame> m_stack;
  std::size_t m_skip = 0;  // depth inside a value nobody needs
  std::string m_key;       // the last key of the innermost object
  std::string m_version;
  Release m_release;
  std::size_t m_files = 0;
  bool m_all_yanked = true;
  File m_file;
  std::optional<File> m_chosen;
  std::tuple<int, std::string> m_chosen_key;
  bool m_saw_releases = false;
  std::string m_info_version;
  std::optional<Requirements> m_info_requirements;
  std::string m_problem;
  bool m_malformed = false;
  std::size_t m_error_byte = 0;
  PackageReleases m_out;
};

}  // namespace

ProjectReading read_project(std::string_view name, std::string_view body) {
  Reader reader(name);
  json::sax_parse(body, &reader);
  return std::move(reader).result();
}

}  // namespace driftlock::ecosystems::pypi
