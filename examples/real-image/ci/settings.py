#!/usr/bin/env python3
"""Prints the registries of the manifest as KEY=value lines for ci/*.sh, so
the build installs from exactly the registries driftlock resolved from.

    settings.py [MANIFEST]     (default: $REAL_IMAGE_MANIFEST, else ./driftlock.toml)

    IMAGE=real-image                         the manifest's image name
    REGISTRY=127.0.0.1:5000                  host of the [dependencies.oci] base image;
                                             ci/push.sh pushes IMAGE:latest there
    APT_URL=http://127.0.0.1:8080/debian     [registries] debian
    APT_SUITE=bookworm
    APT_COMPONENTS=main                      space-separated
    PIP_INDEX=http://127.0.0.1:8080/pypi/simple
                                             [registries] pypi + /simple, else PIP_INDEX_URL

Every value is checked against a strict pattern, and every URL must be on
127.0.0.1 or localhost: the dl-* packages of this example exist only on the
loopback servers of tools/e2e, and installing same-named packages from
anywhere else would run strangers' code. Exit 2 with a message otherwise.
"""
import os
import re
import sys
import tomllib

LOOPBACK_URL = re.compile(r"^http://(127\.0\.0\.1|localhost):[0-9]{1,5}(/[A-Za-z0-9._~-]+)*/?$")
HOST = re.compile(r"^(127\.0\.0\.1|localhost):[0-9]{1,5}$")
IMAGE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")
WORD = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")


def fail(message):
    sys.stderr.write("settings.py: %s\n" % message)
    sys.exit(2)


def url(value, where):
    if not isinstance(value, str) or not LOOPBACK_URL.match(value):
        fail("%s must be an http://127.0.0.1:PORT/... URL, got %r" % (where, value))
    return value.rstrip("/")


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("REAL_IMAGE_MANIFEST", "driftlock.toml")
    try:
        with open(path, "rb") as manifest_file:
            manifest = tomllib.load(manifest_file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        fail("cannot read %s: %s" % (path, error))

    image = manifest.get("image", "")
    if not isinstance(image, str) or not IMAGE.match(image):
        fail("%s: image %r is not a lowercase image name" % (path, image))

    images = list(manifest.get("dependencies", {}).get("oci", {}))
    if len(images) != 1:
        fail("%s: expected one [dependencies.oci] base image, found %d" % (path, len(images)))
    host = images[0].split("/", 1)[0]
    if not HOST.match(host):
        fail("%s: the base image %r is not on a 127.0.0.1:PORT registry" % (path, images[0]))

    registries = manifest.get("registries", {})
    debian = registries.get("debian")
    if not isinstance(debian, dict):
        fail("%s: [registries] debian is missing" % path)
    apt_url = url(debian.get("url"), "[registries] debian url")
    suite = debian.get("suite", "")
    components = debian.get("components", ["main"])
    if not isinstance(suite, str) or not WORD.match(suite):
        fail("%s: [registries] debian suite %r is not a plain word" % (path, suite))
    if not isinstance(components, list) or not components or \
            not all(isinstance(c, str) and WORD.match(c) for c in components):
        fail("%s: [registries] debian components %r are not plain words" % (path, components))

    if "pypi" in registries:
        pip_index = url(registries["pypi"], "[registries] pypi") + "/simple"
    elif os.environ.get("PIP_INDEX_URL"):
        pip_index = url(os.environ["PIP_INDEX_URL"], "PIP_INDEX_URL")
    else:
        fail("%s: no [registries] pypi and no PIP_INDEX_URL" % path)

    print("IMAGE=%s" % image)
    print("REGISTRY=%s" % host)
    print("APT_URL=%s" % apt_url)
    print("APT_SUITE=%s" % suite)
    print("APT_COMPONENTS=%s" % " ".join(components))
    print("PIP_INDEX=%s" % pip_index)


if __name__ == "__main__":
    main()
