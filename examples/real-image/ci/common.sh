# shellcheck shell=bash
# Sourced by ci/build.sh, ci/test.sh and ci/push.sh (which set `script` to
# their name first): checks the variables driftlock sets for a candidate and
# reads the registries from the manifest (ci/settings.py) into IMAGE,
# REGISTRY, APT_URL, APT_SUITE, APT_COMPONENTS and PIP_INDEX.
# Input errors exit 2.

: "${script:?set by the sourcing script}"
ci_fail() {
  echo "$script: $*" >&2
  exit 2
}

# The candidate, as driftlock describes it. The values end up in file
# names, mounts and image references, so each must match a strict pattern.
: "${DRIFTLOCK_CANDIDATE_DIR:?set by driftlock}"
: "${DRIFTLOCK_CANDIDATE_ID:?set by driftlock}"
: "${DRIFTLOCK_IMAGE_TAG:?set by driftlock}"
[[ "$DRIFTLOCK_CANDIDATE_ID" =~ ^[A-Za-z0-9_-]+$ ]] ||
  ci_fail "unexpected DRIFTLOCK_CANDIDATE_ID '$DRIFTLOCK_CANDIDATE_ID'"
[[ "$DRIFTLOCK_IMAGE_TAG" =~ ^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] ||
  ci_fail "unexpected DRIFTLOCK_IMAGE_TAG '$DRIFTLOCK_IMAGE_TAG'"
[[ "$DRIFTLOCK_CANDIDATE_DIR" = /* && "$DRIFTLOCK_CANDIDATE_DIR" != *:* && -d "$DRIFTLOCK_CANDIDATE_DIR" ]] ||
  ci_fail "DRIFTLOCK_CANDIDATE_DIR '$DRIFTLOCK_CANDIDATE_DIR' is not an absolute folder without ':'"

ci_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ci_settings="$(python3 "$ci_here/settings.py")" || exit 2
# The settings are read by the scripts that source this file.
# shellcheck disable=SC2034
IMAGE="" REGISTRY="" APT_URL="" APT_SUITE="" APT_COMPONENTS="" PIP_INDEX=""
# shellcheck disable=SC2034
while IFS='=' read -r key value; do
  case "$key" in
    IMAGE) IMAGE="$value" ;;
    REGISTRY) REGISTRY="$value" ;;
    APT_URL) APT_URL="$value" ;;
    APT_SUITE) APT_SUITE="$value" ;;
    APT_COMPONENTS) APT_COMPONENTS="$value" ;;
    PIP_INDEX) PIP_INDEX="$value" ;;
    *) ci_fail "unexpected setting '$key'" ;;
  esac
done <<<"$ci_settings"
