"""`python -m bench.child ARGS`: `python -m sitetools.build ARGS`, then this process's own peak memory.

The runner reads the peak of the whole process tree from the operating system (which includes
Pagefind, started by the build); this adds the build process alone, written to $BENCH_RSS_FILE in KiB.
"""

import os
import resource
import sys

from sitetools.build import main

if __name__ == "__main__":
    code = main(sys.argv[1:])
    if os.environ.get("BENCH_RSS_FILE"):
        with open(os.environ["BENCH_RSS_FILE"], "w", encoding="utf-8") as fh:
            fh.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
    sys.exit(code)
