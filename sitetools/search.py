"""Site search: a Pagefind index of the built site (PyPI `pagefind[bin]`), made by the build.

Only the elements marked `data-pagefind-body` (article and page bodies) are indexed, so the
header, navigation and footer stay out of the results. The index lands in `<site>/pagefind/`,
which theme/templates/search.html loads (with JavaScript; without it, that page lists the
topics and tags instead).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

INSTALL = "make venv   (installs pagefind[bin] from requirements.lock)"


def build_index(site: str | os.PathLike) -> str | None:
    """Index `site` in place; return None on success, else what went wrong (for the build's summary)."""
    if importlib.util.find_spec("pagefind") is None:
        return f"Pagefind is not installed, so the site search would not work: run `{INSTALL}`"
    proc = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode or not (os.path.isdir(os.path.join(site, "pagefind"))):
        detail = " ".join((proc.stderr or proc.stdout).split()) or f"exit code {proc.returncode}"
        return f"Pagefind could not index the site: {detail}"
    return None
