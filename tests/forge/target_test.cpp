// --comment TARGET: the three forms, and the exact usage error for the rest.
#include <catch2/catch.hpp>

#include "forge/target.hpp"

using namespace driftlock;
using namespace driftlock::forge;

TEST_CASE("comment targets name a forge, a project and a thread", "[forge]") {
  struct Case {
    std::string text;
    Forge forge;
    std::string project;
    ThreadKind kind;
    std::uint64_t number;
  };
  const Case cases[] = {
      {"github:octo/hello#5", Forge::github, "octo/hello", ThreadKind::issue, 5},
      {"github:my-org/.github#12", Forge::github, "my-org/.github", ThreadKind::issue, 12},
      {"gitlab:group/project#3", Forge::gitlab, "group/project", ThreadKind::issue, 3},
      {"gitlab:a/b/c!42", Forge::gitlab, "a/b/c", ThreadKind::merge_request, 42},
      {"gitlab:my_group/sub.group/ci-images!7", Forge::gitlab, "my_group/sub.group/ci-images",
       ThreadKind::merge_request, 7},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto target = parse_target(c.text);
    REQUIRE(target.has_value());
    CHECK(target->forge == c.forge);
    CHECK(target->project == c.project);
    CHECK(target->kind == c.kind);
    CHECK(target->number == c.number);
    CHECK(to_string(*target) == c.text);
  }
}

TEST_CASE("a malformed comment target is a usage error saying what is wrong", "[forge]") {
  const std::string forms =
      "; expected github:OWNER/REPO#N, gitlab:GROUP/PROJECT#N or gitlab:GROUP/PROJECT!N";
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"", "--comment '': no forge ('github:' or 'gitlab:')"},
      {"octo/hello#5", "--comment 'octo/hello#5': no forge ('github:' or 'gitlab:')"},
      {"githb:octo/hello#5",
       "--comment 'githb:octo/hello#5': unknown forge 'githb' (did you mean 'github'?)"},
      {"github:octo/hello",
       "--comment 'github:octo/hello': no '#N' (issue or pull request number) at the end"},
      {"gitlab:group/project",
       "--comment 'gitlab:group/project': no '#N' (issue) or '!N' (merge request) at the end"},
      {"github:octo/hello!5",
       "--comment 'github:octo/hello!5': GitHub pull requests are '#N', not '!N'"},
      {"github:octo/hello#", "--comment 'github:octo/hello#': '' is not a number above 0"},
      {"github:octo/hello#0", "--comment 'github:octo/hello#0': '0' is not a number above 0"},
      {"github:octo/hello#-1", "--comment 'github:octo/hello#-1': '-1' is not a number above 0"},
      {"github:octo/hello#5x", "--comment 'github:octo/hello#5x': '5x' is not a number above 0"},
      {"github:octo/hello#99999999999999999999",
       "--comment 'github:octo/hello#99999999999999999999': '99999999999999999999' is not a "
       "number above 0"},
      {"github:hello#5", "--comment 'github:hello#5': 'hello' is not OWNER/REPO"},
      {"github:a/b/c#5", "--comment 'github:a/b/c#5': 'a/b/c' is not OWNER/REPO"},
      {"gitlab:project#5", "--comment 'gitlab:project#5': 'project' is not GROUP/PROJECT"},
      {"gitlab:group//project!5",
       "--comment 'gitlab:group//project!5': 'group//project' is not a project path (letters, "
       "digits, '.', '_' and '-' between slashes)"},
      {"github:octo/../x#5", "--comment 'github:octo/../x#5': 'octo/../x' is not OWNER/REPO"},
      {"github:octo/..#5",
       "--comment 'github:octo/..#5': 'octo/..' is not a project path (letters, digits, '.', "
       "'_' and '-' between slashes)"},
      {"github:octo/hel lo#5",
       "--comment 'github:octo/hel lo#5': 'octo/hel lo' is not a project path (letters, "
       "digits, '.', '_' and '-' between slashes)"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto target = parse_target(c.text);
    REQUIRE_FALSE(target.has_value());
    CHECK(target.error().kind == ErrorKind::usage);
    CHECK(target.error().message == c.message + forms);
  }
}
