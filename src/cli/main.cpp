#include "cli/main.hpp"

namespace driftlock::cli {

int main(int, char**) { return 0; }

}  // namespace driftlock::cli
