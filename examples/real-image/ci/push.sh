#!/usr/bin/env bash
# The image's push command (driftlock.toml [commands] push), run only for the
# candidate driftlock ships: pushes it as REGISTRY/IMAGE:latest, REGISTRY
# being the base image's registry in the manifest (a loopback one). For the
# tests it also records the push: "<candidate id> <digest>" appended to
# pushed.log and the candidate's lock copied to pushed/<id>.lock.json.
set -euo pipefail

script=push.sh
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=examples/real-image/ci/common.sh
source "$here/common.sh"

destination="$REGISTRY/$IMAGE:latest"
digestfile="$(mktemp)"
trap 'rm -f "$digestfile"' EXIT
buildah push --tls-verify=false --digestfile "$digestfile" "$DRIFTLOCK_IMAGE_TAG" "docker://$destination"
digest="$(cat "$digestfile")"
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || {
  echo "push.sh: buildah reported no digest" >&2
  exit 1
}
mkdir -p pushed
cp "$DRIFTLOCK_CANDIDATE_DIR/lock.json" "pushed/$DRIFTLOCK_CANDIDATE_ID.lock.json"
echo "$DRIFTLOCK_CANDIDATE_ID $digest" >>pushed.log
echo "push.sh: pushed $DRIFTLOCK_IMAGE_TAG to $destination ($digest)"
