#!/usr/bin/env bash
# Side by side, in one run: `npm outdated` and `driftlock resolve` on the same
# set of npm packages from the same loopback Verdaccio. Both answer "what is
# the newest allowed version of each dependency"; npm also reads the
# installed tree. Prints a Markdown table of median wall times and the ratio.
#   tools/bench/npm_outdated_bench.sh [BUILD_DIR=build] [COUNT=40] [VERSIONS=10] [REPEAT=5]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
count="${2:-40}"
versions="${3:-10}"
repeat="${4:-5}"
driftlock="$build/driftlock"
[ -x "$driftlock" ] || { echo "no driftlock binary in $build" >&2; exit 1; }

work="$(mktemp -d)"
cleanup() {
  [ -f "$work/registry/pid" ] && kill "$(cat "$work/registry/pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
url="$("$root/tools/verdaccio/serve" "$work/registry" 0)"
"$root/tools/verdaccio/publish-fixtures" "$url" --count "$count" --versions "$versions" >/dev/null

# A project depending on every package at "^1", installed at 1.0.0 so npm
# has a "current" to compare with.
project="$work/project"
mkdir -p "$project"
printf '//%s/:_authToken=dummy\nregistry=%s/\n' "${url#http://}" "$url" >"$work/npmrc"
cd "$project"
node -e '
  const count = Number(process.argv[1]);
  const deps = {};
  for (let i = 0; i < count; i++) deps["dl-bench-" + String(i).padStart(4, "0")] = "1.0.0";
  require("fs").writeFileSync("package.json", JSON.stringify({name: "bench", version: "1.0.0", private: true, dependencies: deps}, null, 2));
' "$count"
npm install --userconfig "$work/npmrc" --cache "$work/npm-cache" --no-audit --no-fund \
  --no-package-lock --loglevel=error >/dev/null
# Then widen the ranges: npm outdated's "wanted" and driftlock's pick are the
# newest release in "^1".
node -e '
  const p = require("./package.json");
  for (const k of Object.keys(p.dependencies)) p.dependencies[k] = "^1";
  require("fs").writeFileSync("package.json", JSON.stringify(p, null, 2));
'
{
  printf 'image = "bench"\nsnapshot = "snapshots/bench.lock.json"\n\n[registries]\nnpm = "%s"\n\n[dependencies.npm]\n' "$url"
  for ((i = 0; i < count; i++)); do printf 'dl-bench-%04d = "^1"\n' "$i"; done
} >"$project/driftlock.toml"

seconds() { # command... -> wall seconds on stdout
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true  # npm outdated exits 1 when anything is outdated
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f\n", b - a }'
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

npm_cold=() npm_warm=() dl_cold=() dl_warm=()
for ((r = 0; r < repeat; r++)); do
  # Interleaved, so drift in machine load hits both tools alike.
  rm -rf "$work/npm-cache-cold" "$project/.driftlock"
  npm_cold+=("$(seconds npm outdated --userconfig "$work/npmrc" --cache "$work/npm-cache-cold" --prefer-online)")
  dl_cold+=("$(seconds "$driftlock" resolve -m "$project/driftlock.toml")")
  npm_warm+=("$(seconds npm outdated --userconfig "$work/npmrc" --cache "$work/npm-cache-cold" --prefer-online)")
  dl_warm+=("$(seconds "$driftlock" resolve -m "$project/driftlock.toml")")
done

# Both must agree before their times mean anything.
npm outdated --json --userconfig "$work/npmrc" --cache "$work/npm-cache-cold" >"$work/npm.json" 2>/dev/null || true
"$driftlock" resolve -m "$project/driftlock.toml" -o "$work/dl.lock.json" >/dev/null 2>&1
agree=$(node -e '
  const npm = require(process.argv[1]);
  const dl = require(process.argv[2]);
  let same = 0, total = 0;
  for (const d of dl.dependencies) { total++; if (npm[d.name] && npm[d.name].wanted === d.version) same++; }
  console.log(same + "/" + total);
' "$work/npm.json" "$work/dl.lock.json")

m_npm_cold=$(printf '%s\n' "${npm_cold[@]}" | median)
m_npm_warm=$(printf '%s\n' "${npm_warm[@]}" | median)
m_dl_cold=$(printf '%s\n' "${dl_cold[@]}" | median)
m_dl_warm=$(printf '%s\n' "${dl_warm[@]}" | median)
echo "command: tools/bench/npm_outdated_bench.sh $build $count $versions $repeat"
echo "packages: $count with $versions versions each; medians of $repeat interleaved runs; npm $(npm --version), node $(node --version)"
echo "agreement (npm outdated 'wanted' == driftlock's pick): $agree"
echo
echo "| | npm outdated | driftlock resolve | ratio |"
echo "| --- | --- | --- | --- |"
printf '| cold (empty cache) | %.3f s | %.3f s | %.1fx |\n' "$m_npm_cold" "$m_dl_cold" "$(awk -v a="$m_npm_cold" -v b="$m_dl_cold" 'BEGIN { print a / b }')"
printf '| warm (cache kept) | %.3f s | %.3f s | %.1fx |\n' "$m_npm_warm" "$m_dl_warm" "$(awk -v a="$m_npm_warm" -v b="$m_dl_warm" 'BEGIN { print a / b }')"
