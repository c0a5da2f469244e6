#include "ecosystems/pypi/project_reader.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace driftlock::ecosystems::pypi;

// Found by fuzz/targets/pypi_document.cpp (with libstdc++'s assertions): a
// bare string or boolean as the whole document read past an empty stack.
// The datasource never gets here with these (its JSON check comes first).
TEST_CASE("PyPI project reader: a scalar document is not a JSON object", "[pypi][project_reader]") {
  for (const std::string body : {R"("x")", "true", "false", "null", "1"}) {
    CAPTURE(body);
    const ProjectReading reading = read_project("p", body);
    CHECK(reading.problem == "not a JSON object");
    CHECK_FALSE(reading.malformed);
  }
}
