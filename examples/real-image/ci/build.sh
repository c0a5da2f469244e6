#!/usr/bin/env bash
# The image's build command (driftlock.toml [commands] build):
#   buildah bud --isolation chroot --timestamp 0 -t "$DRIFTLOCK_IMAGE_TAG"
#     --build-arg BASE="$DRIFTLOCK_OCI_BASE" -v "$DRIFTLOCK_CANDIDATE_DIR:/pins:ro" .
# The Containerfile's RUN step (image/install-pins) installs exactly the
# candidate's apt-pins.txt and constraints.txt from the registries of the
# manifest (ci/settings.py), the ones driftlock resolved from.
# Exit: 0 built; 125 apt or pip say the pinned set cannot be installed
# together ("unresolved"); 75 buildah itself failed (it reports its own
# errors, e.g. an unreachable registry, as 125, which must not read as
# "unresolved"; the manifest's error-exit = 75 makes it an infrastructure
# error that is never blamed on a dependency); 2 bad input; any other status
# is the failing step's.
# Storage and registries.conf are buildah's own settings from the
# environment (tools/e2e/lib.sh's e2e_buildah_env exports them).
set -euo pipefail

script=build.sh
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=examples/real-image/ci/common.sh
source "$here/common.sh"

: "${DRIFTLOCK_OCI_BASE:?set by driftlock (the [dependencies.oci] base image, key BASE)}"
[[ "$DRIFTLOCK_OCI_BASE" =~ ^([^/]+)/[a-z0-9]+([._/-][a-z0-9]+)*@sha256:[0-9a-f]{64}$ ]] ||
  ci_fail "DRIFTLOCK_OCI_BASE '$DRIFTLOCK_OCI_BASE' is not REGISTRY/NAME@sha256:DIGEST"
[ "${BASH_REMATCH[1]}" = "$REGISTRY" ] ||
  ci_fail "the base image '$DRIFTLOCK_OCI_BASE' is not on the manifest's registry $REGISTRY"

# install-pins' exit status for "apt or pip cannot install this set together".
unresolved_in_image=86

status=0
# --http-proxy=false: a proxy from the environment must not see loopback URLs.
# --tls-verify=false: the registry is a plain-http loopback one (checked above).
buildah bud --isolation chroot --timestamp 0 --http-proxy=false --tls-verify=false \
  -f "$here/../Containerfile" -t "$DRIFTLOCK_IMAGE_TAG" \
  --build-arg "BASE=$DRIFTLOCK_OCI_BASE" \
  --build-arg "APT_URL=$APT_URL" --build-arg "APT_SUITE=$APT_SUITE" \
  --build-arg "APT_COMPONENTS=$APT_COMPONENTS" --build-arg "PIP_INDEX=$PIP_INDEX" \
  -v "$DRIFTLOCK_CANDIDATE_DIR:/pins:ro" \
  "$here/.." || status=$?

case "$status" in
  0) echo "build.sh: built $DRIFTLOCK_IMAGE_TAG" ;;
  "$unresolved_in_image")
    echo "build.sh: unresolved: apt or pip cannot install the candidate's pins together"
    exit 125
    ;;
  125)
    echo "build.sh: buildah failed (exit 125) before or around the build, not because of the pins"
    exit 75
    ;;
  *) echo "build.sh: the build failed with exit status $status" ;;
esac
exit "$status"
