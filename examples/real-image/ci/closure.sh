#!/usr/bin/env bash
# [closure] pypi = "./ci/closure.sh": lists what pip installed into the
# candidate's image, as `pip inspect` prints it, so the snapshot pins the
# whole closure (the packages the manifest names and what they pulled in)
# and reports say through which named package each came (requires_dist).
# Only pip's own folder (/usr/local/...): Debian's python3-* packages belong
# to the base image, which driftlock follows by digest.
# driftlock runs it after a candidate passes, with the candidate's
# environment (DRIFTLOCK_IMAGE_TAG is its image); standard output is the
# listing, everything else goes to stderr (driftlock's closure log).
set -euo pipefail

: "${DRIFTLOCK_IMAGE_TAG:?set by driftlock: the image of the candidate}"
container="$(buildah from --pull=never -q "$DRIFTLOCK_IMAGE_TAG")"
trap 'buildah rm "$container" >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC2016 # expanded inside the image
# One JSON document: the first (only) such folder.
buildah run --isolation chroot "$container" -- sh -c '
  for dir in /usr/local/lib/python3*/dist-packages; do
    [ -d "$dir" ] || continue
    exec python3 -m pip inspect --disable-pip-version-check --path "$dir"
  done
  echo "{\"version\": \"1\", \"installed\": []}"'
