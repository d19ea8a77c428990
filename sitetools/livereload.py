"""`python -m sitetools.livereload`: the former name of the live preview, now `sitetools.preview`."""

import sys

from sitetools.preview.main import main

if __name__ == "__main__":
    sys.exit(main())
