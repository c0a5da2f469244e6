#!/usr/bin/env bash
# The e2e image's build command (driftlock.toml [commands] build): installs
# exactly the candidate's npm pins into work/<candidate id>/node_modules.
# Reads DRIFTLOCK_CANDIDATE_DIR and DRIFTLOCK_CANDIDATE_ID from driftlock, and
# E2E_REGISTRY (the loopback registry URL) and E2E_NPM_CACHE from the test.
set -euo pipefail

: "${DRIFTLOCK_CANDIDATE_DIR:?set by driftlock}"
: "${DRIFTLOCK_CANDIDATE_ID:?set by driftlock}"
: "${E2E_REGISTRY:?set by the test: the loopback npm registry URL}"
# The id names a folder: refuse anything that could leave work/.
[[ "$DRIFTLOCK_CANDIDATE_ID" =~ ^[A-Za-z0-9_-]+$ ]] || {
  echo "build.sh: unexpected DRIFTLOCK_CANDIDATE_ID '$DRIFTLOCK_CANDIDATE_ID'" >&2
  exit 2
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="work/$DRIFTLOCK_CANDIDATE_ID"
rm -rf "$dir"
mkdir -p "$dir"

# package.json from npm-pins.json by node: registry data is never evaluated
# by the shell.
node "$here/make-package-json.js" "$DRIFTLOCK_CANDIDATE_DIR/npm-pins.json" "$dir/package.json"

# A private npm config: only the loopback registry, never ~/.npmrc. The cache
# may be shared by parallel builds (npm's cache allows that).
rc="$dir/.npmrc-e2e"
{
  echo "registry=${E2E_REGISTRY%/}/"
  echo "cache=${E2E_NPM_CACHE:-$PWD/work/.npm-cache}"
  echo "update-notifier=false"
} >"$rc"

# --prefer-online: a release published since the last build must be seen even
# if npm cached the package's document.
cd "$dir"
npm install --registry "${E2E_REGISTRY%/}/" --userconfig "$PWD/.npmrc-e2e" \
  --no-audit --no-fund --no-package-lock --prefer-online --loglevel=error
echo "build.sh: installed $(node -p 'Object.keys(require("./package.json").dependencies).length') packages in $dir"
