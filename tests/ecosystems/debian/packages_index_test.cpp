#include "ecosystems/debian/packages_index.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ecosystems/debian/compress_support.hpp"

using namespace driftlock;
using namespace driftlock::ecosystems::debian;
using driftlock::testing::debian::gz_compress;
using driftlock::testing::debian::xz_compress;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(DRIFTLOCK_TEST_DATA) + "/registry/debian/" + name, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<PackageEntry> read_all(std::string_view body, Compression compression) {
  std::vector<PackageEntry> entries;
  auto read = read_packages(body, compression, "Packages",
                            [&](PackageEntry&& entry) { entries.push_back(std::move(entry)); });
  REQUIRE(read);
  return entries;
}

std::string read_error(std::string_view body, Compression compression) {
  auto read = read_packages(body, compression, "Packages", [](PackageEntry&&) {});
  REQUIRE_FALSE(read);
  CHECK(read.error().kind == ErrorKind::infrastructure);
  return read.error().message;
}

}  // namespace

TEST_CASE("debian packages index: stanzas, continuation lines, CRLF", "[debian][packages]") {
  const std::string text =
      "Package: a\r\nVersion: 1\r\nDescription: short\r\n long line one\r\n .\r\n two\r\n"
      "\r\n\r\n\n"
      "Package:b\nVersion:   2  \n";
  auto stanzas = parse_stanzas(text, "t", ErrorKind::input);
  REQUIRE(stanzas);
  REQUIRE(stanzas->size() == 2);
  CHECK((*stanzas)[0].line == 1);
  CHECK((*stanzas)[0].get("package") == "a");
  CHECK((*stanzas)[0].get("Description") == "short\nlong line one\n.\ntwo");
  CHECK((*stanzas)[1].line == 10);
  CHECK((*stanzas)[1].get("Version") == "2");
  CHECK_FALSE((*stanzas)[1].get("Description"));
}

TEST_CASE("debian packages index: chunk boundaries do not matter", "[debian][packages]") {
  const std::string text = fixture("Packages");
  auto whole = parse_stanzas(text, "t", ErrorKind::input);
  REQUIRE(whole);
  REQUIRE(whole->size() == 4);
  for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{333}}) {
    std::vector<Stanza> got;
    StanzaParser parser("t", ErrorKind::input, [&](Stanza&& stanza) -> Result<void> {
      got.push_back(std::move(stanza));
      return {};
    });
    for (std::size_t at = 0; at < text.size(); at += chunk) {
      REQUIRE(parser.feed(std::string_view(text).substr(at, chunk)));
    }
    REQUIRE(parser.finish());
    REQUIRE(got.size() == whole->size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].line == (*whole)[i].line);
      CHECK(got[i].fields.size() == (*whole)[i].fields.size());
      CHECK(got[i].get("Description") == (*whole)[i].get("Description"));
    }
  }
}

TEST_CASE("debian packages index: kept fields only", "[debian][packages]") {
  std::vector<Stanza> got;
  StanzaParser parser("t", ErrorKind::input,
                      [&](Stanza&& stanza) -> Result<void> {
                        got.push_back(std::move(stanza));
                        return {};
                      },
                      StanzaParser::Comments::reject, {"version"});
  REQUIRE(parser.feed("Package: a\nDescription: x\n more\nVersion: 1\n"));
  REQUIRE(parser.finish());
  REQUIRE(got.size() == 1);
  REQUIRE(got[0].fields.size() == 1);
  CHECK(got[0].fields[0].name == "Version");
}

TEST_CASE("debian packages index: comments", "[debian][packages]") {
  auto allowed = parse_stanzas("# c\nTypes: deb\n# inside\nURIs: x\n", "s", ErrorKind::input,
                               StanzaParser::Comments::allow);
  REQUIRE(allowed);
  REQUIRE(allowed->size() == 1);
  CHECK(allowed->front().fields.size() == 2);
  auto rejected = parse_stanzas("Package: a\n# c\n", "s", ErrorKind::input);
  REQUIRE_FALSE(rejected);
  CHECK(rejected.error().message == "s:2: unexpected '#' comment");
}

TEST_CASE("debian packages index: malformed stanzas", "[debian][packages]") {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {" leading\n", "t:1: continuation line without a field before it"},
      {"Package: a\n\n continued\n", "t:3: continuation line without a field before it"},
      {"Package: a\nno colon here\n", "t:2: expected 'Field: value', got 'no colon here'"},
      {"Bad Name: x\n", "t:1: invalid field name 'Bad Name'"},
      // Truncated mid-field: the last line has no ':' yet.
      {"Package: a\nVers", "t:2: expected 'Field: value', got 'Vers'"},
  };
  for (const auto& c : cases) {
    auto parsed = parse_stanzas(c.text, "t", ErrorKind::infrastructure);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().kind == ErrorKind::infrastructure);
    CHECK(parsed.error().message == c.message);
  }
}

TEST_CASE("debian packages index: the sink's error stops the parser", "[debian][packages]") {
  StanzaParser parser("t", ErrorKind::input,
                      [](Stanza&&) -> Result<void> { return fail_input("stop"); });
  auto fed = parser.feed("A: 1\n\nB: 2\n\n");
  REQUIRE_FALSE(fed);
  CHECK(fed.error().message == "stop");
  auto again = parser.feed("C: 3\n");
  REQUIRE_FALSE(again);
  CHECK(again.error().message == "t: parser used after an error");
}

TEST_CASE("debian packages index: read_packages in every compression", "[debian][packages]") {
  const std::string plain = fixture("Packages");
  for (auto [body, compression] :
       std::vector<std::pair<std::string, Compression>>{{plain, Compression::none},
                                                        {xz_compress(plain), Compression::xz},
                                                        {gz_compress(plain), Compression::gzip}}) {
    const auto entries = read_all(body, compression);
    REQUIRE(entries.size() == 4);
    CHECK(entries[0].package == "libexample1");
    CHECK(entries[0].version == "1.2.3-1");
    CHECK(entries[0].filename == "pool/main/e/example/libexample1_1.2.3-1_amd64.deb");
    CHECK(entries[0].sha256 == "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae");
    // Several versions of one package are separate entries.
    CHECK(entries[1].package == "libexample-dev");
    CHECK(entries[2].package == "libexample-dev");
    CHECK(entries[2].version == "1.2.4-1~deb12u1");
    CHECK(entries[3].version == "2024a-0+deb12u1");
  }
}

TEST_CASE("debian packages index: broken indexes", "[debian][packages]") {
  const std::string plain = fixture("Packages");
  const std::string xz = xz_compress(plain);
  const std::string gz = gz_compress(plain);
  CHECK(read_error(xz.substr(0, xz.size() / 2), Compression::xz) == "Packages: truncated xz data");
  CHECK(read_error(gz.substr(0, gz.size() / 2), Compression::gzip) ==
        "Packages: truncated gzip data");
  CHECK(read_error("not xz at all", Compression::xz) ==
        "Packages: corrupt xz data (liblzma error 7)");
  CHECK(read_error("not gzip at all", Compression::gzip) == "Packages: corrupt gzip data");
  CHECK(read_error("Package: a\n", Compression::none) == "Packages:1: package 'a' has no Version");
  CHECK(read_error("Version: 1\n", Compression::none) == "Packages:1: a stanza without Package");
  // An index cut off in the middle of a stanza.
  CHECK(read_error("Package: a\nVersion: 1\n\nPackage: b\nVer", Compression::none) ==
        "Packages:5: expected 'Field: value', got 'Ver'");
}

TEST_CASE("debian packages index: Release SHA256 list", "[debian][release]") {
  const std::string release =
      "Origin: Example\nSuite: stable\nCodename: bookworm\nArchitectures: amd64 arm64\n"
      "Components: main contrib\n"
      "MD5Sum:\n 0123456789abcdef0123456789abcdef 10 main/binary-amd64/Packages\n"
      "SHA256:\n"
      " " +
      std::string(64, 'a') +
      "   1234 main/binary-amd64/Packages\n"
      " " +
      std::string(64, 'B') +
      " 99 main/binary-amd64/Packages.xz\n"
      " " +
      std::string(64, 'c') +
      " 120 main/binary-amd64/Packages.gz\n"
      " " +
      std::string(64, 'd') +
      " 7 contrib/binary-amd64/Packages.gz\n"
      " " +
      std::string(64, 'e') + " 8 contrib/binary-arm64/Packages\n";
  auto files = parse_release(release, "R");
  REQUIRE(files);
  REQUIRE(files->size() == 5);
  CHECK((*files)[0].size == 1234);
  CHECK((*files)[1].sha256 == std::string(64, 'b'));
  CHECK((*files)[1].path == "main/binary-amd64/Packages.xz");

  struct Case {
    std::string component, arch, path;
  };
  for (const auto& c : std::vector<Case>{{"main", "amd64", "main/binary-amd64/Packages.xz"},
                                         {"contrib", "amd64", "contrib/binary-amd64/Packages.gz"},
                                         {"contrib", "arm64", "contrib/binary-arm64/Packages"},
                                         {"non-free", "amd64", ""}}) {
    auto chosen = choose_packages_file(*files, c.component, c.arch);
    if (c.path.empty()) {
      CHECK_FALSE(chosen);
    } else {
      REQUIRE(chosen);
      CHECK(chosen->path == c.path);
    }
  }
  CHECK(compression_of("a/Packages.xz") == Compression::xz);
  CHECK(compression_of("a/Packages.gz") == Compression::gzip);
  CHECK(compression_of("a/Packages") == Compression::none);
}

TEST_CASE("debian packages index: malformed Release files", "[debian][release]") {
  struct Case {
    std::string text, message;
  };
  const std::vector<Case> cases = {
      {"Origin: x\nMD5Sum:\n 00 1 a\n", "R: the Release file has no SHA256 checksums"},
      {"", "R: the Release file has no SHA256 checksums"},
      {"SHA256:\n abc 1 main/binary-amd64/Packages\n",
       "R: malformed SHA256 entry 1 in the Release file: 'abc 1 main/binary-amd64/Packages'"},
      {"SHA256:\n " + std::string(64, 'a') + " x1 p\n",
       "R: malformed SHA256 entry 1 in the Release file: '" + std::string(60, 'a') + "...'"},
      {"SHA256:\n " + std::string(64, 'a') + " 1\n",
       "R: malformed SHA256 entry 1 in the Release file: '" + std::string(60, 'a') + "...'"},
  };
  for (const auto& c : cases) {
    auto files = parse_release(c.text, "R");
    REQUIRE_FALSE(files);
    CHECK(files.error().kind == ErrorKind::infrastructure);
    CHECK(files.error().message == c.message);
  }
}

TEST_CASE("debian packages index: sha256_hex", "[debian][release]") {
  // FIPS 180-2 test vectors.
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
