#include "cli/main.hpp"

int main(int argc, char** argv) {
  return driftlock::cli::main(argc, argv);
}
