// A PyPI JSON API project document, as the datasource reads it.
#include "ecosystems/pypi/datasource.hpp"
#include "ecosystems/pypi/project_reader.hpp"
#include "fuzz_input.hpp"

using namespace driftlock;
namespace pypi = driftlock::ecosystems::pypi;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto body = fuzz::as_text(data, size);
  (void)pypi::parse_project_document("requests", body, "https://pypi.org/pypi/requests/json");
  const auto reading = pypi::read_project("requests", body);
  // nlohmann counts bytes from 1 and points past the end of a truncated body.
  fuzz::check(reading.error_byte <= body.size() + 1);
  return 0;
}
