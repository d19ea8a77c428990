"""Finding and running the pandoc binary (the CSL engine and the BibTeX/BibLaTeX reader)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

INSTALL_HINT = "install it with: .venv/bin/pip install pypandoc-binary (pandoc >= 3.1 with Lua)"

#: Every pandoc process this plugin starts, counted (tests assert a warm build starts none).
STARTS = 0


class PandocError(RuntimeError):
    """pandoc is missing or failed; the message says what to do."""


@functools.cache
def find_pandoc() -> str:
    """The pandoc binary: $CITATIONS_PANDOC, pypandoc-binary's copy, or pandoc on PATH."""
    candidates = [os.environ.get("CITATIONS_PANDOC", "")]
    try:
        import pypandoc

        candidates.append(pypandoc.get_pandoc_path())
    except Exception:  # pypandoc missing, or it found no binary
        pass
    candidates.append(shutil.which("pandoc") or "")
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise PandocError(f"pandoc not found; {INSTALL_HINT}")


def binary_id(path: str) -> str:
    """Identifies the pandoc binary for cache keys without starting it (path, size, mtime)."""
    try:
        stat = os.stat(path)
    except OSError:
        return path
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


def run(args: list[str], stdin: str | None = None) -> str:
    """Run pandoc; return stdout; raise :class:`PandocError` with pandoc's own message on failure."""
    global STARTS
    STARTS += 1
    try:
        done = subprocess.run(
            args, input=stdin, capture_output=True, text=True, encoding="utf-8", check=False
        )
    except OSError as exc:
        raise PandocError(f"cannot run pandoc ({args[0]}): {exc}; {INSTALL_HINT}") from exc
    if done.returncode != 0:
        message = " ".join(done.stderr.split()) or f"exit status {done.returncode}"
        raise PandocError(message)
    return done.stdout
