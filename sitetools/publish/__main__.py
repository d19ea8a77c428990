import sys

from sitetools.publish import main

sys.exit(main())
