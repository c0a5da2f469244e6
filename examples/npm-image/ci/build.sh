#!/usr/bin/env bash
# The image's build command (driftlock.toml [commands] build). A stand-in for
# `buildah bud`: installs exactly the candidate's npm pins into
# work/<candidate id>/node_modules, the "image" that ci/test.sh tests.
# driftlock sets DRIFTLOCK_CANDIDATE_DIR and DRIFTLOCK_CANDIDATE_ID; the
# registry is npm's own NPM_CONFIG_REGISTRY, the one driftlock resolved from.
set -euo pipefail

: "${DRIFTLOCK_CANDIDATE_DIR:?set by driftlock}"
: "${DRIFTLOCK_CANDIDATE_ID:?set by driftlock}"
# The id names a folder: refuse anything that could leave work/.
[[ "$DRIFTLOCK_CANDIDATE_ID" =~ ^[A-Za-z0-9_-]+$ ]] || {
  echo "build.sh: unexpected DRIFTLOCK_CANDIDATE_ID '$DRIFTLOCK_CANDIDATE_ID'" >&2
  exit 2
}
# The e2e-* packages are demo fixtures that exist only on the loopback
# registry tools/demo starts; installing same-named packages from anywhere
# else would run strangers' code.
registry="${NPM_CONFIG_REGISTRY:-${npm_config_registry:-}}"
registry="${registry%/}"
[[ "$registry" =~ ^http://(127\.0\.0\.1|localhost):[0-9]+$ ]] || {
  echo "build.sh: NPM_CONFIG_REGISTRY must be a loopback registry such as http://127.0.0.1:4873 (tools/demo starts one), got '$registry'" >&2
  exit 2
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="work/$DRIFTLOCK_CANDIDATE_ID"
rm -rf "$dir"
mkdir -p "$dir"

# package.json is written by node from npm-pins.json: registry data is never
# evaluated by the shell.
node "$here/make-package-json.js" "$DRIFTLOCK_CANDIDATE_DIR/npm-pins.json" "$dir/package.json"

# A private npm config and cache (shared by parallel builds, which npm's cache
# allows), so neither ~/.npmrc nor ~/.npm is read or written.
cache="$PWD/work/.npm-cache"
rc="$dir/.npmrc-build"
{
  echo "cache=$cache"
  echo "update-notifier=false"
} >"$rc"

# --prefer-online: a release published since the last build must be seen even
# if npm cached the package's document.
cd "$dir"
npm install --registry "$registry/" --userconfig "$PWD/.npmrc-build" \
  --no-audit --no-fund --no-package-lock --prefer-online --loglevel=error
echo "build.sh: installed $(node -p 'Object.keys(require("./package.json").dependencies).length') packages in $dir"
