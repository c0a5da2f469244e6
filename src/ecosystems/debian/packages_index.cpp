#include "ecosystems/debian/packages_index.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <utility>

#include <fmt/format.h>
#include <lzma.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "core/text.hpp"
#include "net/http_text.hpp"

namespace driftlock::ecosystems::debian {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

}  // namespace

std::optional<std::string_view> Stanza::get(std::string_view name) const {
  for (const auto& field : fields) {
    if (net::equals_ignore_case(field.name, name)) return std::string_view(field.value);
  }
  return std::nullopt;
}

StanzaParser::StanzaParser(std::string source, ErrorKind kind, Sink sink, Comments comments,
                           std::vector<std::string> keep)
    : m_source(std::move(source)),
      m_kind(kind),
      m_sink(std::move(sink)),
      m_comments(comments),
      m_keep(std::move(keep)) {}

std::unexpected<Error> StanzaParser::error_at(int line, std::string_view problem) const {
  return fail(m_kind, fmt::format("{}:{}: {}", m_source, line, problem));
}

bool StanzaParser::wanted(std::string_view name) const {
  if (m_keep.empty()) return true;
  for (const auto& keep : m_keep) {
    if (net::equals_ignore_case(keep, name)) return true;
  }
  return false;
}

Result<void> StanzaParser::feed(std::string_view chunk) {
  if (m_failed) return fail(m_kind, fmt::format("{}: parser used after an error", m_source));
  while (!chunk.empty()) {
    const std::size_t newline = chunk.find('\n');
    if (newline == std::string_view::npos) {
      m_partial.append(chunk);
      break;
    }
    Result<void> taken;
    if (m_partial.empty()) {
      taken = take_line(chunk.substr(0, newline));
    } else {
      m_partial.append(chunk.substr(0, newline));
      taken = take_line(m_partial);
      m_partial.clear();
    }
    if (!taken) {
      m_failed = true;
      return taken;
    }
    chunk.remove_prefix(newline + 1);
  }
  return {};
}

Result<void> StanzaParser::finish() {
  if (m_failed) return fail(m_kind, fmt::format("{}: parser used after an error", m_source));
  if (!m_partial.empty()) {
    const std::string last = std::exchange(m_partial, {});
    if (auto taken = take_line(last); !taken) {
      m_failed = true;
      return taken;
    }
  }
  return end_stanza();
}

Result<void> StanzaParser::take_line(std::string_view line) {
  ++m_line;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (trim_whitespace(line).empty()) return end_stanza();
  if (line.front() == '#') {
    if (m_comments == Comments::allow) return {};
    return error_at(m_line, "unexpected '#' comment");
  }
  if (is_blank(line.front())) {
    if (!m_in_stanza) return error_at(m_line, "continuation line without a field before it");
    if (m_last_kept) {
      auto& value = m_current.fields.back().value;
      value += '\n';
      value += trim_whitespace(line);
    }
    return {};
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return error_at(m_line,
                    fmt::format("expected 'Field: value', got '{}'", escape_for_message(line, 60)));
  }
  const std::string_view name = line.substr(0, colon);
  if (name.find_first_of(" \t") != std::string_view::npos) {
    return error_at(m_line, fmt::format("invalid field name '{}'", escape_for_message(name, 60)));
  }
  if (!m_in_stanza) {
    m_in_stanza = true;
    m_current.line = m_line;
  }
  m_last_kept = wanted(name);
  if (m_last_kept) {
    m_current.fields.push_back(
        Field{std::string(name), std::string(trim_whitespace(line.substr(colon + 1)))});
  }
  return {};
}

Result<void> StanzaParser::end_stanza() {
  if (!m_in_stanza) return {};
  m_in_stanza = false;
  m_last_kept = false;
  Stanza done = std::exchange(m_current, {});
  return m_sink(std::move(done));
}

Result<std::vector<Stanza>> parse_stanzas(std::string_view text, std::string_view source,
                                          ErrorKind kind, StanzaParser::Comments comments) {
  std::vector<Stanza> stanzas;
  StanzaParser parser(
      std::string(source), kind,
      [&stanzas](Stanza&& stanza) -> Result<void> {
        stanzas.push_back(std::move(stanza));
        return {};
      },
      comments);
  if (auto fed = parser.feed(text); !fed) return std::unexpected(fed.error());
  if (auto done = parser.finish(); !done) return std::unexpected(done.error());
  return stanzas;
}

Result<std::vector<ReleaseFile>> parse_release(std::string_view text, std::string_view source) {
  auto stanzas = parse_stanzas(text, source, ErrorKind::infrastructure);
  if (!stanzas) return std::unexpected(stanzas.error());
  std::optional<std::string_view> list;
  if (!stanzas->empty()) list = stanzas->front().get("SHA256");
  if (!list) {
    return fail(ErrorKind::infrastructure,
                fmt::format("{}: the Release file has no SHA256 checksums", source));
  }
  std::vector<ReleaseFile> files;
  std::string_view rest = *list;
  int entry = 0;
  while (!rest.empty()) {
    const std::size_t newline = rest.find('\n');
    const std::string_view line = trim_whitespace(rest.substr(0, newline));
    rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
    if (line.empty()) continue;
    ++entry;
    // "<hex> <size> <path>", separated by runs of blanks.
    std::array<std::string_view, 3> parts;
    std::string_view scan = line;
    bool complete = true;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      scan = trim_whitespace(scan);
      const std::size_t end = i + 1 < parts.size() ? scan.find_first_of(" \t") : scan.size();
      if (scan.empty() || end == std::string_view::npos) {
        complete = false;
        break;
      }
      parts[i] = scan.substr(0, end);
      scan.remove_prefix(end);
    }
    ReleaseFile file;
    const bool hex_ok =
        complete && parts[0].size() == 64 &&
        parts[0].find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
    const auto [ptr, ec] =
        complete ? std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), file.size)
                 : std::from_chars_result{nullptr, std::errc::invalid_argument};
    if (!hex_ok || ec != std::errc{} || ptr != parts[1].data() + parts[1].size()) {
      return fail(ErrorKind::infrastructure,
                  fmt::format("{}: malformed SHA256 entry {} in the Release file: '{}'", source,
                              entry, escape_for_message(line, 60)));
    }
    file.sha256 = net::lower_ascii(parts[0]);
    file.path = std::string(parts[2]);
    files.push_back(std::move(file));
  }
  return files;
}

std::optional<ReleaseFile> choose_packages_file(const std::vector<ReleaseFile>& files,
                                                std::string_view component, std::string_view arch) {
  const std::string base = fmt::format("{}/binary-{}/Packages", component, arch);
  for (const std::string_view suffix : {".xz", ".gz", ""}) {
    const std::string wanted = base + std::string(suffix);
    for (const auto& file : files) {
      if (file.path == wanted) return file;
    }
  }
  return std::nullopt;
}

Compression compression_of(std::string_view path) {
  if (path.ends_with(".xz")) return Compression::xz;
  if (path.ends_with(".gz")) return Compression::gzip;
  return Compression::none;
}

namespace {

constexpr std::size_t kChunk = std::size_t{64} << 10;
using Feed = std::function<Result<void>(std::string_view)>;

std::unexpected<Error> corrupt(std::string_view source, std::string_view what) {
  return fail(ErrorKind::infrastructure, fmt::format("{}: {}", source, what));
}

Result<void> inflate_xz(std::string_view body, std::string_view source, const Feed& feed) {
  lzma_stream stream = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&stream, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
    return corrupt(source, "cannot start the xz decoder");
  }
  struct Guard {
    lzma_stream* s;
    ~Guard() { lzma_end(s); }
  } guard{&stream};
  stream.next_in = reinterpret_cast<const std::uint8_t*>(body.data());
  stream.avail_in = body.size();
  std::array<std::uint8_t, kChunk> out;
  for (;;) {
    stream.next_out = out.data();
    stream.avail_out = out.size();
    const lzma_ret ret = lzma_code(&stream, LZMA_FINISH);
    const std::size_t produced = out.size() - stream.avail_out;
    if (produced > 0) {
      auto fed = feed(std::string_view(reinterpret_cast<const char*>(out.data()), produced));
      if (!fed) return fed;
    }
    if (ret == LZMA_STREAM_END) return {};
    if (ret == LZMA_BUF_ERROR) return corrupt(source, "truncated xz data");
    if (ret != LZMA_OK)
      return corrupt(source,
                     fmt::format("corrupt xz data (liblzma error {})", static_cast<int>(ret)));
  }
}

Result<void> inflate_gzip(std::string_view body, std::string_view source, const Feed& feed) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 32) != Z_OK) return corrupt(source, "cannot start zlib");
  struct Guard {
    z_stream* s;
    ~Guard() { inflateEnd(s); }
  } guard{&stream};
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  stream.avail_in = static_cast<uInt>(body.size());
  std::array<Bytef, kChunk> out;
  for (;;) {
    stream.next_out = out.data();
    stream.avail_out = static_cast<uInt>(out.size());
    const int ret = inflate(&stream, Z_NO_FLUSH);
    const std::size_t produced = out.size() - stream.avail_out;
    if (produced > 0) {
      auto fed = feed(std::string_view(reinterpret_cast<const char*>(out.data()), produced));
      if (!fed) return fed;
    }
    if (ret == Z_STREAM_END) {
      if (stream.avail_in == 0) return {};
      // gzip allows several members back to back.
      if (inflateReset(&stream) != Z_OK) return corrupt(source, "corrupt gzip data");
      continue;
    }
    if (ret == Z_BUF_ERROR && stream.avail_in == 0) return corrupt(source, "truncated gzip data");
    if (ret != Z_OK) return corrupt(source, "corrupt gzip data");
  }
}

}  // namespace

Result<void> read_packages(std::string_view body, Compression compression, std::string_view source,
                           const std::function<void(PackageEntry&&)>& sink) {
  const std::string where(source);
  StanzaParser parser(where, ErrorKind::infrastructure,
                      [&where, &sink](Stanza&& stanza) -> Result<void> {
                        const auto package = stanza.get("Package");
                        if (!package || package->empty()) {
                          return fail(
                              ErrorKind::infrastructure,
                              fmt::format("{}:{}: a stanza without Package", where, stanza.line));
                        }
                        const auto version = stanza.get("Version");
                        if (!version || version->empty()) {
                          return fail(ErrorKind::infrastructure,
                                      fmt::format("{}:{}: package '{}' has no Version", where,
                                                  stanza.line, escape_for_message(*package, 60)));
                        }
                        PackageEntry entry{std::string(*package), std::string(*version),
                                           std::string(stanza.get("SHA256").value_or("")),
                                           std::string(stanza.get("Filename").value_or(""))};
                        sink(std::move(entry));
                        return {};
                      },
                      StanzaParser::Comments::reject, {"Package", "Version", "SHA256", "Filename"});
  const Feed feed = [&parser](std::string_view chunk) { return parser.feed(chunk); };
  Result<void> fed;
  switch (compression) {
    case Compression::xz:
      fed = inflate_xz(body, source, feed);
      break;
    case Compression::gzip:
      fed = inflate_gzip(body, source, feed);
      break;
    case Compression::none:
      for (std::size_t at = 0; at < body.size() && fed; at += kChunk) {
        fed = feed(body.substr(at, kChunk));
      }
      break;
  }
  if (!fed) return fed;
  return parser.finish();
}

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace driftlock::ecosystems::debian
