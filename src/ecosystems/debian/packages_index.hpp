// Debian's RFC-822-style control data (deb822): a streaming stanza parser,
// the `Release` file's checksum list, and the `Packages` index (plain, .gz or
// .xz). Pure apart from decompression; no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace driftlock::ecosystems::debian {

struct Field {
  std::string name;   // as written
  std::string value;  // first line trimmed; continuation lines joined with '\n'
};

// One paragraph of fields. Only the current stanza is held in memory.
struct Stanza {
  int line = 0;  // 1-based line of its first field
  std::vector<Field> fields;

  // The value of `name` (field names are case-insensitive); nullopt when absent.
  std::optional<std::string_view> get(std::string_view name) const;
};

// Feeds text in chunks of any size (lines may be split across chunks) and
// hands each complete stanza to the sink. Stanzas are separated by blank
// lines; a line starting with a space or tab continues the previous field.
// Errors carry `source:line: problem` and the kind given at construction, so
// a broken index from a registry is an infrastructure error while a broken
// sources file of the user's is an input error.
class StanzaParser {
 public:
  enum class Comments { reject, allow };  // '#' lines: .sources files allow them
  using Sink = std::function<Result<void>(Stanza&&)>;

  // `keep`: the field names to store (case-insensitive); empty keeps all.
  // Dropping Description and friends keeps memory per stanza small.
  StanzaParser(std::string source, ErrorKind kind, Sink sink, Comments comments = Comments::reject,
               std::vector<std::string> keep = {});

  Result<void> feed(std::string_view chunk);
  // Ends the input: a last line without '\n' still counts.
  Result<void> finish();

 private:
  Result<void> take_line(std::string_view line);
  Result<void> end_stanza();
  std::unexpected<Error> error_at(int line, std::string_view problem) const;
  bool wanted(std::string_view name) const;

  std::string m_source;
  ErrorKind m_kind;
  Sink m_sink;
  Comments m_comments;
  std::vector<std::string> m_keep;
  std::string m_partial;  // an unfinished line from the previous chunk
  int m_line = 0;
  Stanza m_current;
  bool m_in_stanza = false;
  bool m_last_kept = false;  // whether continuation lines belong to a stored field
  bool m_failed = false;
};

// Parses a whole text (a convenience over StanzaParser).
Result<std::vector<Stanza>> parse_stanzas(
    std::string_view text, std::string_view source, ErrorKind kind,
    StanzaParser::Comments comments = StanzaParser::Comments::reject);

// One line of a Release file's SHA256 list.
struct ReleaseFile {
  std::string sha256;  // lower-case hex
  std::uint64_t size = 0;
  std::string path;  // relative to dists/{suite}/, e.g. "main/binary-amd64/Packages.xz"
};

// The SHA256 section of a Release file; an infrastructure error naming
// `source` when it is missing or malformed.
Result<std::vector<ReleaseFile>> parse_release(std::string_view text, std::string_view source);

enum class Compression { xz, gzip, none };

// The index to download for `{component}/binary-{arch}/Packages`: .xz, else
// .gz, else plain, among those the Release lists; nullopt when none is listed.
std::optional<ReleaseFile> choose_packages_file(const std::vector<ReleaseFile>& files,
                                                std::string_view component, std::string_view arch);

Compression compression_of(std::string_view path);

// What driftlock needs from a Packages stanza.
struct PackageEntry {
  std::string package;
  std::string version;
  std::string sha256;    // empty when the stanza has none
  std::string filename;  // pool path; empty when absent
};

// Decompresses `body` chunk by chunk and parses it as a Packages index,
// calling `sink` per stanza. A stanza without Package or Version, corrupt
// compressed data or a truncated stream is an infrastructure error naming
// `source`.
Result<void> read_packages(std::string_view body, Compression compression, std::string_view source,
                           const std::function<void(PackageEntry&&)>& sink);

// Lower-case hex SHA-256 of `data` (OpenSSL EVP).
std::string sha256_hex(std::string_view data);

}  // namespace driftlock::ecosystems::debian
