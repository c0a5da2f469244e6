#!/usr/bin/env python3
"""A static PyPI for driftlock's end-to-end tests: pure-Python wheels made
here, a PEP 503 simple index that `pip install --index-url URL/simple`
reads, and the JSON API documents driftlock's PyPI datasource reads
(`GET {base}/pypi/{name}/json`). Serve ROOT with static-server.py; the
registry base URL is the URL of ROOT.

    pypi.py add ROOT NAME VERSION [--requires SPEC]... [--source FILE]
                [--uploaded ISO-8601] [--base-url URL]
        Builds NAME-VERSION as a py3-none-any wheel into ROOT/files/ and
        rewrites the indexes. The wheel holds one module, NAME with '-'
        turned into '_': the text of --source (default: `__version__ = ...`
        and `ok = True`), always preceded by `__version__ = "VERSION"`.
        --requires adds a Requires-Dist line (e.g. "dl-calc>=2"), so pip
        finds conflicts. --uploaded sets the upload time (default: now, UTC).
        Adding a version that exists replaces it.
    pypi.py yank ROOT NAME VERSION [--base-url URL]
        Marks the release yanked (PEP 592 data-yanked; "yanked": true in JSON).
    pypi.py index ROOT [--base-url URL]
        Rewrites the indexes from ROOT/files/ (after editing sidecars by hand).

Layout under ROOT:
    files/NAME-VERSION-py3-none-any.whl   (+ .meta.json: upload time, yanked)
    simple/index.html, simple/NORMALISED-NAME/index.html      (PEP 503)
    pypi/NORMALISED-NAME/json                                  (JSON API)

Wheels are byte-for-byte reproducible (fixed zip timestamps), so the digests
in a snapshot stay the same from one test run to the next. Without
--base-url the JSON "url" fields are root-relative paths ("/files/...");
pip only reads the simple index, whose links are relative. A --base-url is
remembered in ROOT/base-url for later calls.
"""
import argparse
import base64
import datetime
import hashlib
import html
import io
import json
import os
import re
import sys
import zipfile

NAME_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")
VERSION_RE = re.compile(r"^[0-9]+(\.[0-9]+)*((a|b|rc)[0-9]+)?(\.post[0-9]+)?(\.dev[0-9]+)?$")
REQUIRES_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*( ?(==|>=|<=|~=|!=|<|>)[0-9][0-9A-Za-z.*]*)?"
                         r"(, ?(==|>=|<=|~=|!=|<|>)[0-9][0-9A-Za-z.*]*)*$")


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_stem(name, version):
    return "%s-%s" % (re.sub(r"[-_.]+", "_", name).lower(), version)


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def write_atomically(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as out:
        out.write(data if isinstance(data, bytes) else data.encode())
    os.replace(tmp, path)


def record_hash(data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "sha256=" + digest


def build_wheel(name, version, requires, source):
    module = re.sub(r"[-.]+", "_", name).lower()
    stem = wheel_stem(name, version)
    dist_info = stem + ".dist-info"
    metadata = "Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: driftlock e2e fixture\n" % (
        name, version)
    for spec in requires:
        metadata += "Requires-Dist: %s\n" % spec
    files = [
        ("%s/__init__.py" % module, ('__version__ = "%s"\n' % version + source).encode()),
        ("%s/METADATA" % dist_info, metadata.encode()),
        ("%s/WHEEL" % dist_info,
         b"Wheel-Version: 1.0\nGenerator: driftlock-e2e\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
    ]
    record = "".join("%s,%s,%d\n" % (path, record_hash(data), len(data)) for path, data in files)
    record += "%s/RECORD,,\n" % dist_info
    files.append(("%s/RECORD" % dist_info, record.encode()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files:
            info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return stem + "-py3-none-any.whl", buffer.getvalue()


def load_releases(root):
    """{normalised name: {"name": ..., "files": [file dicts]}} from ROOT/files."""
    projects = {}
    folder = os.path.join(root, "files")
    if not os.path.isdir(folder):
        return projects
    for entry in sorted(os.listdir(folder)):
        if not entry.endswith(".whl"):
            continue
        with open(os.path.join(folder, entry + ".meta.json")) as meta_file:
            meta = json.load(meta_file)
        with open(os.path.join(folder, entry), "rb") as wheel:
            sha256 = hashlib.sha256(wheel.read()).hexdigest()
        size = os.path.getsize(os.path.join(folder, entry))
        project = projects.setdefault(normalise(meta["name"]), {"name": meta["name"], "files": []})
        project["files"].append(dict(meta, filename=entry, sha256=sha256, size=size))
    return projects


def version_key(version):
    parts = re.match(r"^([0-9.]+)", version).group(1).strip(".").split(".")
    return [int(p) for p in parts], version


def write_indexes(root, base_url):
    # The base URL is remembered in ROOT/base-url, so later calls need not repeat it.
    remembered = os.path.join(root, "base-url")
    if base_url:
        write_atomically(remembered, base_url.rstrip("/") + "\n")
    elif os.path.exists(remembered):
        with open(remembered) as url_file:
            base_url = url_file.read().strip()
    projects = load_releases(root)
    prefix = base_url.rstrip("/") if base_url else ""
    links = "".join('<a href="%s/">%s</a>\n' % (n, html.escape(p["name"]))
                    for n, p in sorted(projects.items()))
    write_atomically(os.path.join(root, "simple", "index.html"),
                     "<!DOCTYPE html>\n<html><body>\n%s</body></html>\n" % links)
    for normalised, project in projects.items():
        files = sorted(project["files"], key=lambda f: version_key(f["version"]))
        lines = []
        for f in files:
            yanked = ' data-yanked=""' if f.get("yanked") else ""
            lines.append('<a href="../../files/%s#sha256=%s"%s>%s</a>\n' % (
                f["filename"], f["sha256"], yanked, f["filename"]))
        write_atomically(os.path.join(root, "simple", normalised, "index.html"),
                         "<!DOCTYPE html>\n<html><body>\n%s</body></html>\n" % "".join(lines))
        releases = {}
        for f in files:
            uploaded = f["uploaded"]
            releases.setdefault(f["version"], []).append({
                "filename": f["filename"],
                "packagetype": "bdist_wheel",
                "python_version": "py3",
                "requires_python": None,
                "size": f["size"],
                "upload_time": uploaded[:19],
                "upload_time_iso_8601": uploaded,
                "url": "%s/files/%s" % (prefix, f["filename"]),
                "yanked": bool(f.get("yanked")),
                "yanked_reason": "yanked by the test" if f.get("yanked") else None,
                "digests": {"sha256": f["sha256"]},
            })
        latest = [v for v in releases if not all(x["yanked"] for x in releases[v])]
        latest = max(latest or list(releases), key=version_key)
        # As the JSON API does, `info` (the newest release) carries its
        # Requires-Dist; null where the wheel's metadata is not known.
        requires = next((f.get("requires") for f in files if f["version"] == latest), None)
        document = {
            "info": {"name": project["name"], "version": latest,
                     "summary": "driftlock e2e fixture", "yanked": False,
                     "requires_dist": requires},
            "last_serial": len(files),
            "releases": releases,
            "urls": releases[latest],
        }
        write_atomically(os.path.join(root, "pypi", normalised, "json"),
                         json.dumps(document, indent=1) + "\n")


def check(value, pattern, what):
    if not pattern.match(value):
        sys.exit("pypi.py: invalid %s %r" % (what, value))


def main():
    parser = argparse.ArgumentParser(description="static PyPI for driftlock's e2e tests")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add")
    add.add_argument("root")
    add.add_argument("name")
    add.add_argument("version")
    add.add_argument("--requires", action="append", default=[])
    add.add_argument("--source")
    add.add_argument("--uploaded")
    add.add_argument("--base-url")
    yank = sub.add_parser("yank")
    yank.add_argument("root")
    yank.add_argument("name")
    yank.add_argument("version")
    yank.add_argument("--base-url")
    index = sub.add_parser("index")
    index.add_argument("root")
    index.add_argument("--base-url")
    args = parser.parse_args()

    if args.command in ("add", "yank"):
        check(args.name, NAME_RE, "name")
        check(args.version, VERSION_RE, "version")
    if args.command == "add":
        for spec in args.requires:
            check(spec, REQUIRES_RE, "requirement")
        if args.source:
            with open(args.source) as source_file:
                source = source_file.read()
        else:
            source = "ok = True\n"
        filename, data = build_wheel(args.name, args.version, args.requires, source)
        folder = os.path.join(args.root, "files")
        for entry in os.listdir(folder) if os.path.isdir(folder) else []:
            if entry.endswith(".whl.meta.json"):
                with open(os.path.join(folder, entry)) as meta_file:
                    meta = json.load(meta_file)
                if normalise(meta["name"]) == normalise(args.name) and meta["version"] == args.version \
                        and entry != filename + ".meta.json":
                    sys.exit("pypi.py: %s %s exists as %s" % (args.name, args.version, entry))
        write_atomically(os.path.join(folder, filename), data)
        meta = {"name": args.name, "version": args.version,
                "uploaded": args.uploaded or now_iso(), "yanked": False,
                "requires": args.requires}
        write_atomically(os.path.join(folder, filename + ".meta.json"), json.dumps(meta) + "\n")
    elif args.command == "yank":
        path = os.path.join(args.root, "files",
                            wheel_stem(args.name, args.version) + "-py3-none-any.whl.meta.json")
        if not os.path.exists(path):
            sys.exit("pypi.py: no release %s %s in %s" % (args.name, args.version, args.root))
        with open(path) as meta_file:
            meta = json.load(meta_file)
        meta["yanked"] = True
        write_atomically(path, json.dumps(meta) + "\n")
    write_indexes(args.root, args.base_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
