#!/usr/bin/env bash
# The image's test command (driftlock.toml [commands] test): every installed
# package must load, be the pinned version and report ok (see check.js).
# Exit 1 fails the candidate; driftlock then searches for the culprit.
set -euo pipefail

: "${DRIFTLOCK_CANDIDATE_DIR:?set by driftlock}"
: "${DRIFTLOCK_CANDIDATE_ID:?set by driftlock}"
[[ "$DRIFTLOCK_CANDIDATE_ID" =~ ^[A-Za-z0-9_-]+$ ]] || {
  echo "test.sh: unexpected DRIFTLOCK_CANDIDATE_ID '$DRIFTLOCK_CANDIDATE_ID'" >&2
  exit 2
}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec node "$here/check.js" "$DRIFTLOCK_CANDIDATE_DIR/npm-pins.json" "work/$DRIFTLOCK_CANDIDATE_ID"
