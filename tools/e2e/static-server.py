#!/usr/bin/env python3
"""A static HTTP server on 127.0.0.1 for driftlock's end-to-end tests.

    static-server.py ROOT PORT_FILE [PORT]

Serves the files under ROOT (GET and HEAD only; a folder answers with its
index.html). It binds 127.0.0.1:PORT (0 or absent = a port the kernel picks,
so there is no race with other servers), then writes the port to PORT_FILE
(atomically: a temporary file renamed), so a caller waits for that file and
knows the server is listening. One line per request goes to stderr.

Files named `json` are served as application/json (the PyPI JSON API path
`/pypi/NAME/json` is a plain file); `*.gz` as application/gzip without a
Content-Encoding, so apt and pip get the bytes that were written.
"""
import functools
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: apt and pip reuse connections
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".gz": "application/gzip",
        ".xz": "application/x-xz",
        ".whl": "application/zip",
        ".deb": "application/vnd.debian.binary-package",
    }

    def guess_type(self, path):
        if os.path.basename(path) == "json":
            return "application/json"
        return super().guess_type(path)

    def end_headers(self):
        # Tests publish new versions while the server runs: never cached.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):
        sys.stderr.write("%s %s\n" % (self.log_date_time_string(), format % args))
        sys.stderr.flush()


def main():
    if len(sys.argv) not in (3, 4):
        sys.stderr.write(__doc__)
        return 2
    root, port_file = sys.argv[1], sys.argv[2]
    port = int(sys.argv[3]) if len(sys.argv) == 4 else 0
    handler = functools.partial(Handler, directory=os.path.abspath(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    tmp = port_file + ".tmp"
    with open(tmp, "w") as out:
        out.write("%d\n" % server.server_address[1])
    os.replace(tmp, port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
