"""Site search: a Pagefind index of the built site (PyPI `pagefind[bin]`), made by the build.

Only the elements marked `data-pagefind-body` (article and page bodies) are indexed, so the
header, navigation and footer stay out of the results. The index lands in `<site>/pagefind/`,
which theme/templates/search.html loads (with JavaScript; without it, that page lists the
topics and tags instead).
"""

from __future__ import annotations

import ctypes
import gzip
import importlib.util
import json
import os
import signal
import subprocess
import sys
import zlib
from pathlib import Path

#: Files the site's pages load (theme/templates/search.html) besides the index itself.
UI_FILES = ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css")
COMPRESSED = (".pf_fragment", ".pf_index", ".pf_meta", ".pagefind")
INSTALL = "make venv   (installs pagefind[bin] from requirements.lock)"


def build_index(site: str | os.PathLike, into: str | os.PathLike | None = None) -> str | None:
    """Index `site` into `<site>/pagefind` (or the folder `into`); return None on success, else what
    went wrong (for the build's summary)."""
    if importlib.util.find_spec("pagefind") is None:
        return f"Pagefind is not installed, so the site search would not work: run `{INSTALL}`"
    folder = Path(into) if into else Path(site) / "pagefind"
    proc = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(folder), "--silent"],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    if proc.returncode:
        detail = " ".join((proc.stderr or proc.stdout).split()) or f"exit code {proc.returncode}"
        return f"Pagefind could not index the site: {detail}"
    if problem := verify_index(site, folder):
        return f"Pagefind wrote a broken index: {problem}; is the disk full? Free some space and build again"
    return None


def _die_with_parent() -> None:
    """In the child (Linux): a build killed with SIGKILL takes Pagefind with it, so nothing keeps
    writing into its staging folder after the next build has removed it."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def verify_index(site: str | os.PathLike, folder: str | os.PathLike | None = None) -> str | None:
    """None if `<site>/pagefind` is a whole index, else what is wrong with it.

    Pagefind can exit 0 with empty or cut-off files (seen on a full disk), so the files are read
    back: the entry JSON must parse and name its languages, every file must be non-empty, and each
    compressed file (index, fragments, metadata, WebAssembly: gzip, with a CRC) must decompress
    whole to Pagefind's own header.
    """
    folder = Path(folder) if folder else Path(site) / "pagefind"
    if not folder.is_dir():
        return "no pagefind/ folder"
    try:
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        languages = entry["languages"]
        expected = [f"pagefind.{lang['hash']}.pf_meta" for lang in languages.values()]
        expected += [f"wasm.{lang['wasm']}.pagefind" for lang in languages.values()]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return f"pagefind/pagefind-entry.json is not a Pagefind entry file: {type(exc).__name__}: {exc}"
    expected += [*UI_FILES, *(f"{sub}/" for sub in ("index", "fragment") if languages)]
    for name in expected:
        path = folder / name
        if not (path.is_dir() and any(path.iterdir())) and not path.is_file():
            return f"pagefind/{name} is missing"
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(folder.parent).as_posix()
        if path.stat().st_size == 0:
            return f"{rel} is empty"
        if path.suffix in COMPRESSED:
            try:
                whole = gzip.decompress(path.read_bytes()).startswith(b"pagefind_dcd")
            except (OSError, EOFError, zlib.error):
                whole = False
            if not whole:
                return f"{rel} is cut off or damaged"
    return None
