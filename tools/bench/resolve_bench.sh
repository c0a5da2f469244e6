#!/usr/bin/env bash
# Benchmarks `driftlock resolve` against tools/bench/fixture_server.cpp on
# loopback: NPM npm and PYPI PyPI names, cold (no state) and warm (the HTTP
# cache in .driftlock/ turns every fetch into a conditional request). Reports
# wall time and peak RSS (/usr/bin/time) and what the server saw (/__stats).
#
# Usage: tools/bench/resolve_bench.sh [BUILD_DIR]      (default: build)
# Environment:
#   BENCH_DIR  work folder, kept afterwards (default: a temp folder, removed)
#   NPM, PYPI  names per ecosystem (default 1000 each)
#   REPEAT     runs per row; the table shows the median wall time and the
#              largest peak RSS (default 3)
#   CHANGED    names per ecosystem that get a new release before each run of
#              the "warm, changed" row (default 100; 0 skips the row)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=$(cd "${1:-$root/build}" && pwd)
dl="$build_dir/driftlock"
npm_count=${NPM:-1000}
pypi_count=${PYPI:-1000}
repeat=${REPEAT:-3}
changed=${CHANGED:-100}

for tool in g++ pkg-config curl jq /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "resolve_bench: $tool is required" >&2; exit 2; }
done
[[ -x $dl ]] || { echo "resolve_bench: no driftlock at $dl" >&2; exit 2; }

if [[ -n ${BENCH_DIR:-} ]]; then
  work=$BENCH_DIR
  mkdir -p "$work"
  remove_work=0
else
  work=$(mktemp -d)
  remove_work=1
fi
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if ((remove_work)); then rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- fixture server --------------------------------------------------------
server="$work/fixture_server"
src="$root/tools/bench/fixture_server.cpp"
if [[ ! -x $server || $src -nt $server ]]; then
  echo "compiling $server ..." >&2
  # shellcheck disable=SC2046  # pkg-config prints several words on purpose
  g++ -std=c++23 -O2 "$src" -o "$server" $(pkg-config --cflags --libs cpp-httplib) -lz -lpthread
fi
"$server" 0 --npm "$npm_count" --pypi "$pypi_count" >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
port=
for _ in $(seq 600); do  # documents are generated before the port is printed
  port=$(sed -n 's/^PORT=//p' "$work/server.out" 2>/dev/null || true)
  [[ -n $port ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
[[ -n $port ]] || { echo "resolve_bench: the fixture server did not start" >&2; exit 1; }
base="http://127.0.0.1:$port"

# --- manifests ---------------------------------------------------------------
# Ranges in each ecosystem's own syntax; the generated histories always hold
# 1.x to 4.x releases, so every one of them resolves.
npm_ranges=('*' '^2' '~3.0' '>=1 <4' '^1.0.0' '2.x' '^3 || ^4' '<5')
pypi_ranges=('*' '~=3.0' '>=1,<4' '==2.*' '>=2' '<5' '~=1.0' '>=1.0,!=2.0.0')
curl -sf "$base/__names" >"$work/names.json"
mapfile -t npm_names < <(jq -r '.npm[]' "$work/names.json")
mapfile -t pypi_names < <(jq -r '.pypi[]' "$work/names.json")

write_manifest() {  # write_manifest DIR WITH_NPM WITH_PYPI
  local dir=$1 i
  mkdir -p "$dir"
  {
    printf 'image = "bench"\nsnapshot = "snapshots/bench.lock.json"\n\n'
    printf '[policy]\nprereleases = false\n\n'
    printf '[registries]\nnpm = "%s"\npypi = "%s"\n' "$base" "$base"
    if (($2)); then
      printf '\n[dependencies.npm]\n'
      for i in "${!npm_names[@]}"; do
        printf '"%s" = "%s"\n' "${npm_names[i]}" "${npm_ranges[i % ${#npm_ranges[@]}]}"
      done
    fi
    if (($3)); then
      printf '\n[dependencies.pypi]\n'
      for i in "${!pypi_names[@]}"; do
        printf '"%s" = "%s"\n' "${pypi_names[i]}" "${pypi_ranges[i % ${#pypi_ranges[@]}]}"
      done
    fi
  } >"$dir/driftlock.toml"
}
write_manifest "$work/npm" 1 0
write_manifest "$work/pypi" 0 1
write_manifest "$work/both" 1 1

# --- runs --------------------------------------------------------------------
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
commands=()
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# run_row LABEL DIR MODE: MODE is cold (state removed before every run), warm
# (state kept) or changed (state kept, CHANGED names per ecosystem republished
# before every run).
run_row() {
  local label=$1 dir=$2 mode=$3 r walls=() rss_max=0 wall rss rc stats
  local cmd=("$dl" resolve -m "$dir/driftlock.toml" -o "$dir/out.lock.json")
  for ((r = 1; r <= repeat; r++)); do
    if [[ $mode == cold ]]; then rm -rf "$dir/.driftlock"; fi
    if [[ $mode == changed ]]; then
      curl -sf "$base/__bump?npm=$changed&pypi=$changed" >/dev/null
    fi
    curl -sf "$base/__reset" >/dev/null
    rc=0
    /usr/bin/time -f '%e s %M KiB' -o "$work/time.txt" "${cmd[@]}" >"$work/resolve.out" 2>"$work/resolve.err" || rc=$?
    if ((rc != 0)); then
      echo "resolve_bench: '$label' run $r exited with $rc:" >&2
      tail -n 20 "$work/resolve.err" >&2
      exit 1
    fi
    stats=$(curl -sf "$base/__stats")
    read -r wall _ rss _ < <(tail -n 1 "$work/time.txt")
    walls+=("$wall")
    if ((rss > rss_max)); then rss_max=$rss; fi
  done
  wall=$(printf '%s\n' "${walls[@]}" | median)
  local resolved
  resolved=$(jq '.dependencies | length' "$dir/out.lock.json")
  rows+=("$(jq -r --arg row "$label" --arg wall "$wall" --arg rss "$rss_max" \
    --arg resolved "$resolved" --arg runs "$repeat" '
    "| \($row) | \($resolved) | \($wall) | \(($rss | tonumber) / 1024 * 10 | round / 10) | \(.requests) | \(.status_200) | \(.status_304) | \(.body_bytes) | \($runs) |"' \
    <<<"$stats")")
  local quoted
  quoted=$(printf ' %q' "${cmd[@]}")
  commands+=("/usr/bin/time -f '%e s %M KiB'$quoted")
}

run_row "(a) npm only, cold" "$work/npm" cold
run_row "(b) PyPI only, cold" "$work/pypi" cold
run_row "(c) npm + PyPI, cold" "$work/both" cold
run_row "(d) npm + PyPI, warm" "$work/both" warm
if ((changed > 0)); then
  run_row "(e) npm + PyPI, warm, $changed + $changed changed" "$work/both" changed
fi

# --- report ------------------------------------------------------------------
echo "## driftlock resolve: $npm_count npm + $pypi_count PyPI names on loopback"
echo
echo "$(nproc) cores, $(uname -sr), $("$dl" version 2>/dev/null | head -n 1 || echo 'driftlock (version unknown)'),"
echo "load average before the runs: $load_before (other work on the machine skews the times)"
echo
echo "| run | resolved | wall (s, median) | peak RSS (MiB, max) | requests | 200 | 304 | body bytes | runs |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${rows[@]}"
echo
echo "Body bytes are what the server wrote (gzip-encoded when the client asked)."
echo "Commands (cold rows delete .driftlock/ beside the manifest first):"
echo
echo '```sh'
printf '%s\n' "${commands[@]}" | awk '!seen[$0]++'
echo '```'
