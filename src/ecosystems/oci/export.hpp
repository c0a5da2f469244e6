// The oci export, oci.env (and the same lines as build-args.env, for
// `buildah bud --build-arg-file`): one KEY=name@sha256:… line per image,
// sorted by KEY, where KEY is the manifest's env key for the image.
// Also DRIFTLOCK_OCI_<KEY>=name@sha256:… variables (the contract's names).
#pragma once

#include "core/exporter.hpp"

namespace driftlock::ecosystems::oci {

const Exporter& exporter();

}  // namespace driftlock::ecosystems::oci
