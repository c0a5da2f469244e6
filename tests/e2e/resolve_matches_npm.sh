#!/usr/bin/env bash
# End-to-end: `driftlock resolve` must pick, for every npm dependency, the
# highest version that `npm view NAME@RANGE version` lists, against a real npm
# registry (Verdaccio on loopback, started here). Also: with the registry
# stopped, resolve exits 3 and writes no lock file.
#   DRIFTLOCK=path/to/driftlock tests/e2e/resolve_matches_npm.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
verdaccio_dir="$repo/tools/verdaccio"
driftlock="${DRIFTLOCK:-$repo/build/driftlock}"

fail() {
  echo "resolve_matches_npm: $*" >&2
  exit 1
}

[ -x "$driftlock" ] || fail "no driftlock binary at '$driftlock' (set DRIFTLOCK)"
# Not a skip: CI installs Verdaccio, so its absence is a broken setup.
[ -x "$verdaccio_dir/node_modules/.bin/verdaccio" ] ||
  fail "Verdaccio is not installed; run tools/install-deps (it calls tools/verdaccio/install)"
for tool in node npm jq curl python3; do
  command -v "$tool" >/dev/null || fail "'$tool' is missing; run tools/install-deps"
done

work="$(mktemp -d)"
state="$work/verdaccio"
stop_registry() {
  [ -f "$state/pid" ] || return 0
  local pid
  pid="$(cat "$state/pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  rm -f "$state/pid"
}
cleanup() {
  # Background `npm view`s, if a signal came while they ran.
  local pids
  mapfile -t pids < <(jobs -p)
  [ "${#pids[@]}" -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
  stop_registry
  rm -rf "$work"
}
trap cleanup EXIT
# A signal (ctest's timeout, ^C) ends through the EXIT trap too.
trap 'exit 130' INT
trap 'exit 143' TERM

url="$("$verdaccio_dir/serve" "$state" 0)"
"$verdaccio_dir/publish-fixtures" "$url"

# npm gets a private config: never the user's ~/.npmrc or ~/.npm cache.
rc="$work/npmrc"
printf 'registry=%s/\ncache=%s\nupdate-notifier=false\n' "$url" "$work/npm-cache" >"$rc"

# NAME|RANGE. The n-th range of a name goes into manifest n, since a name
# appears once per manifest. Every fixture except dl-deprecated (checked below).
cases=(
  "dl-alpha|*" "dl-alpha|^1" "dl-alpha|>=1.0.0 <2"
  "dl-beta|*" "dl-beta|2.0.0-beta.1" "dl-beta|>=2.0.0-beta.1"
  "@dl/scoped|^0.2" "@dl/scoped|*" "@dl/scoped|~0.1"
  "@dl/tools|^1" "@dl/tools|1.x" "@dl/tools|>1.0.0 <=3.0.0"
  "dl-zero|^0.1" "dl-zero|~0.1.0" "dl-zero|0.x"
  "dl-zerozero|^0.0.2" "dl-zerozero|^0.0" "dl-zerozero|0.0.1 - 0.0.2"
  "dl-tilde|~1.1.0" "dl-tilde|~1.2" "dl-tilde|~1"
  "dl-multi|^1" "dl-multi|*" "dl-multi|<10"
  "dl-gamma|^1.0.0" "dl-gamma|1.1.0-beta.0" "dl-gamma|>=1.0.1-alpha.1 <1.0.1"
  "dl-backport|^1" "dl-backport|*" "dl-backport|=1.0.0"
  "dl-many|<1.0.10" "dl-many|1.0.x || 2.0.0 - 2.0.1" "dl-many|~1.0.5"
)
# dl-deprecated has 1.0.0 and 1.1.0, and 1.1.0 is deprecated. npm view still
# lists 1.1.0, but driftlock's policy excludes deprecated releases, so the
# expected pick is hard-coded: 1.0.0 for each of these ranges.
deprecated_cases=("dl-deprecated|*" "dl-deprecated|^1.0")
deprecated_expect="1.0.0"

# Assign each case to a manifest.
declare -A seen=()
manifest_of=()
all_cases=("${cases[@]}" "${deprecated_cases[@]}")
manifests=0
for entry in "${all_cases[@]}"; do
  name="${entry%%|*}"
  n=$((${seen[$name]:-0} + 1))
  seen[$name]=$n
  manifest_of+=("$n")
  ((n > manifests)) && manifests=$n
done

for ((m = 1; m <= manifests; m++)); do
  dir="$work/m$m"
  mkdir -p "$dir"
  {
    echo "image = \"e2e-resolve-$m\""
    echo "snapshot = \"snapshots/e2e-resolve-$m.lock.json\""
    echo
    echo "[policy]"
    echo "prereleases = false"
    echo
    echo "[registries]"
    echo "npm = \"$url\""
    echo
    echo "[dependencies.npm]"
    for i in "${!all_cases[@]}"; do
      [ "${manifest_of[$i]}" -eq "$m" ] || continue
      entry="${all_cases[$i]}"
      echo "\"${entry%%|*}\" = \"${entry#*|}\""
    done
  } >"$dir/driftlock.toml"
done

# npm's answers, a few at a time (each npm start-up takes most of a second).
mkdir -p "$work/npm"
for i in "${!cases[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge 4 ]; do wait -n || true; done
  entry="${cases[$i]}"
  npm view "${entry%%|*}@${entry#*|}" version --json --userconfig "$rc" --registry "$url/" \
    >"$work/npm/$i.json" 2>"$work/npm/$i.err" &
done
wait || true
# `--json` gives one string for one match, an array for several (in no
# promised order): keep the highest by npm's own semver. No match: "none".
# shellcheck disable=SC2016 # JavaScript template strings, not shell
node -e '
  const fs = require("fs");
  const semver = require(require.resolve("semver", { paths: [process.argv[1]] }));
  for (let i = 0; i < Number(process.argv[3]); i++) {
    const base = `${process.argv[2]}/${i}`;
    let pick = "none";
    try {
      const text = fs.readFileSync(`${base}.json`, "utf8").trim();
      const found = text ? JSON.parse(text) : [];
      const list = (Array.isArray(found) ? found : [found]).filter((v) => semver.valid(v));
      if (list.length) pick = list.sort(semver.compare).pop();
    } catch (e) {
      fs.appendFileSync(`${base}.err`, String(e) + "\n");
      pick = "error";
    }
    fs.writeFileSync(`${base}.pick`, pick + "\n");
  }' "$verdaccio_dir" "$work/npm" "${#cases[@]}"

# driftlock's answers.
for ((m = 1; m <= manifests; m++)); do
  dir="$work/m$m"
  status=0
  timeout 300 "$driftlock" resolve -m "$dir/driftlock.toml" -o "$dir/out.lock.json" \
    >"$dir/resolve.out" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    cat "$dir/driftlock.toml" "$dir/resolve.out" >&2
    fail "driftlock resolve exited $status for manifest $m (shown above)"
  fi
  jq -r '.dependencies[] | select(.ecosystem == "npm") | "\(.name)\t\(.version)"' \
    "$dir/out.lock.json" >"$dir/picks.tsv"
done

driftlock_pick() { # MANIFEST NAME
  awk -F'\t' -v n="$2" '$1 == n { print $2; found = 1 } END { if (!found) print "missing" }' \
    "$work/m$1/picks.tsv"
}

passed=0
failed=0
row='%-3s %-14s %-28s %-14s %-24s %s\n'
# shellcheck disable=SC2059 # the format is the fixed one above
printf "$row" "m" "name" "range" "driftlock" "expected" ""
for i in "${!all_cases[@]}"; do
  entry="${all_cases[$i]}"
  name="${entry%%|*}"
  m="${manifest_of[$i]}"
  got="$(driftlock_pick "$m" "$name")"
  if ((i < ${#cases[@]})); then
    want="$(cat "$work/npm/$i.pick")"
    source="npm"
  else
    want="$deprecated_expect"
    source="policy"
  fi
  if [ "$got" = "$want" ] && [ "$want" != "none" ] && [ "$want" != "error" ]; then
    passed=$((passed + 1))
    mark="ok"
  else
    failed=$((failed + 1))
    mark="MISMATCH"
  fi
  # shellcheck disable=SC2059
  printf "$row" "$m" "$name" "\"${entry#*|}\"" "$got" "$want ($source)" "$mark"
  if [ "$mark" != "ok" ] && [ "$source" = "npm" ] && [ -s "$work/npm/$i.err" ]; then
    sed 's/^/    npm: /' "$work/npm/$i.err"
  fi
done

# Every dependency of every manifest is in its lock, and nothing else.
for ((m = 1; m <= manifests; m++)); do
  want_count="$(grep -c '^"' "$work/m$m/driftlock.toml")"
  got_count="$(wc -l <"$work/m$m/picks.tsv")"
  if [ "$want_count" -ne "$got_count" ]; then
    echo "manifest $m: $want_count dependencies but $got_count in the lock" >&2
    failed=$((failed + 1))
  fi
done

# Registry down: a host failure (exit 3), and no lock written. A fresh
# manifest folder, so no cached answer can stand in for the registry.
stop_registry
outage="$work/outage"
mkdir -p "$outage"
cp "$work/m1/driftlock.toml" "$outage/driftlock.toml"
status=0
timeout 300 "$driftlock" resolve -m "$outage/driftlock.toml" -o "$outage/out.lock.json" \
  >"$outage/resolve.out" 2>&1 || status=$?
if [ "$status" -eq 3 ] && [ ! -e "$outage/out.lock.json" ]; then
  passed=$((passed + 1))
  echo "registry stopped: exit 3, no lock written: ok"
else
  failed=$((failed + 1))
  echo "registry stopped: MISMATCH: exit $status (want 3), lock file $([ -e "$outage/out.lock.json" ] && echo written || echo 'not written')" >&2
  sed 's/^/    driftlock: /' "$outage/resolve.out" >&2
fi

echo "resolve_matches_npm: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
