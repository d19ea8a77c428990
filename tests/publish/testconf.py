"""Publish settings for tests/publish: the production settings, with non-demo clinic details and
targets on servers the tests start on 127.0.0.1.

The replacements are fiction too (RFC 2606 `.test`, Ofcom's 020 7946 0xxx drama range, the booking
plugin's own example address, the NHS's ZZ99 pseudo-postcode) but not the shipped demo values, so
the publish refusal lets them through. Nothing here is ever contacted.
Target locations and the check command come from the environment the tests set.
"""

import os
import sys

sys.path.append(os.curdir)
import publishconf
from publishconf import *  # noqa: F403
from publishconf import BOOKING_TARGETS, CLINIC, ROOT

# Pelican resolves relative paths against the settings file's folder: anchor them at the project.
PATH = str(ROOT / "content")
THEME = str(ROOT / "theme")
PLUGIN_PATHS = [str(ROOT / "plugins")]
CACHE_PATH = str(ROOT / ".cache" / "pelican")
OUTPUT_PATH = str(ROOT / "output")

_FICTION = {
    "Example Physio Clinic": "Riverside Physio Clinic",
    "1 Example Street": "2 Riverside Walk",
    "Exampleton": "Testbury",
    "EX1 1AA": "ZZ99 9ZZ",
    # The booking plugin refuses every reserved domain in production: use its own example's shape.
    "booking.example.com/physio-clinic": "your-clinic.cliniko.com/bookings",
    "example.com": "clinic.test",
    " (demo)": "",
    "01632 960": "020 7946 0",
    "+441632960": "+442079460",
}


def _not_demo(value):
    if isinstance(value, dict):
        return {key: _not_demo(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_not_demo(item) for item in value]
    if isinstance(value, str):
        for demo, fiction in _FICTION.items():
            value = value.replace(demo, fiction)
    return value


SITEURL = "https://physio.clinic.test"
FEED_DOMAIN = SITEURL
CLINIC = _not_demo(CLINIC)
SITENAME = AUTHOR = CLINIC["name"]  # as pelicanconf.py derives them
BOOKING_TARGETS = _not_demo(BOOKING_TARGETS)
# The production build refuses demo people too (plugins/clinical): these stand in as if real.
PEOPLE = _not_demo({key: {**p, "demo": False} for key, p in getattr(publishconf, "PEOPLE", {}).items()})
# The shipped class timetable (content/timetable.yaml) is demo data: this site has none.
PLUGINS = [name for name in publishconf.PLUGINS if name != "timetable"]
if "BOOKING_URL" in globals():
    BOOKING_URL = _not_demo(globals()["BOOKING_URL"])

PUBLISH_TARGETS = {
    "ssh": {
        "type": "ssh",
        "host": "127.0.0.1",
        "port": int(os.environ.get("TEST_SSH_PORT", "22")),
        "path": os.environ.get("TEST_SSH_PATH", "/nonexistent"),
        "known_hosts": os.environ.get("TEST_SSH_KNOWN_HOSTS"),
        "keep": 3,
        "precompress": ["gzip", "br"],
        "bwlimit": int(os.environ.get("TEST_SSH_BWLIMIT", "0")),
    },
    "s3": {
        "type": "s3",
        "bucket": os.environ.get("TEST_S3_BUCKET", "site"),
        "endpoint_url": os.environ.get("TEST_S3_ENDPOINT"),
        "region": "us-east-1",
        "addressing_style": "path",
        "keep": 3,
    },
}
PUBLISH_RELEASES_DIR = os.environ.get("TEST_RELEASES_DIR", ".publish-test")
# Injected for tests only (production uses the real `invoke check`): by default, a fast sanity check.
PUBLISH_CHECK_COMMAND = os.environ.get("TEST_CHECK_COMMAND", "test -s {output}/index.html")
