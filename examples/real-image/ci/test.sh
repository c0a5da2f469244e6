#!/usr/bin/env bash
# The image's test command (driftlock.toml [commands] test): runs
# image/test-image inside a container of the candidate's image
# (`buildah from` + `buildah run`, chroot isolation), with the candidate's
# pins mounted at /pins. It checks that every pin is installed at its version,
# that the base image has the tools the image needs, and that the libraries
# work, and writes JUnit XML to $DRIFTLOCK_WORK_DIR/junit/real-image.xml
# (the probe's private folder; a temporary folder when driftlock does not set
# it). Exit 1 fails the candidate; driftlock then searches for the culprit.
set -euo pipefail

script=test.sh
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=examples/real-image/ci/common.sh
source "$here/common.sh"

out="${DRIFTLOCK_WORK_DIR:-}"
if [ -z "$out" ]; then
  out="$(mktemp -d)"
  echo "test.sh: DRIFTLOCK_WORK_DIR is not set; JUnit XML goes to $out/junit" >&2
fi
[[ "$out" = /* && "$out" != *:* ]] || ci_fail "DRIFTLOCK_WORK_DIR '$out' is not an absolute path without ':'"
mkdir -p "$out/junit"

container="$(buildah from --pull=never -q "$DRIFTLOCK_IMAGE_TAG")"
remove_container() { buildah rm "$container" >/dev/null 2>&1 || true; }
trap remove_container EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

status=0
buildah run --isolation chroot -v "$out/junit:/out" -v "$DRIFTLOCK_CANDIDATE_DIR:/pins:ro" \
  "$container" -- python3 /opt/real-image/test-image /pins /out/real-image.xml \
  2>&1 | tee "$out/test-image.log" || status=$?
[ -s "$out/junit/real-image.xml" ] || echo "test.sh: no JUnit report was written" >&2
# The last line is what driftlock quotes when it holds a culprit back.
if [ "$status" -ne 0 ]; then
  failing="$(sed -n 's/^FAIL //p' "$out/test-image.log" | paste -sd ';' -)"
  echo "test.sh: exit $status${failing:+; failing: $failing}"
fi
exit "$status"
