// The command-line entry point: dispatch, the one top-level error handler, exit codes.
#pragma once

namespace driftlock::cli {

int main(int argc, char** argv);

}  // namespace driftlock::cli
