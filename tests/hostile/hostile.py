#!/usr/bin/env python3
"""Hostile and broken registries: the real `driftlock run` against a loopback
server that answers with hostile data or abusive transfers.

    hostile.py --driftlock BIN [--only NAME] [--verbose]

With --slow, also a slowloris server (about 3 minutes).

Every case checks that nothing registry data carries is executed (no file a
payload would create appears), that the snapshot is unchanged unless the
case expects a clean update, that the exit status is the expected one with
the expected words on stderr, that stderr carries no control character from
the registry, and that driftlock's peak memory (ru_maxrss) stays under a
bound. Prints one line per case and exits 1 when any failed.
"""
import argparse
import gzip
import http.server
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

MEMORY_BOUND_MIB = 400
PAYLOAD = "$(touch PWNED)"

ROUTES = {}


def npm_doc(name, versions):
    times = {v: "2026-01-01T00:00:00.000Z" for v in versions}
    return json.dumps({"name": name, "versions": {v: {} for v in versions}, "time": times})


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        route = ROUTES.get(self.path)
        if route is None:
            self.send_error(404)
            return
        try:
            route(self)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass  # driftlock hung up: what the case wants

    def log_message(self, *args):
        pass


def reply(body, content_type="application/json", headers=()):
    data = body.encode() if isinstance(body, str) else body

    def answer(h):
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)
    return answer


def endless(h):
    """Announces 5 GiB and streams zeros until the client hangs up."""
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(5 << 30))
    h.end_headers()
    chunk = b"0" * (1 << 20)
    for _ in range(5 << 10):
        h.wfile.write(chunk)
    h.close_connection = True


def short_body(h):
    """Announces 100,000 bytes, sends 12 and closes."""
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    h.wfile.write(b'{"name": "x"')
    h.wfile.flush()
    h.close_connection = True


def trickle(h):
    """Slowloris: a valid start, then a byte every 2 s, for ever."""
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", "1000000")
    h.end_headers()
    h.wfile.write(b'{"name": "pkg", "versions": {')
    for _ in range(100_000):
        h.wfile.write(b" ")
        h.wfile.flush()
        time.sleep(2)


def redirect_to(target):
    def answer(h):
        h.send_response(302)
        h.send_header("Location", target)
        h.send_header("Content-Length", "0")
        h.end_headers()
    return answer


_BOMB = None


def gzip_bomb():
    """2 GiB of zeros as a 2 MiB gzip body, made once."""
    global _BOMB
    if _BOMB is None:
        out = io.BytesIO()
        with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as f:
            zeros = b"\0" * (1 << 24)
            for _ in range(128):
                f.write(zeros)
        _BOMB = out.getvalue()
    return _BOMB


def bomb(h):
    data = gzip_bomb()
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Encoding", "gzip")
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)


def debian_repo(prefix, stanzas, hostile=False):
    """A Release and a Packages.gz of `stanzas` stanzas (hello at the end);
    `hostile`: hello also in versions and pool paths carrying payloads."""
    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1) as f:
        block = []
        for i in range(stanzas - 1):
            block.append(f"Package: filler{i}\nVersion: 1.0-{i % 7}\nArchitecture: amd64\n"
                         f"Filename: pool/main/f/filler{i}_1.0_amd64.deb\nSize: 1000\n"
                         "Description: filler\n\n")
            if len(block) == 10000:
                f.write("".join(block).encode())
                block = []
        block.append("Package: hello\nVersion: 2.12-1\nArchitecture: amd64\n"
                     "Filename: pool/main/h/hello/hello_2.12-1_amd64.deb\nSize: 1000\n\n")
        if hostile:
            for version in (f"2.13-1{PAYLOAD}", "2.14-1;touch PWNED", "2.15 -1", "../../2.16",
                            "2.17-1\u001b[31m", "9" * 100_000):
                block.append(f"Package: hello\nVersion: {version}\nArchitecture: amd64\n"
                             f"Filename: ../../../../tmp/PWNED{PAYLOAD}\nSize: 1\n\n")
            block.append(f"Package: hello{PAYLOAD}\nVersion: 3.0-1\nArchitecture: amd64\n\n")
        f.write("".join(block).encode())
    packages = raw.getvalue()
    import hashlib
    digest = hashlib.sha256(packages).hexdigest()
    release = ("Origin: Test\nSuite: bookworm\nCodename: bookworm\nArchitectures: amd64\n"
               f"Components: main\nSHA256:\n {digest} {len(packages)} main/binary-amd64/Packages.gz\n")
    ROUTES[f"{prefix}/dists/bookworm/Release"] = reply(release, "text/plain")
    ROUTES[f"{prefix}/dists/bookworm/main/binary-amd64/Packages.gz"] = reply(
        packages, "application/gzip")
    return len(packages)


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # driftlock hanging up on an abusive answer is the point


class Case:
    def __init__(self, name, routes, expect_exit, expect_words, version_after=None,
                 ecosystem="npm", dependency="pkg", prefix=None):
        self.name = name
        self.prefix = prefix or "/hostile/" + "".join(c if c.isalnum() else "-" for c in name)[:40]
        self.routes = routes  # path suffix -> handler
        self.expect_exit = expect_exit
        self.expect_words = expect_words
        self.version_after = version_after  # the pin after a clean update
        self.ecosystem = ecosystem
        self.dependency = dependency


def cases():
    hostile_versions = [
        "1.1.0", f"1.2.0{PAYLOAD}", "1.3.0;touch PWNED", "`touch PWNED`", "1.4.0\ntouch PWNED",
        "1.5.0\u0000", "1.6.0\u001b[31m", "../../../etc/passwd", "1." + "9" * 100_000 + ".0",
        "1.7.0 || touch PWNED",
    ]
    yield Case("versions with shell metacharacters, newlines, NUL, escapes, ../ and 100 kB",
               {"/pkg": reply(npm_doc("pkg", ["1.0.0"] + hostile_versions))}, 0,
               [], version_after="1.1.0")
    # The document's own name is not used: the package is the one asked for.
    yield Case("a package document naming another package with a payload",
               {"/pkg": reply(npm_doc(f"../evil{PAYLOAD}\n\u001b[2J", ["1.0.0", "1.1.0"]))},
               0, [], version_after="1.1.0")
    yield Case("JSON arrays nested 100,000 deep",
               {"/pkg": reply("[" * 100_000 + "]" * 100_000)}, 3, ["pkg"])
    yield Case("JSON objects nested 100,000 deep",
               {"/pkg": reply('{"versions": ' + '{"a": ' * 100_000 + "1" + "}" * 100_001)}, 2,
               ["the registry lists no release"])
    yield Case("a 5 GiB body", {"/pkg": endless}, 3, ["64 MiB"])
    yield Case("a gzip bomb (2 GiB of zeros in 2 MiB)", {"/pkg": bomb}, 3, ["64 MiB"])
    yield Case("a Content-Length longer than the body", {"/pkg": short_body}, 3, ["pkg"])
    yield Case("a redirect loop", {"/pkg": redirect_to("/hostile/loop/pkg2"),
                                   "/pkg2": redirect_to("/hostile/loop/pkg")}, 3, ["redirect"],
               prefix="/hostile/loop")
    yield Case("a body that is not JSON, with escapes",
               {"/pkg": reply("\u001b]0;pwned\u0007<html>\u001b[2J" + PAYLOAD, "text/html")}, 3,
               ["pkg"])


def run_case(driftlock, base_url, case, root):
    prefix = case.prefix
    for suffix, handler in case.routes.items():
        ROUTES[prefix + suffix] = handler
    project = os.path.join(root, "project")
    os.makedirs(project)
    marker = os.path.join(root, "executed")
    registry = f"{base_url}{prefix}"
    if case.ecosystem == "npm":
        registries = f'npm = "{registry}"'
        deps = f'[dependencies.npm]\n{case.dependency} = "*"\n'
        snapshot_dep = f'{{"ecosystem": "npm", "name": "{case.dependency}", "version": "1.0.0"}}'
    else:
        registries = (f'debian = {{ url = "{registry}", suite = "bookworm", '
                      'components = ["main"], arch = "amd64" }')
        deps = f'[dependencies.debian]\n{case.dependency} = "*"\n'
        snapshot_dep = f'{{"ecosystem": "debian", "name": "{case.dependency}", "version": "2.11-1"}}'
    with open(os.path.join(project, "driftlock.toml"), "w") as f:
        f.write(f'image = "demo"\nsnapshot = "demo.lock.json"\n[registries]\n{registries}\n'
                f'[commands]\nbuild = "echo built > \'{marker}\'"\ntest = "true"\n{deps}')
    snapshot = ('{\n  "format": "driftlock-snapshot",\n  "version": 1,\n  "image": "demo",\n'
                f'  "dependencies": [\n    {snapshot_dep}\n  ],\n  "held": []\n}}\n')
    with open(os.path.join(project, "demo.lock.json"), "w") as f:
        f.write(snapshot)
    env = dict(os.environ, HOME=root, NO_COLOR="1")
    started = time.time()
    with open(os.path.join(root, "out"), "wb") as out, open(os.path.join(root, "err"), "wb") as e:
        proc = subprocess.Popen([driftlock, "run", "-q", "--no-push", "-m",
                                 os.path.join(project, "driftlock.toml")], cwd=root,
                                stdout=out, stderr=e, env=env)
        # wait4: this process's own peak memory, not the largest child so far.
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    with open(os.path.join(root, "out"), "rb") as f:
        stdout = f.read().decode(errors="replace")
    with open(os.path.join(root, "err"), "rb") as f:
        stderr = f.read().decode(errors="replace")
    return (proc.returncode, stdout, stderr, time.time() - started, usage.ru_maxrss, project,
            snapshot, marker)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--driftlock", required=True)
    parser.add_argument("--only")
    parser.add_argument("--stanzas", type=int, default=1_000_000)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--slow", action="store_true",
                        help="add the slowloris server (about 3 minutes: 5 attempts of 30 s)")
    args = parser.parse_args()
    driftlock = os.path.abspath(args.driftlock)

    server = QuietServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}"

    all_cases = list(cases())
    if args.slow:
        all_cases.append(Case("a slowloris server (a byte every 2 s)", {"/pkg": trickle}, 3,
                              ["timed out", "gave up after 5 attempts"]))
    size = debian_repo("/hostile/debian", args.stanzas)
    debian_repo("/hostile/debian-evil", 10, hostile=True)
    all_cases.append(Case("Debian versions, names and pool paths with payloads", {}, 0, [],
                          version_after="2.12-1", ecosystem="debian", dependency="hello",
                          prefix="/hostile/debian-evil"))
    all_cases.append(Case(f"a Packages index of {args.stanzas:,} stanzas ({size >> 20} MiB gzip)",
                          {}, 0, [], version_after="2.12-1", ecosystem="debian",
                          dependency="hello", prefix="/hostile/debian"))

    failures = 0
    for case in all_cases:
        if args.only and args.only not in case.name:
            continue
        root = tempfile.mkdtemp(prefix="driftlock-hostile-")
        try:
            code, out, err, seconds, peak, project, snapshot, marker = run_case(
                driftlock, base_url, case, root)
            problems = []
            if code != case.expect_exit:
                problems.append(f"exit {code}, expected {case.expect_exit}")
            for word in case.expect_words:
                if word not in err:
                    problems.append(f"stderr lacks '{word}'")
            if any(ord(c) < 32 and c not in "\n\t" for c in err + out):
                problems.append("a control character reached the output")
            for where in (root, project):
                if os.path.exists(os.path.join(where, "PWNED")):
                    problems.append("a payload ran")
            with open(os.path.join(project, "demo.lock.json")) as f:
                now = f.read()
            if case.version_after is None:
                if now != snapshot:
                    problems.append("the snapshot changed")
                if os.path.exists(marker):
                    problems.append("a build ran")
            else:
                pins = {d["name"]: d["version"] for d in json.loads(now)["dependencies"]}
                if pins.get(case.dependency) != case.version_after:
                    problems.append(f"pinned {pins}, expected {case.version_after}")
                if any(ord(c) < 32 and c != "\n" for c in now) or "PWNED" in now:
                    problems.append("hostile text reached the snapshot")
            if peak > MEMORY_BOUND_MIB * 1024:
                problems.append(f"peak memory {peak >> 10} MiB over {MEMORY_BOUND_MIB} MiB")
            status = "ok" if not problems else "FAILED: " + "; ".join(problems)
            print(f"{case.name}: exit {code}, {seconds:.1f} s, peak {peak >> 10} MiB: {status}")
            if args.verbose or problems:
                print("    " + err.strip().replace("\n", "\n    "))
            if problems:
                failures += 1
        finally:
            shutil.rmtree(root, ignore_errors=True)
    server.shutdown()
    print(f"hostile registries: {len(all_cases)} cases, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
