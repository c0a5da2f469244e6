// The proof that credentials stay where they belong: distinctive secrets in
// every place a user can put one (DRIFTLOCK_OCI_PASSWORD, Docker's
// config.json `auths`, a credential helper on PATH, an .npmrc `_authToken`,
// netrc, user info in pip.conf's and the manifest's registry URLs,
// GITHUB_TOKEN), the real binary through run, check --comment, report,
// history, export and resolve against loopback registries, with good and
// with wrong credentials; then every stdout and stderr, every file of the
// project and its state folder (the HTTP cache's bodies decompressed) and
// `git log -p --all` are searched for each secret, and each registry is
// checked to have received no credential but its own.
#include <sqlite3.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/base64.hpp"
#include "exec/temp_dir.hpp"
#include "store/compress.hpp"
#include "support/fake_forge.hpp"
#include "support/loopback_server.hpp"
#include "support/spawn_driftlock.hpp"
#include "support/text_files.hpp"

using namespace driftlock;
using driftlock::testing::LoopbackServer;
using driftlock::testing::make_reply;
using driftlock::testing::read_text;
using driftlock::testing::ReceivedRequest;
using driftlock::testing::Reply;
using driftlock::testing::spawn_driftlock;
using driftlock::testing::TempDir;
using driftlock::testing::wait_exit_code;
using driftlock::testing::write_text;

namespace fs = std::filesystem;

namespace {

// Each secret is distinctive, so a hit is never a coincidence.
const std::string kOciEnvPassword = "ociEnvPw-Zq81xR";
const std::string kDockerPassword = "dockerAuthPw-Kt55wB";
const std::string kHelperSecret = "helperSecret-Hn02pV";
const std::string kNpmToken = "npmAuthToken-Lw73cJ";
const std::string kNetrcPassword = "netrcPw-Ud46sM";
const std::string kPipUserinfo = "pipUserinfoPw-Ya19gE";
const std::string kManifestUserinfo = "manifestUserinfoPw-Qb38fT";
const std::string kGithubToken = "ghp_githubToken-Ro64dN";
// What the registries issue: tokens are secrets too.
const std::string kTokenA = "issuedTokenA-Xc27mK";
const std::string kTokenB = "issuedTokenB-Pf90vS";
const std::string kTokenC = "issuedTokenC-Gj13eW";
// The wrong credentials of the failing runs.
const std::string kBadOciPassword = "badOciPw-Mv52hQ";
const std::string kBadNpmToken = "badNpmToken-Tz84aL";
const std::string kBadPipPassword = "badPipPw-Ec07nY";
const std::string kBadGithubToken = "ghp_badGithubToken-Wd31kF";

std::string basic(const std::string& user, const std::string& password) {
  return "Basic " + base64_encode(user + ":" + password);
}

// A secret and the forms it travels in (Basic authorization is base64).
struct Secret {
  std::string value;
  std::vector<std::string> forms;
};

Secret secret(std::string value, std::string user = "") {
  Secret s{value, {value}};
  if (!user.empty()) s.forms.push_back(base64_encode(user + ":" + value));
  return s;
}

const std::vector<Secret>& all_secrets() {
  static const std::vector<Secret> secrets = {
      secret(kOciEnvPassword, "ocienv"),
      secret(kDockerPassword, "dockeruser"),
      secret(kHelperSecret, "helperuser"),
      secret(kNpmToken),
      secret(kNetrcPassword, "netrcuser"),
      secret(kPipUserinfo, "pipuser"),
      secret(kManifestUserinfo, "manuser"),
      secret(kGithubToken),
      secret(kTokenA),
      secret(kTokenB),
      secret(kTokenC),
      secret(kBadOciPassword, "ocienv"),
      secret(kBadNpmToken),
      secret(kBadPipPassword, "pipuser"),
      secret(kBadGithubToken),
  };
  return secrets;
}

struct Ran {
  int code = -1;
  std::string out, err;
};

// Runs the binary with exactly `env` (nothing of the test's own
// environment), stdout and stderr in files under `outputs`.
Ran run_binary(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
               const fs::path& outputs, const std::string& name) {
  fs::create_directories(outputs);
  const fs::path out = outputs / (name + ".out");
  const fs::path err = outputs / (name + ".err");
  std::vector<std::string> vars;
  for (const auto& [key, value] : env) vars.push_back(key + "=" + value);
  const int code = wait_exit_code(spawn_driftlock(args, out, err, std::move(vars)));
  return Ran{code, read_text(out), read_text(err)};
}

std::string command_output(const std::string& command) {
  std::string output;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  REQUIRE(pipe);
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe.get())) output.append(buffer, n);
  return output;
}

// Every HTTP cache body of a state database, decompressed.
std::string cache_bodies(const fs::path& database) {
  sqlite3* db = nullptr;
  std::string all;
  if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return all;
  }
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT url, encoding, size, body FROM http_cache", -1, &statement,
                         nullptr) == SQLITE_OK) {
    while (sqlite3_step(statement) == SQLITE_ROW) {
      auto column = [&](int i) {
        const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, i));
        return std::string(bytes != nullptr ? bytes : "", sqlite3_column_bytes(statement, i));
      };
      all += column(0) + "\n";
      const std::string body = column(3);
      if (column(1) == "zlib") {
        auto size = static_cast<std::size_t>(sqlite3_column_int64(statement, 2));
        all += store::inflate_exactly(body, size).value_or("<broken>") + "\n";
      } else {
        all += body + "\n";
      }
    }
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return all;
}

std::string packument() {
  return R"({"name":"a","versions":{"1.0.0":{},"1.1.0":{}},)"
         R"("time":{"1.0.0":"2026-01-01T00:00:00.000Z","1.1.0":"2026-02-01T00:00:00.000Z"}})";
}

std::string pypi_document() {
  auto file = [](const char* when) {
    return std::string(R"([{"filename":"p.tar.gz","upload_time_iso_8601":")") + when +
           R"(","yanked":false}])";
  };
  return std::string(R"({"info":{"name":"p"},"releases":{"1.0":)") +
         file("2026-01-01T00:00:00.000000Z") + R"(,"1.1":)" + file("2026-02-01T00:00:00.000000Z") +
         "}}";
}

const std::string kOldDigest = "sha256:" + std::string(64, 'a');
const std::string kNewDigest = "sha256:" + std::string(64, 'b');

// A route that answers `ok` only to one of `accepted` Authorization values.
testing::RouteHandler guarded(std::vector<std::string> accepted, Reply ok, Reply refused) {
  return [accepted, ok, refused](const ReceivedRequest& request, int) {
    const auto given = request.header("authorization");
    for (const std::string& one : accepted) {
      if (given == one) return ok;
    }
    return refused;
  };
}

// An OCI registry whose token realm (another origin) wants `basic_expected`.
struct OciRegistry {
  LoopbackServer registry{4};
  LoopbackServer realm{4};

  OciRegistry(const std::string& basic_expected, const std::string& token) {
    realm.route(
        "/token",
        guarded({basic_expected},
                make_reply(200, R"({"token":")" + token + "\"}", "application/json"),
                make_reply(401, R"({"errors":[{"code":"UNAUTHORIZED"}]})", "application/json")));
    const Reply challenge =
        make_reply(401, R"({"errors":[{"code":"UNAUTHORIZED"}]})", "application/json",
                   {{"WWW-Authenticate",
                     "Bearer realm=\"" + realm.url("/token") + "\",service=\"registry\""}});
    registry.route("/v2/base/tags/list",
                   guarded({"Bearer " + token},
                           make_reply(200, R"({"name":"base","tags":["stable"]})",
                                      "application/json", {{"ETag", "\"t1\""}}),
                           challenge));
    registry.route("/v2/base/manifests/stable",
                   guarded({"Bearer " + token},
                           make_reply(200, "{}", "application/vnd.oci.image.manifest.v1+json",
                                      {{"Docker-Content-Digest", kNewDigest}}),
                           challenge));
  }

  std::string host() const { return "127.0.0.1:" + std::to_string(registry.port()); }
};

// Everything a server received: header values, targets and bodies.
std::string received_by(const LoopbackServer& server, const std::vector<std::string>& paths) {
  std::string all;
  for (const std::string& path : paths) {
    for (const ReceivedRequest& request : server.requests(path)) {
      all += request.target + "\n" + request.body + "\n";
      for (const auto& [name, value] : request.headers) all += name + ": " + value + "\n";
    }
  }
  return all;
}

// The parts of one project: a git work tree with the builder's files
// committed (the manifest stays untracked: it may hold a URL's user info).
struct Project {
  fs::path dir;
  fs::path manifest;

  Project(const fs::path& root, const std::string& name, const std::string& manifest_text,
          const std::string& snapshot) {
    dir = root / name;
    manifest = dir / "driftlock.toml";
    write_text(manifest, manifest_text);
    write_text(dir / "demo.lock.json", snapshot);
    write_text(dir / "build.sh", "echo building\n");
    const std::string init = "cd '" + dir.string() +
                             "' && git init -q && git add build.sh demo.lock.json && git -c "
                             "user.name=test -c user.email=test@example.invalid commit -qm builder";
    REQUIRE(std::system(init.c_str()) == 0);
  }
};

}  // namespace

TEST_CASE("cli: no secret reaches any output nor the state folder nor a commit", "[cli][secrets]") {
  TempDir root;
  // The registries, each wanting its own credentials.
  LoopbackServer npm(4);
  npm.route("/a", guarded({"Bearer " + kNpmToken, basic("manuser", kManifestUserinfo)},
                          make_reply(200, packument(), "application/json", {{"ETag", "\"a1\""}}),
                          make_reply(401, R"({"error":"unauthorized"})", "application/json")));
  LoopbackServer pypi(4);
  pypi.route("/pypi/p/json",
             guarded({basic("pipuser", kPipUserinfo), basic("netrcuser", kNetrcPassword)},
                     make_reply(200, pypi_document(), "application/json", {{"ETag", "\"p1\""}}),
                     make_reply(401, "Unauthorized", "text/plain",
                                {{"WWW-Authenticate", "Basic realm=\"pypi\""}})));
  OciRegistry oci_a(basic("ocienv", kOciEnvPassword), kTokenA);
  OciRegistry oci_b(basic("dockeruser", kDockerPassword), kTokenB);
  OciRegistry oci_c(basic("helperuser", kHelperSecret), kTokenC);
  LoopbackServer github(4);
  testing::FakeThread thread;
  testing::serve_github(github, thread);

  // Where a user keeps credentials: a home folder, a credential helper on PATH.
  const fs::path home = root / "home";
  const fs::path bin = root / "bin";
  const fs::path outputs = root / "outputs";
  write_text(home / ".npmrc",
             "//127.0.0.1:" + std::to_string(npm.port()) + "/:_authToken=" + kNpmToken + "\n");
  write_text(home / "bad.npmrc",
             "//127.0.0.1:" + std::to_string(npm.port()) + "/:_authToken=" + kBadNpmToken + "\n");
  write_text(home / ".netrc",
             "machine 127.0.0.1 login netrcuser password " + kNetrcPassword + "\n");
  write_text(home / "pip.conf", "[global]\nindex-url = http://pipuser:" + kPipUserinfo +
                                    "@127.0.0.1:" + std::to_string(pypi.port()) + "/simple\n");
  write_text(home / "bad-pip.conf", "[global]\nindex-url = http://pipuser:" + kBadPipPassword +
                                        "@127.0.0.1:" + std::to_string(pypi.port()) + "/simple\n");
  write_text(
      home / ".docker" / "config.json", R"({"auths": {")" + oci_b.host() + R"(": {"auth": ")" +
                                            base64_encode("dockeruser:" + kDockerPassword) + R"("}},
                 "credHelpers": {")" + oci_c.host() +
                                            R"(": "fake"}})");
  write_text(home / "bad-docker" / "config.json",
             R"({"auths": {")" + oci_b.host() + R"(": {"auth": ")" +
                 base64_encode("dockeruser:" + kBadOciPassword) + R"("}},
                 "credHelpers": {")" +
                 oci_c.host() + R"(": "missing"}})");
  write_text(bin / "docker-credential-fake",
             "#!/bin/sh\nserver=$(cat)\n"
             "if [ \"$1\" = get ] && [ \"$server\" = '" +
                 oci_c.host() +
                 "' ]; then\n"
                 "  printf '{\"ServerURL\":\"%s\",\"Username\":\"helperuser\",\"Secret\":\"" +
                 kHelperSecret +
                 "\"}\\n' \"$server\"\n"
                 "else\n  echo 'credentials not found in native keychain'; exit 1\nfi\n");
  fs::permissions(bin / "docker-credential-fake", fs::perms::owner_all);

  auto manifest = [&](const std::string& npm_url) {
    return "image = \"demo\"\nsnapshot = \"demo.lock.json\"\n[registries]\nnpm = \"" + npm_url +
           "\"\n[commands]\nbuild = \"sh build.sh\"\ntest = \"true\"\n"
           "[dependencies.npm]\na = \"*\"\n[dependencies.pypi]\np = \"*\"\n"
           "[dependencies.oci]\n\"" +
           oci_a.host() + "/base\" = { range = \"stable\", key = \"BASE_A\" }\n\"" + oci_b.host() +
           "/base\" = { range = \"stable\", key = \"BASE_B\" }\n\"" + oci_c.host() +
           "/base\" = { range = \"stable\", key = \"BASE_C\" }\n";
  };
  auto oci_pin = [&](const OciRegistry& r) {
    return R"(    {"ecosystem": "oci", "name": ")" + r.host() +
           R"(/base", "version": "stable", "digest": ")" + kOldDigest + "\"},\n";
  };
  const std::string snapshot =
      "{\n  \"format\": \"driftlock-snapshot\",\n  \"version\": 1,\n  \"image\": \"demo\",\n"
      "  \"dependencies\": [\n"
      "    {\"ecosystem\": \"npm\", \"name\": \"a\", \"version\": \"1.0.0\"},\n" +
      oci_pin(oci_a) + oci_pin(oci_b) + oci_pin(oci_c) +
      "    {\"ecosystem\": \"pypi\", \"name\": \"p\", \"version\": \"1.0\"}\n"
      "  ],\n  \"held\": []\n}\n";

  const std::map<std::string, std::string> base_env = {
      {"PATH", bin.string() + ":/usr/local/bin:/usr/bin:/bin"},
      {"HOME", home.string()},
      {"NPM_CONFIG_USERCONFIG", (home / ".npmrc").string()},
      {"PIP_CONFIG_FILE", (home / "pip.conf").string()},
      {"DRIFTLOCK_OCI_USERNAME", "ocienv"},
      {"DRIFTLOCK_OCI_PASSWORD", kOciEnvPassword},
      {"DRIFTLOCK_OCI_REGISTRY", oci_a.host()},
      {"GITHUB_TOKEN", kGithubToken},
      {"GITHUB_API_URL", github.url("")},
  };
  std::vector<Project> projects;
  auto commands = [&](const Project& project, const std::map<std::string, std::string>& env,
                      const std::string& name, int expected) {
    const std::string m = project.manifest.string();
    const std::vector<std::pair<std::string, std::vector<std::string>>> runs = {
        {"run", {"run", "-v", "-m", m}},
        {"check", {"check", "-v", "-m", m, "--comment", "github:octo/images#5"}},
        {"report", {"report", "-m", m}},
        {"report-json", {"report", "--format", "json", "-m", m}},
        {"history", {"history", "-m", m}},
        {"export", {"export", "--format", "env", "-m", m}},
        {"resolve", {"resolve", "-v", "-m", m, "-o", "-"}},
    };
    for (const auto& [what, args] : runs) {
      INFO(name << " " << what);
      Ran ran = run_binary(args, env, outputs, name + "-" + what);
      if (expected == 0) {
        CHECK(ran.code == 0);
        if (ran.code != 0) WARN(ran.err);
      }
    }
  };

  SECTION("good credentials from every source, and wrong ones") {
    // 1. npm from .npmrc, PyPI from pip.conf's user info, OCI from the
    //    environment, config.json and the helper.
    projects.emplace_back(root.path(), "files", manifest(npm.url("")), snapshot);
    commands(projects.back(), base_env, "files", 0);
    CHECK_THAT(read_text(projects.back().dir / "demo.lock.json"),
               Catch::Contains("\"version\": \"1.1.0\""));
    CHECK_THAT(read_text(projects.back().dir / "demo.lock.json"), Catch::Contains(kNewDigest));
    CHECK(thread.all().size() == 1);

    // 2. npm from user info in the manifest's URL, PyPI from netrc.
    auto netrc_env = base_env;
    netrc_env.erase("PIP_CONFIG_FILE");
    netrc_env["PIP_INDEX_URL"] = pypi.url("/simple");
    netrc_env["NPM_CONFIG_USERCONFIG"] = (home / "none.npmrc").string();
    projects.emplace_back(root.path(), "netrc",
                          manifest("http://manuser:" + kManifestUserinfo +
                                   "@127.0.0.1:" + std::to_string(npm.port())),
                          snapshot);
    commands(projects.back(), netrc_env, "netrc", 0);
    CHECK_THAT(read_text(projects.back().dir / "demo.lock.json"),
               Catch::Contains("\"version\": \"1.1\""));

    // 3. Wrong credentials everywhere: 401s, a missing helper, a refused post.
    auto bad_env = base_env;
    bad_env["NPM_CONFIG_USERCONFIG"] = (home / "bad.npmrc").string();
    bad_env["PIP_CONFIG_FILE"] = (home / "bad-pip.conf").string();
    bad_env["DOCKER_CONFIG"] = (home / "bad-docker").string();
    bad_env["DRIFTLOCK_OCI_PASSWORD"] = kBadOciPassword;
    bad_env["GITHUB_TOKEN"] = kBadGithubToken;
    projects.emplace_back(root.path(), "bad", manifest(npm.url("")), snapshot);
    commands(projects.back(), bad_env, "bad", 3);
    const std::string bad_run = read_text(outputs / "bad-run.err");
    CHECK_THAT(bad_run, Catch::Contains("/a: HTTP 401"));
    CHECK_THAT(bad_run, Catch::Contains("/pypi/p/json: HTTP 401"));
    CHECK_THAT(bad_run, Catch::Contains("credential helper docker-credential-missing"));
    CHECK_THAT(bad_run, Catch::Contains("for " + oci_c.host() +
                                        ": docker-credential-missing is "
                                        "not installed (not found on PATH)"));
    CHECK_THAT(bad_run, Catch::Contains("cannot get a token from " + oci_a.realm.url("/token") +
                                        ": HTTP 401"));
    CHECK(read_text(projects.back().dir / "demo.lock.json") == snapshot);
  }

  // Where each secret may be seen: only by its own registry.
  struct Owner {
    const LoopbackServer* server;
    std::vector<std::string> paths;
    std::vector<std::string> own;  // secrets this server may receive
  };
  const std::vector<Owner> owners = {
      {&npm, {"/a"}, {kNpmToken, kManifestUserinfo, kBadNpmToken}},
      {&pypi, {"/pypi/p/json"}, {kPipUserinfo, kNetrcPassword, kBadPipPassword}},
      {&oci_a.registry, {"/v2/base/tags/list", "/v2/base/manifests/stable"}, {kTokenA}},
      {&oci_a.realm, {"/token"}, {kOciEnvPassword, kBadOciPassword}},
      {&oci_b.registry, {"/v2/base/tags/list", "/v2/base/manifests/stable"}, {kTokenB}},
      {&oci_b.realm, {"/token"}, {kDockerPassword, kBadOciPassword}},
      {&oci_c.registry, {"/v2/base/tags/list", "/v2/base/manifests/stable"}, {kTokenC}},
      {&oci_c.realm, {"/token"}, {kHelperSecret}},
      {&github, {testing::kGithubComments}, {kGithubToken, kBadGithubToken}},
  };
  for (const Owner& owner : owners) {
    const std::string seen = received_by(*owner.server, owner.paths);
    CHECK_FALSE(seen.empty());
    for (const Secret& s : all_secrets()) {
      if (std::find(owner.own.begin(), owner.own.end(), s.value) != owner.own.end()) continue;
      for (const std::string& form : s.forms) {
        INFO("port " << owner.server->port() << " received " << s.value);
        CHECK(seen.find(form) == std::string::npos);
      }
    }
  }

  // Everything driftlock wrote or printed.
  std::vector<std::pair<std::string, std::string>> haystacks;
  for (const auto& entry : fs::recursive_directory_iterator(outputs)) {
    haystacks.emplace_back(entry.path().string(), read_text(entry.path()));
  }
  for (const Project& project : projects) {
    for (auto it = fs::recursive_directory_iterator(project.dir);
         it != fs::recursive_directory_iterator(); ++it) {
      const fs::path& path = it->path();
      if (path.filename() == ".git" && it->is_directory()) {
        it.disable_recursion_pending();  // git's objects are compressed: read through git below
        continue;
      }
      if (path == project.manifest || !it->is_regular_file()) continue;
      haystacks.emplace_back(path.string(), read_text(path));
    }
    const fs::path database = project.dir / ".driftlock" / "state.db";
    CHECK(fs::exists(database));
    // Answers to credentialed requests are not cached; a URL whose user info
    // stayed in it would be (with an ETag), and caught here.
    haystacks.emplace_back(database.string() + " (cache bodies)", cache_bodies(database));
    haystacks.emplace_back(
        project.dir.string() + " (git log)",
        command_output("cd '" + project.dir.string() + "' && git log -p --all 2>&1"));
  }
  CHECK(haystacks.size() > 30);
  for (const auto& [where, text] : haystacks) {
    for (const Secret& s : all_secrets()) {
      for (const std::string& form : s.forms) {
        INFO(where << " holds " << s.value);
        CHECK(text.find(form) == std::string::npos);
      }
    }
  }
}
