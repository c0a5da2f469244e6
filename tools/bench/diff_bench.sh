#!/usr/bin/env bash
# Times `driftlock diff` on two generated snapshots of N entries each (half of
# them changed), N = 300 and 3000, with hyperfine when present, else `time`.
# Usage: tools/bench/diff_bench.sh [path/to/driftlock]
set -euo pipefail
dl=${1:-build/driftlock}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gen() {  # gen N SHIFT FILE
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
n, shift, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
deps = []
for i in range(n):
    eco = ("npm", "pypi", "debian")[i % 3]
    minor = i % 7 + (shift if i % 2 == 0 else 0)
    version = f"1.{minor}.{i % 11}" if eco != "debian" else f"1.{minor}.{i % 11}-1"
    deps.append({"ecosystem": eco, "name": f"pkg-{i:05d}", "version": version})
deps.sort(key=lambda d: (d["ecosystem"], d["name"]))
doc = {"format": "driftlock-snapshot", "version": 1, "image": "bench",
       "dependencies": deps, "held": []}
open(path, "w").write(json.dumps(doc, indent=2) + "\n")
PY
}
for n in 300 3000; do
  gen "$n" 0 "$work/old-$n.lock.json"
  gen "$n" 1 "$work/new-$n.lock.json"
done
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 3 \
    "$dl diff $work/old-300.lock.json $work/new-300.lock.json" \
    "$dl diff $work/old-3000.lock.json $work/new-3000.lock.json"
else
  for n in 300 3000; do
    echo "n=$n"
    time (for _ in 1 2 3 4 5 6 7 8 9 10; do "$dl" diff "$work/old-$n.lock.json" "$work/new-$n.lock.json" >/dev/null; done)
  done
fi
