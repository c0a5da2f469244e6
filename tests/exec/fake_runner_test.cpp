#include "exec/fake_runner.hpp"

#include <signal.h>

#include <catch2/catch.hpp>

using namespace driftlock;
using namespace driftlock::exec;

TEST_CASE("fake runner records requests and answers from its script", "[exec][fake]") {
  FakeRunner quiet;
  RunRequest r;
  r.command = "make";
  r.env = {{"A", "1"}, {"B", "2"}};
  auto answer = quiet.run(r);
  REQUIRE(answer);
  CHECK(answer->exit_code == 0);
  CHECK(quiet.requests().size() == 1);
  CHECK(quiet.env(0, "B") == "2");
  CHECK(quiet.env(0, "C") == "");
  CHECK(quiet.env(5, "A") == "");

  FakeRunner scripted([&](const RunRequest& request) -> Result<RunResult> {
    if (request.command == "boom") return fail(ErrorKind::infrastructure, "no fork");
    if (request.command == "slow") return timed_out();
    return exited(7, {"seven"});
  });
  auto failed = scripted.run(RunRequest{"boom", {}, {}, {}, {}, {}, {}, 50});
  REQUIRE(!failed);
  CHECK(failed.error().message == "no fork");
  auto slow = scripted.run(RunRequest{"slow", {}, {}, {}, {}, {}, {}, 50});
  REQUIRE(slow);
  CHECK(slow->timed_out);
  CHECK(slow->signal == SIGTERM);
  auto seven = scripted.run(RunRequest{"x", {}, {}, {}, {}, {}, {}, 50});
  REQUIRE(seven);
  CHECK(seven->exit_code == 7);
  CHECK(seven->tail == std::vector<std::string>{"seven"});
  REQUIRE(scripted.requests().size() == 3);
  CHECK(scripted.requests()[2].command == "x");
}
