"""`python -m sitetools.cms`: the web editor (see sitetools/cms/server.py)."""

import sys

from sitetools.cms.server import main

sys.exit(main())
