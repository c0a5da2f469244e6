// fixture_server: a loopback npm + PyPI registry of generated, deterministic
// package documents, for benchmarking `driftlock resolve` without a network.
//
//   fixture_server PORT [--npm N] [--pypi N] [--threads T] [--scoped-every K]
//                       [--seed S] [--no-gzip]
//
// PORT 0 picks a free port. The first line on stdout is always `PORT=<n>`.
// Routes (all on 127.0.0.1):
//   GET /{name}, /@bench%2fs-NNNN   npm package document; abbreviated when the
//                                   Accept header starts with
//                                   application/vnd.npm.install-v1+json
//   GET /pypi/{name}/json           PyPI JSON API document
//   GET /__stats                    counters as JSON
//   GET|POST /__reset               zeroes the counters (cpp-httplib answers a
//                                   POST without a body with 400: use GET or
//                                   `curl -X POST -d ''`)
//   GET /__names                    {"npm":[...],"pypi":[...]}
//   GET|POST /__bump?npm=K&pypi=K   publishes one more patch release of the
//                                   first K packages of each ecosystem, so a
//                                   warm run sees K changed documents
// Requests to /__* are not counted.
//
// Build (from the repository root):
//   g++ -std=c++23 -O2 tools/bench/fixture_server.cpp -o fixture_server
//       $(pkg-config --cflags --libs cpp-httplib) -lz -lpthread     (one line)

#include <httplib.h>
#include <sys/socket.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

using ojson = nlohmann::ordered_json;

// ---------------------------------------------------------------- helpers

// splitmix64: tiny, seedable, and the same on every platform, so a given
// seed always yields byte-identical documents (and ETags) across runs.
struct Rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  bool chance(int one_in) { return below(one_in) == 0; }
};

std::uint64_t fnv1a(std::string_view text, std::uint64_t seed) {
  std::uint64_t h = 0xcbf29ce484222325ULL ^ seed;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string hex_bytes(Rng& rng, std::size_t bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (std::size_t i = 0; i < bytes; ++i) {
    const auto b = static_cast<unsigned>(rng.next() & 0xff);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::string base64_bytes(Rng& rng, std::size_t bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string raw(bytes, '\0');
  for (char& c : raw) c = static_cast<char>(rng.next() & 0xff);
  std::string out;
  for (std::size_t i = 0; i < raw.size(); i += 3) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(raw[i])) << 16;
    if (i + 1 < raw.size()) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(raw[i + 1])) << 8;
    if (i + 2 < raw.size()) n |= static_cast<unsigned char>(raw[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < raw.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < raw.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

std::string rfc3339(std::time_t t, int millis) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

std::string http_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::optional<std::time_t> parse_http_date(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr) return std::nullopt;
  return timegm(&tm);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// PEP 503 normalisation, so /pypi/Bench_Py.0001/json finds bench-py-0001.
std::string pep503(std::string_view name) {
  std::string out;
  bool in_run = false;
  for (char c : lower(name)) {
    if (c == '-' || c == '_' || c == '.') {
      if (!in_run) out += '-';
      in_run = true;
    } else {
      out += c;
      in_run = false;
    }
  }
  return out;
}

std::string gzip(std::string_view data) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip wrapper rather than a raw zlib stream.
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

// True when Accept-Encoding lists gzip without q=0.
bool accepts_gzip(const std::string& header) {
  std::size_t pos = 0;
  while (pos <= header.size()) {
    std::size_t comma = header.find(',', pos);
    if (comma == std::string::npos) comma = header.size();
    std::string item = lower(header.substr(pos, comma - pos));
    pos = comma + 1;
    const auto first = item.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    item.erase(0, first);
    if (!(item.starts_with("gzip") || item.starts_with("x-gzip"))) continue;
    const auto q = item.find("q=");
    if (q == std::string::npos) return true;
    return std::strtod(item.c_str() + q + 2, nullptr) > 0.0;
  }
  return false;
}

// ------------------------------------------------------------- documents

// One representation of a document: the identity body and, unless gzip is
// off, its gzip encoding, each with its own strong ETag (RFC 9110: a strong
// validator differs between content codings).
struct Representation {
  std::string body;
  std::string gz;
  std::string etag;
  std::string etag_gz;
  std::string content_type;
};

struct Document {
  Representation full;
  Representation abbreviated;  // npm only
  std::time_t modified = 0;
  std::string last_modified;  // HTTP-date of `modified`
};

Representation represent(std::string body, std::string content_type, bool with_gzip) {
  Representation r;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%016llx",
                static_cast<unsigned long long>(fnv1a(body, 0)),
                static_cast<unsigned long long>(fnv1a(body, 0x5bd1e995)));
  r.etag = std::string("\"") + buf + "\"";
  r.etag_gz = std::string("\"") + buf + "-gz\"";
  if (with_gzip) r.gz = gzip(body);
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

struct Ver {
  int major = 0;
  int minor = 0;
  int patch = 0;
  int pre_kind = 0;  // 0 release, 1 alpha, 2 beta, 3 rc
  std::time_t published = 0;
  int millis = 0;
};

std::string npm_version(const Ver& v) {
  static constexpr const char* kPre[] = {"", "alpha", "beta", "rc"};
  std::string s = std::to_string(v.major) + "." + std::to_string(v.minor) + "." +
                  std::to_string(v.patch);
  if (v.pre_kind != 0) s += std::string("-") + kPre[v.pre_kind] + ".1";
  return s;
}

std::string pep440_version(const Ver& v) {
  static constexpr const char* kPre[] = {"", "a", "b", "rc"};
  std::string s = std::to_string(v.major) + "." + std::to_string(v.minor) + "." +
                  std::to_string(v.patch);
  if (v.pre_kind != 0) s += std::string(kPre[v.pre_kind]) + "1";
  return s;
}

// The release history of one package: 20-80 releases in publish order over
// 4-6 majors (always covering 1.x to 4.x, so ranges such as ^2, ~=3.0 and
// >=1,<4 resolve everywhere), some majors preceded by pre-releases, and in
// a fifth of the packages a trailing pre-release of the next major, so that
// `prereleases = false` matters. `bumps` extra patch releases follow the
// newest release (see /__bump).
std::vector<Ver> history(Rng& rng, int bumps) {
  const int total = 20 + rng.below(61);
  const int first_major = rng.chance(4) ? 0 : 1;
  const int majors = std::max(4 + rng.below(3), 5 - first_major);

  std::vector<int> pre_before(static_cast<std::size_t>(majors), 0);
  int pres = 0;
  for (int m = 1; m < majors; ++m) {
    if (rng.chance(3)) {
      pre_before[static_cast<std::size_t>(m)] = 1 + rng.below(2);
      pres += pre_before[static_cast<std::size_t>(m)];
    }
  }
  const bool trailing_pre = rng.chance(5);
  if (trailing_pre) ++pres;

  std::vector<int> per_major(static_cast<std::size_t>(majors), 3);
  for (int left = total - pres - 3 * majors; left > 0; --left) {
    ++per_major[static_cast<std::size_t>(rng.below(majors))];
  }

  std::vector<Ver> out;
  std::time_t when = 1451606400 + static_cast<std::time_t>(rng.below(730)) * 86400;  // 2016-17
  auto stamp = [&](Ver v) {
    when += (1 + rng.below(20)) * 86400 + rng.below(86400);
    v.published = when;
    v.millis = rng.below(1000);
    out.push_back(v);
  };
  for (int i = 0; i < majors; ++i) {
    const int major = first_major + i;
    static constexpr int kKinds[][2] = {{0, 0}, {3, 0}, {2, 3}};
    const int n_pre = pre_before[static_cast<std::size_t>(i)];
    for (int p = 0; p < n_pre; ++p) stamp(Ver{major, 0, 0, kKinds[n_pre][p], 0, 0});
    Ver v{major, 0, 0, 0, 0, 0};
    for (int k = 0; k < per_major[static_cast<std::size_t>(i)]; ++k) {
      if (k > 0) {
        if (rng.below(4) == 0) {
          ++v.minor;
          v.patch = 0;
        } else {
          ++v.patch;
        }
      }
      stamp(v);
    }
  }
  Ver last = out.back();
  for (int b = 0; b < bumps; ++b) {
    ++last.patch;
    when += 86400;
    last.published = when;
    out.push_back(last);
  }
  if (trailing_pre) stamp(Ver{first_major + majors, 0, 0, 2, 0, 0});
  // Bumps are published "later": keep publish order equal to list order.
  std::stable_sort(out.begin(), out.end(),
                   [](const Ver& a, const Ver& b) { return a.published < b.published; });
  return out;
}

std::size_t newest_release(const std::vector<Ver>& vers) {
  std::size_t best = 0;
  for (std::size_t i = 0; i < vers.size(); ++i) {
    if (vers[i].pre_kind == 0) best = i;  // publish order is version order here
  }
  return best;
}

struct Options {
  int port = 0;
  int npm = 1000;
  int pypi = 1000;
  int threads = 64;
  int scoped_every = 10;
  std::uint64_t seed = 1;
  bool gzip = true;
};

std::string npm_name(const Options& o, int i) {
  char buf[32];
  if (o.scoped_every > 0 && i % o.scoped_every == o.scoped_every - 1) {
    std::snprintf(buf, sizeof buf, "@bench/s-%04d", i);
  } else {
    std::snprintf(buf, sizeof buf, "bench-npm-%04d", i);
  }
  return buf;
}

std::string pypi_name(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "bench-py-%04d", i);
  return buf;
}

Rng package_rng(const Options& o, std::string_view ecosystem, int i) {
  return Rng{fnv1a(ecosystem, o.seed) ^ (static_cast<std::uint64_t>(i) * 0x9e3779b97f4a7c15ULL)};
}

std::shared_ptr<const Document> make_npm(const Options& o, int i, int bumps) {
  Rng rng = package_rng(o, "npm", i);
  const std::string name = npm_name(o, i);
  const std::vector<Ver> vers = history(rng, bumps);
  const std::size_t latest = newest_release(vers);

  // A few packages deprecate one older release.
  // Chosen among the releases before the bumps, so /__bump only adds one.
  const std::size_t older = latest - static_cast<std::size_t>(bumps);
  std::optional<std::size_t> deprecated;
  if (rng.chance(8) && older > 2) deprecated = static_cast<std::size_t>(rng.below(static_cast<int>(older)));

  ojson deps = ojson::object();
  for (int d = rng.below(4); d > 0; --d) {
    deps[npm_name(o, rng.below(std::max(o.npm, 1)))] = "^" + std::to_string(1 + rng.below(3)) + ".0.0";
  }
  const std::string base = name.starts_with('@') ? name.substr(name.find('/') + 1) : name;

  ojson tags = ojson::object();
  tags["latest"] = npm_version(vers[latest]);
  if (vers.back().pre_kind != 0) tags["next"] = npm_version(vers.back());

  ojson full_versions = ojson::object();
  ojson abbr_versions = ojson::object();
  ojson times = ojson::object();
  times["created"] = rfc3339(vers.front().published, vers.front().millis);
  times["modified"] = rfc3339(vers.back().published, vers.back().millis);
  for (std::size_t k = 0; k < vers.size(); ++k) {
    const std::string v = npm_version(vers[k]);
    ojson dist = ojson::object();
    dist["integrity"] = "sha512-" + base64_bytes(rng, 64);
    dist["shasum"] = hex_bytes(rng, 20);
    dist["tarball"] = "http://registry.example/" + name + "/-/" + base + "-" + v + ".tgz";
    dist["fileCount"] = 4 + rng.below(60);
    dist["unpackedSize"] = 2000 + rng.below(400000);

    ojson abbr = ojson::object();
    abbr["name"] = name;
    abbr["version"] = v;
    if (!deps.empty()) abbr["dependencies"] = deps;
    abbr["dist"] = dist;
    abbr["engines"] = {{"node", ">=" + std::to_string(10 + 2 * static_cast<int>(vers[k].major))}};
    if (deprecated == k) abbr["deprecated"] = "critical bug in this release, please upgrade";
    abbr_versions[v] = std::move(abbr);

    ojson full = ojson::object();
    full["name"] = name;
    full["version"] = v;
    full["description"] = "Generated benchmark package " + name;
    full["main"] = "index.js";
    full["scripts"] = {{"test", "node test.js"}};
    full["license"] = "MIT";
    if (!deps.empty()) full["dependencies"] = deps;
    full["engines"] = {{"node", ">=" + std::to_string(10 + 2 * static_cast<int>(vers[k].major))}};
    full["_id"] = name + "@" + v;
    full["_nodeVersion"] = "20.11.0";
    full["_npmVersion"] = "10.2.4";
    full["dist"] = std::move(dist);
    full["_npmUser"] = {{"name", "bench"}, {"email", "bench@registry.example"}};
    if (deprecated == k) full["deprecated"] = "critical bug in this release, please upgrade";
    full_versions[v] = std::move(full);

    times[v] = rfc3339(vers[k].published, vers[k].millis);
  }

  ojson full = ojson::object();
  full["_id"] = name;
  full["_rev"] = std::to_string(vers.size()) + "-" + hex_bytes(rng, 16);
  full["name"] = name;
  full["description"] = "Generated benchmark package " + name;
  full["dist-tags"] = tags;
  full["versions"] = std::move(full_versions);
  full["time"] = std::move(times);
  full["maintainers"] = ojson::array({{{"name", "bench"}, {"email", "bench@registry.example"}}});
  full["license"] = "MIT";
  full["readme"] = "# " + name + "\n\nA generated package for driftlock's resolve benchmark.\n";
  full["readmeFilename"] = "README.md";

  ojson abbr = ojson::object();
  abbr["name"] = name;
  abbr["dist-tags"] = std::move(tags);
  abbr["versions"] = std::move(abbr_versions);
  abbr["modified"] = rfc3339(vers.back().published, vers.back().millis);

  auto doc = std::make_shared<Document>();
  doc->full = represent(full.dump(), "application/json; charset=utf-8", o.gzip);
  doc->abbreviated = represent(abbr.dump(), "application/vnd.npm.install-v1+json", o.gzip);
  doc->modified = vers.back().published;
  doc->last_modified = http_date(doc->modified);
  return doc;
}

std::shared_ptr<const Document> make_pypi(const Options& o, int i, int bumps) {
  Rng rng = package_rng(o, "pypi", i);
  const std::string name = pypi_name(i);
  std::string stem = name;
  std::replace(stem.begin(), stem.end(), '-', '_');
  const std::vector<Ver> vers = history(rng, bumps);
  const std::size_t latest = newest_release(vers);

  const std::size_t older = latest - static_cast<std::size_t>(bumps);
  std::optional<std::size_t> yanked;
  if (rng.chance(8) && older > 2) yanked = static_cast<std::size_t>(rng.below(static_cast<int>(older)));

  auto file = [&](const std::string& v, const Ver& ver, bool wheel, bool is_yanked) {
    const std::string filename = wheel ? stem + "-" + v + "-py3-none-any.whl" : stem + "-" + v + ".tar.gz";
    const std::string sha256 = hex_bytes(rng, 32);
    const std::string md5 = hex_bytes(rng, 16);
    const std::string blake = hex_bytes(rng, 32);
    const std::time_t t = ver.published + (wheel ? 40 : 0);
    const std::string iso = rfc3339(t, ver.millis);
    ojson f = ojson::object();
    f["comment_text"] = "";
    f["digests"] = {{"blake2b_256", blake}, {"md5", md5}, {"sha256", sha256}};
    f["downloads"] = -1;
    f["filename"] = filename;
    f["has_sig"] = false;
    f["md5_digest"] = md5;
    f["packagetype"] = wheel ? "bdist_wheel" : "sdist";
    f["python_version"] = wheel ? "py3" : "source";
    f["requires_python"] = ">=3.8";
    f["size"] = 3000 + rng.below(500000);
    f["upload_time"] = iso.substr(0, 19);
    f["upload_time_iso_8601"] = iso.substr(0, 19) + "." + iso.substr(20, 3) + "000Z";
    f["url"] = "http://registry.example/packages/" + blake.substr(0, 2) + "/" + blake.substr(2, 2) +
               "/" + blake.substr(4) + "/" + filename;
    f["yanked"] = is_yanked;
    f["yanked_reason"] = is_yanked ? ojson("broken metadata") : ojson(nullptr);
    return f;
  };

  ojson releases = ojson::object();
  ojson urls = ojson::array();
  for (std::size_t k = 0; k < vers.size(); ++k) {
    const std::string v = pep440_version(vers[k]);
    const bool has_wheel = !rng.chance(4);
    ojson files = ojson::array();
    files.push_back(file(v, vers[k], false, yanked == k));
    if (has_wheel) files.push_back(file(v, vers[k], true, yanked == k));
    if (k == latest) urls = files;
    releases[v] = std::move(files);
  }

  ojson info = ojson::object();
  info["author"] = "bench";
  info["author_email"] = "bench@registry.example";
  info["classifiers"] = ojson::array({"Programming Language :: Python :: 3"});
  info["home_page"] = "http://registry.example/" + name;
  info["license"] = "MIT";
  info["name"] = name;
  info["package_url"] = "http://registry.example/project/" + name + "/";
  info["project_url"] = "http://registry.example/project/" + name + "/";
  info["release_url"] = "http://registry.example/project/" + name + "/" + pep440_version(vers[latest]) + "/";
  info["requires_python"] = ">=3.8";
  info["summary"] = "Generated benchmark package " + name;
  info["version"] = pep440_version(vers[latest]);
  info["yanked"] = false;
  info["yanked_reason"] = nullptr;

  ojson doc_json = ojson::object();
  doc_json["info"] = std::move(info);
  doc_json["last_serial"] = 1000000 + i * 100 + static_cast<int>(vers.size());
  doc_json["releases"] = std::move(releases);
  doc_json["urls"] = std::move(urls);
  doc_json["vulnerabilities"] = ojson::array();

  auto doc = std::make_shared<Document>();
  doc->full = represent(doc_json.dump(), "application/json; charset=utf-8", o.gzip);
  doc->modified = vers.back().published;
  doc->last_modified = http_date(doc->modified);
  return doc;
}

// ------------------------------------------------------------------ server

struct Stats {
  std::atomic<std::uint64_t> requests{0}, ok{0}, not_modified{0}, not_found{0}, other{0};
  std::atomic<std::uint64_t> body_bytes{0}, gzip_responses{0};
  std::atomic<std::uint64_t> npm_full{0}, npm_abbreviated{0}, pypi{0};

  void reset() {
    for (auto* c : {&requests, &ok, &not_modified, &not_found, &other, &body_bytes,
                    &gzip_responses, &npm_full, &npm_abbreviated, &pypi}) {
      c->store(0);
    }
  }
  std::string json() const {
    ojson j = ojson::object();
    j["requests"] = requests.load();
    j["status_200"] = ok.load();
    j["status_304"] = not_modified.load();
    j["status_404"] = not_found.load();
    j["status_other"] = other.load();
    j["body_bytes"] = body_bytes.load();
    j["gzip_responses"] = gzip_responses.load();
    j["npm_full"] = npm_full.load();
    j["npm_abbreviated"] = npm_abbreviated.load();
    j["pypi"] = pypi.load();
    return j.dump();
  }
};

struct Registry {
  Options options;
  mutable std::shared_mutex mutex;  // guards the maps against /__bump
  std::unordered_map<std::string, std::shared_ptr<const Document>> npm;
  std::unordered_map<std::string, std::shared_ptr<const Document>> pypi;
  std::vector<int> npm_bumps, pypi_bumps;
  std::vector<std::string> npm_names, pypi_names;
  Stats stats;

  std::shared_ptr<const Document> find(bool is_npm, const std::string& key) const {
    std::shared_lock lock(mutex);
    const auto& map = is_npm ? npm : pypi;
    auto it = map.find(key);
    return it == map.end() ? nullptr : it->second;
  }
};

bool etag_matches(const std::string& header, const Representation& r) {
  if (header.find('*') != std::string::npos) return true;
  // If-None-Match uses the weak comparison: W/ prefixes are ignored.
  std::size_t pos = 0;
  while ((pos = header.find('"', pos)) != std::string::npos) {
    const std::size_t end = header.find('"', pos + 1);
    if (end == std::string::npos) break;
    const std::string tag = header.substr(pos, end - pos + 1);
    if (tag == r.etag || tag == r.etag_gz) return true;
    pos = end + 1;
  }
  return false;
}

void not_found(httplib::Response& res) {
  res.status = 404;
  res.set_content(R"({"error":"not found"})", "application/json; charset=utf-8");
}

void serve(const Document& doc, const Representation& r, const httplib::Request& req,
           httplib::Response& res, bool gzip_on, bool vary_accept) {
  const bool use_gz = gzip_on && !r.gz.empty() && accepts_gzip(req.get_header_value("Accept-Encoding"));
  res.set_header("ETag", use_gz ? r.etag_gz : r.etag);
  res.set_header("Last-Modified", doc.last_modified);
  res.set_header("Cache-Control", "public, max-age=300");
  res.set_header("Vary", vary_accept ? "Accept, Accept-Encoding" : "Accept-Encoding");

  bool fresh = false;
  if (req.has_header("If-None-Match")) {
    fresh = etag_matches(req.get_header_value("If-None-Match"), r);
  } else if (req.has_header("If-Modified-Since")) {
    // Consulted only without If-None-Match, as RFC 9110 says.
    auto since = parse_http_date(req.get_header_value("If-Modified-Since"));
    fresh = since && doc.modified <= *since;
  }
  if (fresh) {
    res.status = 304;
    return;
  }
  res.status = 200;
  if (use_gz) {
    res.set_header("Content-Encoding", "gzip");
    // The content types carry a parameter (or are not in cpp-httplib's list),
    // so cpp-httplib does not compress the body a second time.
    res.set_content(r.gz, r.content_type);
  } else {
    res.set_content(r.body, r.content_type);
  }
}

int parse_int(std::string_view text, const char* what) {
  int value = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || p != text.data() + text.size() || value < 0) {
    throw std::invalid_argument(std::string("bad value for ") + what + ": " + std::string(text));
  }
  return value;
}

Options parse_args(int argc, char** argv) {
  Options o;
  bool have_port = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&](const char* what) -> std::string_view {
      if (i + 1 >= argc) throw std::invalid_argument(std::string(what) + " needs a value");
      return argv[++i];
    };
    if (arg == "--npm") o.npm = parse_int(value("--npm"), "--npm");
    else if (arg == "--pypi") o.pypi = parse_int(value("--pypi"), "--pypi");
    else if (arg == "--threads") o.threads = std::max(1, parse_int(value("--threads"), "--threads"));
    else if (arg == "--scoped-every") o.scoped_every = parse_int(value("--scoped-every"), "--scoped-every");
    else if (arg == "--seed") o.seed = static_cast<std::uint64_t>(parse_int(value("--seed"), "--seed"));
    else if (arg == "--no-gzip") o.gzip = false;
    else if (!have_port && !arg.starts_with("-")) {
      o.port = parse_int(arg, "PORT");
      have_port = true;
    } else {
      throw std::invalid_argument("unknown argument: " + std::string(arg));
    }
  }
  if (o.npm > 10000 || o.pypi > 10000) throw std::invalid_argument("at most 10000 packages each");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Registry reg;
  try {
    reg.options = parse_args(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "fixture_server: " << e.what() << "\n"
              << "usage: fixture_server PORT [--npm N] [--pypi N] [--threads T] "
                 "[--scoped-every K] [--seed S] [--no-gzip]\n";
    return 2;
  }
  const Options& o = reg.options;

  // Generated once, before listening: requests only read memory.
  std::size_t bytes = 0;
  for (int i = 0; i < o.npm; ++i) {
    auto doc = make_npm(o, i, 0);
    bytes += doc->full.body.size() + doc->abbreviated.body.size();
    reg.npm_names.push_back(npm_name(o, i));
    reg.npm.emplace(reg.npm_names.back(), std::move(doc));
  }
  for (int i = 0; i < o.pypi; ++i) {
    auto doc = make_pypi(o, i, 0);
    bytes += doc->full.body.size();
    reg.pypi_names.push_back(pypi_name(i));
    reg.pypi.emplace(reg.pypi_names.back(), std::move(doc));
  }
  reg.npm_bumps.assign(static_cast<std::size_t>(o.npm), 0);
  reg.pypi_bumps.assign(static_cast<std::size_t>(o.pypi), 0);

  // Signals are taken by one thread with sigwait, so every other thread
  // (the pool's included, which inherit this mask) ignores them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  httplib::Server server;
  const int threads = o.threads;
  // More workers than the client's parallel connections: cpp-httplib holds a
  // worker per open keep-alive connection, and a starved connection would
  // wait out another's keep-alive timeout.
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  server.set_keep_alive_max_count(100000);
  // cpp-httplib writes headers and body with separate send()s; with Nagle on,
  // the body waits for the client's delayed ACK (~40 ms per response).
  server.set_tcp_nodelay(true);
  int listen_fd = -1;
  server.set_socket_options([&listen_fd](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd = sock;
  });

  server.Get("/__stats", [&reg](const httplib::Request&, httplib::Response& res) {
    res.set_content(reg.stats.json(), "application/json; charset=utf-8");
  });
  auto reset = [&reg](const httplib::Request&, httplib::Response& res) {
    reg.stats.reset();
    res.set_content(reg.stats.json(), "application/json; charset=utf-8");
  };
  server.Get("/__reset", reset);
  server.Post("/__reset", reset);
  server.Get("/__names", [&reg](const httplib::Request&, httplib::Response& res) {
    ojson j = {{"npm", reg.npm_names}, {"pypi", reg.pypi_names}};
    res.set_content(j.dump(), "application/json; charset=utf-8");
  });
  auto bump = [&reg](const httplib::Request& req, httplib::Response& res) {
    try {
      const int n_npm = req.has_param("npm") ? parse_int(req.get_param_value("npm"), "npm") : 0;
      const int n_pypi = req.has_param("pypi") ? parse_int(req.get_param_value("pypi"), "pypi") : 0;
      // Built outside the lock; swapped in at once.
      std::vector<std::pair<int, std::shared_ptr<const Document>>> npm_docs, pypi_docs;
      for (int i = 0; i < std::min(n_npm, reg.options.npm); ++i) {
        npm_docs.emplace_back(i, make_npm(reg.options, i, reg.npm_bumps[static_cast<std::size_t>(i)] + 1));
      }
      for (int i = 0; i < std::min(n_pypi, reg.options.pypi); ++i) {
        pypi_docs.emplace_back(i, make_pypi(reg.options, i, reg.pypi_bumps[static_cast<std::size_t>(i)] + 1));
      }
      std::unique_lock lock(reg.mutex);
      for (auto& [i, doc] : npm_docs) {
        ++reg.npm_bumps[static_cast<std::size_t>(i)];
        reg.npm[reg.npm_names[static_cast<std::size_t>(i)]] = std::move(doc);
      }
      for (auto& [i, doc] : pypi_docs) {
        ++reg.pypi_bumps[static_cast<std::size_t>(i)];
        reg.pypi[reg.pypi_names[static_cast<std::size_t>(i)]] = std::move(doc);
      }
      ojson j = {{"npm", npm_docs.size()}, {"pypi", pypi_docs.size()}};
      res.set_content(j.dump(), "application/json; charset=utf-8");
    } catch (const std::exception& e) {
      res.status = 400;
      res.set_content(ojson({{"error", e.what()}}).dump(), "application/json; charset=utf-8");
    }
  };
  server.Get("/__bump", bump);
  server.Post("/__bump", bump);
  server.Get(R"(/pypi/([^/]+)/json/?)", [&reg](const httplib::Request& req, httplib::Response& res) {
    auto doc = reg.find(false, pep503(req.matches[1].str()));
    if (!doc) return not_found(res);
    reg.stats.pypi++;
    serve(*doc, doc->full, req, res, reg.options.gzip, false);
  });
  // cpp-httplib hands over the decoded path, so "@bench%2fs-0009" arrives as
  // "@bench/s-0009" and an unencoded '/' works the same.
  server.Get(R"(/(.+))", [&reg](const httplib::Request& req, httplib::Response& res) {
    auto doc = reg.find(true, req.matches[1].str());
    if (!doc) return not_found(res);
    std::string accept = req.get_header_value("Accept");
    accept.erase(0, accept.find_first_not_of(" \t"));
    const bool abbreviated = lower(accept).starts_with("application/vnd.npm.install-v1+json");
    (abbreviated ? reg.stats.npm_abbreviated : reg.stats.npm_full)++;
    serve(*doc, abbreviated ? doc->abbreviated : doc->full, req, res, reg.options.gzip, true);
  });
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) not_found(res);
  });
  // Called once the response is written: counts what went over the wire.
  server.set_logger([&reg](const httplib::Request& req, const httplib::Response& res) {
    if (req.path.starts_with("/__")) return;
    Stats& s = reg.stats;
    s.requests++;
    if (res.status == 200) s.ok++;
    else if (res.status == 304) s.not_modified++;
    else if (res.status == 404) s.not_found++;
    else s.other++;
    if (req.method != "HEAD") s.body_bytes += res.body.size();
    if (res.get_header_value("Content-Encoding") == "gzip") s.gzip_responses++;
  });

  const int port = o.port == 0 ? server.bind_to_any_port("127.0.0.1")
                               : (server.bind_to_port("127.0.0.1", o.port) ? o.port : -1);
  if (port <= 0) {
    std::cerr << "fixture_server: cannot listen on 127.0.0.1:" << o.port << "\n";
    return 1;
  }
  // cpp-httplib listens with a backlog of 5; a burst of parallel connects
  // beyond that would see SYNs dropped and a 1 s retransmit. Calling
  // listen() again on a listening socket only raises the backlog.
  if (listen_fd >= 0) ::listen(listen_fd, 1024);

  std::cout << "PORT=" << port << std::endl;
  std::cerr << "fixture_server: 127.0.0.1:" << port << " npm=" << o.npm << " pypi=" << o.pypi
            << " documents=" << (2 * o.npm + o.pypi) << " identity bytes=" << bytes
            << " threads=" << o.threads << " gzip=" << (o.gzip ? "on" : "off") << std::endl;

  std::thread stopper([&server, stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server.stop();
  });
  stopper.detach();
  const bool ok = server.listen_after_bind();
  return ok ? 0 : 1;
}
