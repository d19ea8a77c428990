"""The baseline: plain Pelican on the same corpus — its default theme, no plugins of ours.

Citations stay as text and admonitions are not enabled: this is what the site would cost
without anything this project adds. Feeds and URLs match pelicanconf.py so both write the
same set of files.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

THEME = "notmyidea"
PLUGINS = []
PLUGIN_PATHS = []
JINJA_ENVIRONMENT = {}
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {},
    },
    "output_format": "html5",
}
# Pelican's own theme has no search page (the site's search is ours: Pagefind, see sitetools/search.py).
DIRECT_TEMPLATES = ["index", "archives", "categories", "tags"]
