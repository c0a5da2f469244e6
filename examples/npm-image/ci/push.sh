#!/usr/bin/env bash
# The image's push command (driftlock.toml [commands] push), run only for the
# candidate driftlock ships. A real image would run
#   buildah push "$DRIFTLOCK_IMAGE_TAG" docker://REGISTRY/npm-image:latest
# here; this example records the push instead: a line in pushed.log and a
# copy of the shipped candidate's lock in pushed/<id>.lock.json.
set -euo pipefail

: "${DRIFTLOCK_CANDIDATE_DIR:?set by driftlock}"
: "${DRIFTLOCK_CANDIDATE_ID:?set by driftlock}"
[[ "$DRIFTLOCK_CANDIDATE_ID" =~ ^[A-Za-z0-9_-]+$ ]] || {
  echo "push.sh: unexpected DRIFTLOCK_CANDIDATE_ID '$DRIFTLOCK_CANDIDATE_ID'" >&2
  exit 2
}
mkdir -p pushed
cp "$DRIFTLOCK_CANDIDATE_DIR/lock.json" "pushed/$DRIFTLOCK_CANDIDATE_ID.lock.json"
echo "$DRIFTLOCK_CANDIDATE_ID" >>pushed.log
echo "push.sh: pushed $DRIFTLOCK_CANDIDATE_ID"
