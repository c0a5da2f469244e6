// JUnit XML reports, as the judge reads a candidate's test results.
#include "candidate/junit.hpp"
#include "fuzz_input.hpp"

using namespace driftlock;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto results = candidate::parse_junit(fuzz::as_text(data, size), "report.xml");
  if (results) {
    (void)candidate::compare_tests(*results, {});
    (void)candidate::compare_tests({}, *results);
  } else {
    (void)candidate::one_line(results.error());
  }
  return 0;
}
