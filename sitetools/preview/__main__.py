import sys

from sitetools.preview.main import main

sys.exit(main())
