#!/usr/bin/env python3
"""Crash safety harness: `driftlock run` killed with SIGKILL at seeded points.

    harness.py --driftlock BIN --kill-switch LIB [--kills N] [--seed S] [--verbose]

The scenario: four npm packages a, b, c, d move from 1.0.0 to 1.1.0 on a
loopback registry; the tests fail whenever c is 1.1.0. An uninterrupted run
ships a, b and d, holds c back and exits 1: that is the reference.

Each iteration copies the scenario afresh and runs `driftlock run` with one
or more kills in a chain (each run after a kill is killed again at another
point, up to three times), then once more to completion. Kill points:

- inside driftlock, through the LD_PRELOAD kill switch (kill_switch.cpp):
  the Nth command start (fork), rename, fsync/fdatasync or SQLite page
  write (pwrite64), for every N the reference run reaches;
- inside the commands: the Nth build or test, the push before and after it
  has pushed, and `git commit` before and after it moves the branch (a
  reference-transaction hook).

After every kill: the snapshot is the old or the new one, whole and valid;
`PRAGMA integrity_check` passes; nothing that failed its tests was pushed.
After the run that completes: the snapshot, the held entries and the last
pushed image equal the reference's, the snapshot is committed once and the
work tree is clean, no temporary file is left, no build that the killed run
had finished (recorded in the memo) is built again, and where the killed run
had pushed without writing the snapshot, the next run says so.

Prints one line per failed check and a summary; exits 1 when any check failed.
"""
import argparse
import http.server
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

PACKAGES = ["a", "b", "c", "d"]
CULPRIT = "c"


def packument(name):
    return json.dumps({
        "name": name,
        "versions": {"1.0.0": {}, "1.1.0": {}},
        "time": {"1.0.0": "2026-01-01T00:00:00.000Z", "1.1.0": "2026-02-01T00:00:00.000Z"},
    })


class Registry(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        name = self.path.strip("/")
        if name not in PACKAGES:
            self.send_error(404)
            return
        body = packument(name).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


# The commands. KILL_AT (a file) names the script point to kill driftlock at
# in this run; counts are per run (the harness clears count-* between runs).
KILL = 'kill -9 "$(cat "$H/driftlock.pid")"; exit 0\n'
BUILD = """H=$(dirname "$0")/../..
pins=$(tr -d ' \\n' < "$DRIFTLOCK_CANDIDATE_DIR/npm-pins.json")
echo "$DRIFTLOCK_CANDIDATE_ID $pins" >> "$H/builds.log"
echo x >> "$H/count-build"
[ "$(cat "$H/kill-at" 2>/dev/null)" = "build $(wc -l < "$H/count-build")" ] && { """ + KILL + """}
exit 0
"""
TEST = """H=$(dirname "$0")/../..
pins=$(tr -d ' \\n' < "$DRIFTLOCK_CANDIDATE_DIR/npm-pins.json")
echo x >> "$H/count-test"
[ "$(cat "$H/kill-at" 2>/dev/null)" = "test $(wc -l < "$H/count-test")" ] && { """ + KILL + """}
case "$pins" in *'"c":"1.1.0"'*) echo "c 1.1.0 breaks the tests"; exit 1;; esac
exit 0
"""
PUSH = """H=$(dirname "$0")/../..
pins=$(tr -d ' \\n' < "$DRIFTLOCK_CANDIDATE_DIR/npm-pins.json")
[ "$(cat "$H/kill-at" 2>/dev/null)" = "push before" ] && { """ + KILL + """}
case "$pins" in *'"c":"1.1.0"'*) echo "BAD $DRIFTLOCK_CANDIDATE_ID $pins" >> "$H/pushes.log";; esac
echo "$pins" >> "$H/pushes.log"
[ "$(cat "$H/kill-at" 2>/dev/null)" = "push after" ] && { """ + KILL + """}
exit 0
"""
HOOK = """#!/bin/sh
H=$(git rev-parse --show-toplevel)/..
[ "$(cat "$H/kill-at" 2>/dev/null)" = "commit $1" ] && kill -9 "$(cat "$H/driftlock.pid")"
exit 0
"""

INITIAL = {name: "1.0.0" for name in PACKAGES}


def snapshot_text(versions):
    deps = ",\n".join(
        f'    {{"ecosystem": "npm", "name": "{n}", "version": "{v}"}}' for n, v in versions.items())
    return ('{\n  "format": "driftlock-snapshot",\n  "version": 1,\n  "image": "demo",\n'
            f'  "dependencies": [\n{deps}\n  ],\n  "held": []\n}}\n')


def make_template(root, registry_url):
    project = os.path.join(root, "project")
    os.makedirs(os.path.join(project, "ci"))
    deps = "".join(f'{n} = "*"\n' for n in PACKAGES)
    with open(os.path.join(project, "driftlock.toml"), "w") as f:
        f.write(f'image = "demo"\nsnapshot = "demo.lock.json"\n[registries]\nnpm = "{registry_url}"\n'
                '[commands]\nbuild = "sh ci/build.sh"\ntest = "sh ci/test.sh"\n'
                f'push = "sh ci/push.sh"\n[dependencies.npm]\n{deps}')
    with open(os.path.join(project, "demo.lock.json"), "w") as f:
        f.write(snapshot_text(INITIAL))
    for name, text in (("build.sh", BUILD), ("test.sh", TEST), ("push.sh", PUSH)):
        with open(os.path.join(project, "ci", name), "w") as f:
            f.write(text)
    with open(os.path.join(project, ".gitignore"), "w") as f:
        f.write(".driftlock/\n")
    git = ["git", "-C", project]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["-c", "user.name=test", "-c", "user.email=test@example.invalid",
                          "commit", "-qm", "builder"], check=True)
    hook = os.path.join(project, ".git", "hooks", "reference-transaction")
    with open(hook, "w") as f:
        f.write(HOOK)
    os.chmod(hook, 0o755)
    return root


def processes_in(folder):
    """Processes whose working folder is inside `folder` (orphaned commands)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if cwd == folder or cwd.startswith(folder + "/"):
            found.append(int(pid))
    return found


class Scenario:
    def __init__(self, template, driftlock, kill_switch):
        self.root = tempfile.mkdtemp(prefix="driftlock-crash-")
        shutil.copytree(template, self.root, dirs_exist_ok=True, symlinks=True)
        self.project = os.path.join(self.root, "project")
        self.driftlock = driftlock
        self.kill_switch = kill_switch

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def read(self, *parts):
        try:
            with open(self.path(*parts)) as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def run(self, point=None, trace=None):
        """One `driftlock run`; point = ("kind", n) for the kill switch or
        ("script", "build 2") for the commands. Returns (exit code or
        -signal, stderr)."""
        for name in os.listdir(self.root):
            if name.startswith("count-"):
                os.remove(self.path(name))
        if os.path.exists(self.path("kill-at")):
            os.remove(self.path("kill-at"))
        env = dict(os.environ, HOME=self.root, NO_COLOR="1")
        env.pop("DRIFTLOCK_KILL_AT", None)
        env["LD_PRELOAD"] = self.kill_switch
        if trace:
            env["DRIFTLOCK_KILL_TRACE"] = trace
        if point and point[0] == "script":
            with open(self.path("kill-at"), "w") as f:
                f.write(point[1])
        elif point:
            env["DRIFTLOCK_KILL_AT"] = f"{point[0]}:{point[1]}"
        with open(self.path("builds.log"), "a") as f:
            f.write("== run\n")
        proc = subprocess.Popen([self.driftlock, "run", "-q", "-m",
                                 os.path.join(self.project, "driftlock.toml")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
                                start_new_session=True)
        with open(self.path("driftlock.pid"), "w") as f:
            f.write(str(proc.pid))
        out, err = proc.communicate(timeout=300)
        # Commands orphaned by the kill finish on their own (they are short).
        deadline = time.time() + 60
        while processes_in(self.project) and time.time() < deadline:
            time.sleep(0.02)
        return proc.returncode, out, err

    def snapshot(self):
        return self.read("project", "demo.lock.json")

    def state_db(self):
        return self.path("project", ".driftlock", "state.db")

    def query(self, sql):
        if not os.path.exists(self.state_db()):
            return []
        db = sqlite3.connect(f"file:{self.state_db()}?mode=ro", uri=True)
        try:
            return db.execute(sql).fetchall()
        except sqlite3.OperationalError:
            return []  # a table a migration has not created yet
        finally:
            db.close()

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


def pins_of(snapshot_text_):
    data = json.loads(snapshot_text_)
    deps = {d["name"]: d["version"] for d in data["dependencies"]}
    held = sorted((h["name"], h["version"]) for h in data.get("held", []))
    return deps, held


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--driftlock", required=True)
    parser.add_argument("--kill-switch", required=True)
    parser.add_argument("--kills", type=int, default=240)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    driftlock = os.path.abspath(args.driftlock)
    kill_switch = os.path.abspath(args.kill_switch)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Registry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    template = make_template(tempfile.mkdtemp(prefix="driftlock-crash-template-"), url)

    # The reference: an uninterrupted run, counting every kill-switch point.
    reference = Scenario(template, driftlock, kill_switch)
    trace = reference.path("trace")
    ref_code, ref_out, ref_err = reference.run(trace=trace)
    if ref_code != 1:
        print(f"reference run: exit {ref_code}, expected 1\n{ref_out}{ref_err}")
        return 1
    ref_deps, ref_held = pins_of(reference.snapshot())
    expected = {n: ("1.0.0" if n == CULPRIT else "1.1.0") for n in PACKAGES}
    if ref_deps != expected or ref_held != [(CULPRIT, "1.1.0")]:
        print(f"reference run: snapshot {ref_deps} held {ref_held}, expected {expected}")
        return 1
    counts = {}
    with open(trace) as f:
        for line in f:
            counts[line.strip()] = counts.get(line.strip(), 0) + 1
    if not counts:
        print("the kill switch saw no step of the reference run: it acts only in a process "
              "named driftlock")
        return 1
    ref_builds = reference.read("builds.log").count("\n") - 1
    reference.cleanup()

    points = [(kind, n) for kind, total in sorted(counts.items()) for n in range(1, total + 1)]
    points += [("script", f"build {n}") for n in range(1, ref_builds + 1)]
    points += [("script", f"test {n}") for n in range(1, ref_builds + 1)]
    points += [("script", p) for p in ("push before", "push after", "commit prepared",
                                       "commit committed")]
    rng = random.Random(args.seed)
    # Every point once as a single kill, then chains of two or three kills,
    # until the number of kills is reached. The shipping points (the push,
    # the commit, every rename and command start) come first, so a short
    # schedule still covers them; the others follow in a seeded order.
    first = [p for p in points if p[0] in ("script", "rename", "fork")]
    rest = [p for p in points if p not in first]
    rng.shuffle(first)
    rng.shuffle(rest)
    def schedule():
        for p in first + rest:
            yield [p]
        while True:
            yield [rng.choice(points) for _ in range(rng.choice((2, 3)))]

    failures = []
    kills = 0
    not_reached = 0
    notes_seen = 0
    rebuilt_checked = 0
    started = time.time()
    runs = 0
    for number, chain in enumerate(schedule(), 1):
        if kills >= args.kills:
            break
        runs = number
        s = Scenario(template, driftlock, kill_switch)
        label = " then ".join(f"{k} {n}" if k != "script" else n for k, n in chain)

        def fail(message):
            failures.append(f"#{number} ({label}): {message}")

        expect_note = None  # what the run after a kill must say
        memo = None  # the builds finished (memoised) when the last kill struck
        code = None
        for point in chain + [None]:
            builds_before = s.read("builds.log").count("\n")
            code, out, err = s.run(point)
            built = [line.split(" ")[0] for line in
                     s.read("builds.log").splitlines()[builds_before + 1:]]
            if memo is not None:
                rebuilt_checked += 1
                rebuilt = sorted(set(built) & memo)
                if rebuilt:
                    fail(f"finished builds built again: {rebuilt}")
            if code != -signal.SIGKILL:
                if point is not None:
                    not_reached += 1  # the point lies beyond this run's end
                if expect_note:
                    if any(note in err for note in expect_note):
                        notes_seen += 1
                    else:
                        fail(f"the run after the kill did not say {expect_note}: {err.strip()}")
                break
            if point is None:
                fail("a run without a kill point was killed")
                break
            kills += 1
            try:
                deps, _ = pins_of(s.snapshot())
                if deps not in (INITIAL, expected):
                    fail(f"snapshot after the kill pins {deps}")
            except (ValueError, KeyError) as e:
                fail(f"snapshot after the kill is not whole: {e}")
            check = s.query("PRAGMA integrity_check")
            if check and check[0][0] != "ok":
                fail(f"integrity_check after the kill: {check}")
            if "BAD" in s.read("pushes.log"):
                fail("a candidate that failed its tests was pushed")
            steps = [row[0] for row in s.query(
                "SELECT step FROM shipments WHERE step NOT IN ('done', 'abandoned')")]
            # A pushed entry: the next run writes the snapshot ("written
            # now"), or commits it when the kill came after the rename.
            expect_note = (("written now", "committed now") if "pushed" in steps else
                           ("may hold its image",) if "pushing" in steps else None)
            memo = {row[0] for row in s.query("SELECT candidate_id FROM outcomes")}
        if code not in (0, 1):
            fail(f"the completing run exited {code}: {err.strip()}")
        try:
            deps, held = pins_of(s.snapshot())
            if deps != expected or held != ref_held:
                fail(f"final snapshot {deps} held {held}")
        except (ValueError, KeyError) as e:
            fail(f"final snapshot is not whole: {e}")
        pushes = [line for line in s.read("pushes.log").splitlines() if line]
        if not pushes or json.loads(pushes[-1]) != expected:
            fail(f"the last image pushed is not the shipped one: {pushes[-1:]}")
        status = subprocess.run(["git", "-C", s.project, "status", "--porcelain"],
                                capture_output=True, text=True).stdout
        if status.strip():
            fail(f"work tree not clean: {status.strip()}")
        log = subprocess.run(["git", "-C", s.project, "log", "--format=%s"], capture_output=True,
                             text=True).stdout.splitlines()
        if sum(1 for line in log if line.startswith("driftlock:")) != 1:
            fail(f"driftlock commits: {log}")
        litter = [n for n in os.listdir(s.project) if ".tmp-" in n]
        if litter:
            fail(f"temporary files left: {litter}")
        check = s.query("PRAGMA integrity_check")
        if check and check[0][0] != "ok":
            fail(f"integrity_check at the end: {check}")
        if args.verbose:
            print(f"#{number}: {label}: ok" if not any(f.startswith(f"#{number} ")
                                                         for f in failures) else "")
        s.cleanup()

    server.shutdown()
    shutil.rmtree(template, ignore_errors=True)
    for line in failures:
        print(line)
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"crash harness (seed {args.seed}): {kills} kills in {runs} scenarios "
          f"({not_reached} points beyond a run's end), {len(failures)} failed checks, "
          f"{rebuilt_checked} resumes checked for rebuilds, {notes_seen} finished shipments "
          f"announced; reference points: {kinds}, {ref_builds} builds; "
          f"{time.time() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
