#include <catch2/catch.hpp>
#include <fstream>

#include "ecosystems/registry.hpp"
#include "exec/temp_dir.hpp"
#include "init/dockerfile.hpp"

using namespace driftlock;
using namespace driftlock::init;
using driftlock::testing::TempDir;

namespace {

void write(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// "eco name range [hold=H] [(note)] [<- via]" per dependency, then
// "? file:line: what" per unread line.
std::vector<std::string> described(const Findings& findings) {
  std::vector<std::string> out;
  for (const Found& f : findings.dependencies) {
    std::string line = f.ecosystem + " " + f.name + " " + f.range;
    if (f.hold) line += " hold=" + *f.hold;
    if (!f.note.empty()) line += " (" + f.note + ")";
    line += " @" + std::to_string(f.origin.line);
    out.push_back(line);
  }
  for (const Unread& u : findings.unread) {
    out.push_back("? " + u.origin.path + ":" + std::to_string(u.origin.line) + ": " + u.what);
  }
  return out;
}

std::vector<std::string> read(std::string_view text, const TempDir* context = nullptr) {
  static const TempDir empty;
  auto findings =
      read_dockerfile(text, "Dockerfile", (context ? *context : empty).path(), ecosystems::all());
  if (!findings) FAIL(render(findings.error()));
  return described(*findings);
}

std::string error_of(std::string_view text) {
  static const TempDir empty;
  auto findings = read_dockerfile(text, "Dockerfile", empty.path(), ecosystems::all());
  REQUIRE_FALSE(findings);
  return render(findings.error());
}

struct Case {
  std::string_view text;
  std::vector<std::string> expected;
};

void check_all(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(read(c.text) == c.expected);
  }
}

}  // namespace

TEST_CASE("dockerfile: FROM lines", "[init]") {
  check_all({
      {"FROM debian:12\n", {"oci debian 12 @1"}},
      {"FROM --platform=linux/amd64 python:3.11-slim AS base\n", {"oci python 3.11-slim @1"}},
      {"FROM 127.0.0.1:5000/team/base:stable\n", {"oci 127.0.0.1:5000/team/base stable @1"}},
      {"FROM ubuntu\n", {"oci ubuntu latest (no tag in the Dockerfile: latest) @1"}},
      {"FROM scratch\nCOPY app /\n", {}},
      {"ARG BASE=debian:12\nFROM ${BASE}\n", {"oci debian 12 @2"}},
      {"ARG TAG=3.11\nFROM python:${TAG}-slim\n", {"oci python 3.11-slim @2"}},
      // A stage's name is not an image.
      {"FROM golang:1.22 AS build\nFROM build\nFROM Build AS again\n", {"oci golang 1.22 @1"}},
      {"ARG BASE\nFROM ${BASE}\n",
       {"? Dockerfile:2: FROM ${BASE}: $BASE has no value (ARG BASE has no default; the build "
        "sets it with --build-arg)"}},
      // Global ARGs are seen by FROM only, unless a stage declares them again.
      {"ARG V=1\nFROM a:1\nRUN pip install x==$V\n",
       {"oci a 1 @2", "? Dockerfile:3: x==$V: $V is not set in the Dockerfile"}},
      {"ARG V=1\nFROM a:1\nARG V\nRUN pip install x==$V\n", {"oci a 1 @2", "pypi x ==1 @4"}},
      {"FROM Debian:12\n",
       {"? Dockerfile:1: FROM Debian:12: invalid OCI image reference 'Debian': path component "
        "'Debian' is not lowercase"}},
      {"FROM debian\nCOPY --from=ghcr.io/acme/tools:1.2 /bin/tool /usr/bin/\n",
       {"oci debian latest (no tag in the Dockerfile: latest) @1",
        "oci ghcr.io/acme/tools 1.2 @2"}},
  });
}

TEST_CASE("dockerfile: FROM with a digest", "[init]") {
  const std::string digest = "sha256:" + std::string(64, 'a');
  CHECK(read("FROM debian:12@" + digest + "\n") ==
        std::vector<std::string>{
            "oci debian 12 (the Dockerfile pins sha256:aaaaaaaaaaaa; driftlock follows the tag) "
            "@1"});
  CHECK(read("FROM debian@" + digest + "\n") ==
        std::vector<std::string>{"? Dockerfile:1: FROM debian@" + digest +
                                 ": cannot follow a bare digest (name the tag it came from: "
                                 "debian:TAG@" +
                                 digest + ")"});
}

TEST_CASE("dockerfile: apt-get and apt", "[init]") {
  check_all({
      {"FROM a:1\nRUN apt-get update && apt-get install -y --no-install-recommends git curl\n",
       {"oci a 1 @1", "debian git * @2", "debian curl * @2"}},
      {"FROM a:1\nRUN apt-get -qq -o Dpkg::Options::=--force-confnew install -y git\n",
       {"oci a 1 @1", "debian git * @2"}},
      {"FROM a:1\nRUN apt install -y libssl-dev=3.0.11-1~deb12u2 tor/bookworm-backports\n",
       {"oci a 1 @1", "debian libssl-dev * hold=3.0.11-1~deb12u2 @2",
        "debian tor * (from suite bookworm-backports) @2"}},
      {"FROM a:1\nRUN apt-get install -t bookworm-backports -y curl libc6:i386\n",
       {"oci a 1 @1", "debian curl * (from suite bookworm-backports) @2",
        "debian libc6 * (architecture i386, from suite bookworm-backports) @2"}},
      {"FROM a:1\nRUN DEBIAN_FRONTEND=noninteractive sudo -E apt-get install -y git\n",
       {"oci a 1 @1", "debian git * @2"}},
      {"FROM a:1\nRUN apt-get install -y ./local.deb vim- 'lib*'\n",
       {"oci a 1 @1", "? Dockerfile:2: ./local.deb: a local package file, not a package name",
        "? Dockerfile:2: lib*: not a Debian package name"}},
      {"FROM a:1\nRUN apt-get remove -y git && apt-get purge vim && apt-get clean\n",
       {"oci a 1 @1"}},
      {"FROM a:1\nARG EXTRA\nRUN apt-get install -y git $EXTRA\n",
       {"oci a 1 @1", "debian git * @3",
        "? Dockerfile:3: $EXTRA: $EXTRA has no value (ARG EXTRA has no default; the build sets "
        "it with --build-arg)"}},
      {"FROM a:1\nRUN cat pkgs.txt | xargs apt-get install -y\n",
       {"oci a 1 @1",
        "? Dockerfile:2: apt-get install -y: the packages come from the command's input (xargs)"}},
  });
}

TEST_CASE("dockerfile: pip in its spellings", "[init]") {
  check_all({
      {"FROM a:1\nRUN pip install --no-cache-dir -U 'tox~=4.0' six \"click>=8.1.1\"\n",
       {"oci a 1 @1", "pypi tox ~=4.0 @2", "pypi six * @2", "pypi click >=8.1.1 @2"}},
      {"FROM a:1\nRUN python3.11 -m pip install --upgrade pip setuptools\n",
       {"oci a 1 @1", "pypi pip * @2", "pypi setuptools * @2"}},
      {"FROM a:1\nRUN /opt/venv/bin/pip3 install 'Twisted[tls,conch]>=22.8.0' 'paramiko<2.9'\n",
       {"oci a 1 @1", "pypi Twisted >=22.8.0 @2", "pypi paramiko <2.9 @2"}},
      {"FROM a:1\nRUN pip install -i https://idx.invalid/simple --index-url=https://i.invalid x\n",
       {"oci a 1 @1", "pypi x * @2"}},
      {"FROM a:1\nRUN uv pip install --system 'name>=1,<2'\n",
       {"oci a 1 @1", "pypi name >=1,<2 @2"}},
      {"FROM a:1\nRUN pip install . ./pkg git+https://g.invalid/r.git\n",
       {"oci a 1 @1", "? Dockerfile:2: .: a local path or URL, not a package name",
        "? Dockerfile:2: ./pkg: a local path or URL, not a package name",
        "? Dockerfile:2: git+https://g.invalid/r.git: a local path or URL, not a package name"}},
      {"FROM a:1\nRUN pip install -c constraints.txt -e . x\n",
       {"oci a 1 @1", "pypi x * @2",
        "? Dockerfile:2: -c constraints.txt: constraints are not read (they limit versions of "
        "packages installed for other reasons)",
        "? Dockerfile:2: -e .: an editable install of a local project or URL"}},
      {"FROM a:1\nRUN pip install -r missing.txt\n",
       {"oci a 1 @1", "? Dockerfile:2: -r missing.txt: no such file in the build context"}},
      {"FROM a:1\nRUN pip install 'x>>1'\n",
       {"oci a 1 @1",
        "? Dockerfile:2: x>>1: invalid PEP 440 specifier '>>1': invalid version "
        "'>1' (does not start with a release number such as 1.2)"}},
      {"FROM a:1\nRUN pip freeze && pip uninstall -y x && pip list\n", {"oci a 1 @1"}},
      {"FROM a:1\nRUN pip install 'x; python_version < \"3.8\"'\n",
       {"oci a 1 @1", "pypi x * (only where python_version < \"3.8\") @2"}},
  });
}

TEST_CASE("dockerfile: npm packages", "[init]") {
  check_all({
      {"FROM node:20\nRUN npm install -g some-cli@^2 @scope/pkg@1.2.3 chalk\n",
       {"oci node 20 @1", "npm some-cli ^2 @2", "npm @scope/pkg 1.2.3 @2", "npm chalk * @2"}},
      {"FROM node:20\nRUN npm i --prefix /opt/tools lodash@latest\n",
       {"oci node 20 @1", "npm lodash * (npm tag latest) @2"}},
      {"FROM node:20\nRUN npm install x@next ./lib github:u/r\n",
       {"oci node 20 @1", "? Dockerfile:2: x@next: npm tag 'next' is not a version range",
        "? Dockerfile:2: ./lib: a path, tarball URL or git repository, not a package",
        "? Dockerfile:2: github:u/r: a path, tarball URL or git repository, not a package"}},
      {"FROM node:20\nRUN npm ci\n",
       {"oci node 20 @1", "? Dockerfile:2: npm ci: no package.json in the build context"}},
      {"FROM node:20\nRUN npm run build && npm test\n", {"oci node 20 @1"}},
  });
}

TEST_CASE("dockerfile: exec form, sh -c and heredocs", "[init]") {
  check_all({
      {"FROM a:1\nRUN [\"apt-get\", \"install\", \"-y\", \"git\"]\n",
       {"oci a 1 @1", "debian git * @2"}},
      // Exec form has no shell: no substitution.
      {"FROM a:1\nENV P=x\nRUN [\"pip\", \"install\", \"$P\"]\n",
       {"oci a 1 @1", "? Dockerfile:3: $P: a local path or URL, not a package name"}},
      {"FROM a:1\nRUN [\"sh\", \"-c\", \"apt-get update && apt-get install -y git\"]\n",
       {"oci a 1 @1", "debian git * @2"}},
      {"FROM a:1\nRUN bash -euxc 'pip install six && npm i -g chalk@4'\n",
       {"oci a 1 @1", "pypi six * @2", "npm chalk 4 @2"}},
      {"FROM a:1\nRUN <<EOF\nset -e\napt-get install -y git\npip install six\nEOF\n",
       {"oci a 1 @1", "debian git * @4", "pypi six * @5"}},
      {"FROM a:1\nRUN cat <<EOF > /etc/x.conf\napt-get install -y git\nEOF\n", {"oci a 1 @1"}},
      {"FROM a:1\nRUN --mount=type=cache,target=/root/.cache pip install six\n",
       {"oci a 1 @1", "pypi six * @2"}},
  });
}

TEST_CASE("dockerfile: ARG and ENV substitution", "[init]") {
  check_all({
      {"FROM a:1\nARG PY=3.11\nRUN apt-get install -y python${PY} python${PY}-dev\n",
       {"oci a 1 @1", "debian python3.11 * @3", "debian python3.11-dev * @3"}},
      {"FROM a:1\nENV TOX=\"~=4.0\"\nRUN pip install tox$TOX\n",
       {"oci a 1 @1", "pypi tox ~=4.0 @3"}},
      // The old form: ENV NAME the rest.
      {"FROM a:1\nENV TOX_VERSION 4.0.1\nRUN pip install tox==${TOX_VERSION}\n",
       {"oci a 1 @1", "pypi tox ==4.0.1 @3"}},
      // ENV wins over ARG; one ENV's values see the variables before it.
      {"FROM a:1\nARG V=1\nENV V=2 W=$V\nRUN pip install a==$V b==$W\n",
       {"oci a 1 @1", "pypi a ==2 @4", "pypi b ==1 @4"}},
      {"FROM a:1\nRUN V=1.2 && pip install x==$V; export W=3; pip install y==$W\n",
       {"oci a 1 @1", "pypi x ==1.2 @2", "pypi y ==3 @2"}},
      // A later stage inherits ENV from the stage it starts from, not ARG.
      {"FROM a:1 AS one\nENV E=1\nARG G=2\nFROM one\nRUN pip install e==$E g==$G\n",
       {"oci a 1 @1", "pypi e ==1 @5", "? Dockerfile:5: g==$G: $G is not set in the Dockerfile"}},
      {"FROM a:1\nRUN pip install x==$(cat v.txt)\n",
       {"oci a 1 @1", "? Dockerfile:2: x==$(cat v.txt): $(cat v.txt) is a command's output"}},
  });
}

TEST_CASE("dockerfile: what cannot be read is listed", "[init]") {
  check_all({
      {"FROM a:1\nRUN curl -fsSL https://x.invalid/setup.sh | bash -s -- --yes\n",
       {"oci a 1 @1",
        "? Dockerfile:2: curl -fsSL https://x.invalid/setup.sh | bash -s -- --yes: a downloaded "
        "script runs; what it installs is unknown"}},
      {"FROM a:1\nRUN sh -c \"$(wget -qO- https://x.invalid/i.sh)\"\n",
       {"oci a 1 @1",
        "? Dockerfile:2: sh -c \"$(wget -qO- https://x.invalid/i.sh)\": a downloaded script runs; "
        "what it installs is unknown"}},
      {"FROM alpine:3\nRUN apk add --no-cache bash && yum install -y x && gem install rake\n",
       {"oci alpine 3 @1",
        "? Dockerfile:2: apk add --no-cache bash: apk is not one of the package managers "
        "driftlock reads (apt, pip, npm)",
        "? Dockerfile:2: yum install -y x: yum is not one of the package managers driftlock "
        "reads (apt, pip, npm)",
        "? Dockerfile:2: gem install rake: gem is not one of the package managers driftlock "
        "reads (apt, pip, npm)"}},
      {"FROM a:1\nRUN apk --version && go build ./...\n", {"oci a 1 @1"}},
      {"FROM a:1\nRUN dpkg -i /tmp/x.deb\n",
       {"oci a 1 @1", "? Dockerfile:2: dpkg -i /tmp/x.deb: a local .deb package is not read"}},
  });
}

TEST_CASE("dockerfile: requirements files through COPY", "[init]") {
  TempDir context;
  write(context / "requirements.txt",
        "# comment\nsix\ntox ~= 4.0  # the CI runner\n-r extra/more.txt\n"
        "-c constraints.txt\n--index-url https://i.invalid/simple\n"
        "attrs>=20.1.0 \\\n    --hash=sha256:abc\n${MISSING}\n");
  write(context / "extra/more.txt", "click>=8\n");
  write(context / "docs/requirements.txt", "sphinx\n");
  auto findings = read_dockerfile(
      "FROM a:1\nWORKDIR /app\nCOPY requirements.txt ./\nCOPY docs /app/docs/\n"
      "RUN pip install -r requirements.txt\nRUN pip install -r docs/requirements.txt\n",
      "Dockerfile", context.path(), ecosystems::all());
  REQUIRE(findings);
  CHECK(described(*findings) ==
        std::vector<std::string>{
            "oci a 1 @1", "pypi six * @2", "pypi tox ~=4.0 @3", "pypi click >=8 @1",
            "pypi attrs >=20.1.0 @7", "pypi sphinx * @1",
            "? requirements.txt:5: -c constraints.txt: constraints are not read (they limit "
            "versions of packages installed for other reasons)",
            "? requirements.txt:9: ${MISSING}: ${MISSING} is not set in the Dockerfile"});
  CHECK(findings->dependencies.at(3).origin.path == "extra/more.txt");
  REQUIRE(findings->dependencies.at(3).via);
  CHECK(findings->dependencies.at(3).via->path == "requirements.txt");
  CHECK(findings->dependencies.at(3).via->line == 4);
  CHECK(findings->dependencies.at(5).origin.path == "docs/requirements.txt");
  CHECK(findings->dependencies.at(5).via->line == 6);
}

TEST_CASE("dockerfile: files outside the build context are never read", "[init]") {
  TempDir outside;
  write(outside / "secret.txt", "not-a-requirement!\n");
  write(outside / "context/requirements.txt", "-r ../secret.txt\n");
  std::filesystem::create_directory_symlink(outside.path(), outside / "context/link");
  auto findings = read_dockerfile(
      "FROM a:1\nRUN pip install -r ../secret.txt -r link/secret.txt -r requirements.txt\n",
      "Dockerfile", outside / "context", ecosystems::all());
  REQUIRE(findings);
  CHECK(described(*findings) ==
        std::vector<std::string>{
            "oci a 1 @1", "? Dockerfile:2: -r ../secret.txt: no such file in the build context",
            "? Dockerfile:2: -r link/secret.txt: no such file in the build context",
            "? requirements.txt:1: -r ../secret.txt: no such file in the build context"});
}

TEST_CASE("dockerfile: package.json for npm ci", "[init]") {
  TempDir context;
  write(context / "web/package.json",
        "{\n  \"dependencies\": {\"express\": \"^4.18.2\", \"lib\": \"file:../lib\"},\n"
        "  \"devDependencies\": {\"jest\": \"^29\"}\n}\n");
  auto findings = read_dockerfile(
      "FROM node:20\nWORKDIR /srv\nCOPY web/package*.json ./\n"
      "RUN npm ci --omit=dev\nRUN npm install\n",
      "Dockerfile", context.path(), ecosystems::all());
  REQUIRE(findings);
  CHECK(described(*findings) ==
        std::vector<std::string>{
            "oci node 20 @1", "npm express ^4.18.2 @2", "npm express ^4.18.2 @2",
            "npm jest ^29 (devDependencies) @3",
            "? web/package.json:2: lib: \"file:../lib\" is a path, URL, alias or git repository, "
            "not a version range",
            "? web/package.json:2: lib: \"file:../lib\" is a path, URL, alias or git repository, "
            "not a version range"});
  write(context / "web/package.json", "{\n  \"dependencies\": {\n    \"x\": 1,,\n}\n");
  findings = read_dockerfile("FROM node:20\nCOPY web/package.json .\nRUN npm ci\n", "Dockerfile",
                             context.path(), ecosystems::all());
  REQUIRE(findings);
  CHECK(described(*findings) ==
        std::vector<std::string>{
            "oci node 20 @1",
            "? web/package.json:3: package.json is not valid JSON; its dependencies are not read"});
}

TEST_CASE("dockerfile: errors are located", "[init]") {
  CHECK(error_of("# just a comment\n") ==
        "Dockerfile:1:1: no FROM instruction: a Dockerfile starts with FROM (or ARG, then FROM)\n"
        "  # just a comment\n  ^");
  CHECK(error_of("ARG X=1\nRUN echo\nFROM a\n") ==
        "Dockerfile:2:1: RUN before the first FROM (only ARG may come before it)\n  RUN echo\n  ^");
  CHECK(error_of("FROM a\nENV A=${B\n") ==
        "Dockerfile:2:7: missing '}' in '${B'\n  ENV A=${B\n        ^");
  CHECK(error_of("FROM a\nARG 1X=2\n") ==
        "Dockerfile:2:5: invalid ARG '1X=2' (expected NAME or NAME=default)\n  ARG 1X=2\n      ^");
  CHECK(error_of("FROM a\nENV A=1 B\n") ==
        "Dockerfile:2:9: ENV expects NAME=value, not 'B'\n  ENV A=1 B\n          ^");
  CHECK(error_of("FROM --platform=x\n") ==
        "Dockerfile:1:1: FROM needs an image\n  FROM --platform=x\n  ^");
}
