"""Production settings: `invoke preview` and `invoke publish` build with these.

Everything else comes from pelicanconf.py; this file only says what production changes.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# Absolute site URL: from the environment (CI/deploy) or this file. No trailing slash.
SITEURL = os.environ.get("SITEURL", "https://www.example.com").rstrip("/")
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL

SITE_ENV = "production"
