"""Finding and running the pandoc binary (the CSL engine and the BibTeX/BibLaTeX reader)."""

from __future__ import annotations

import functools
import hashlib
import os
import resource
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

INSTALL_HINT = "install it with: .venv/bin/pip install pypandoc-binary (pandoc >= 3.1 with Lua)"

#: Every pandoc process this plugin starts, counted (tests assert a warm build starts none).
STARTS = 0


class PandocError(RuntimeError):
    """pandoc is missing or failed; the message says what to do."""


class PandocLimitError(PandocError):
    """pandoc was stopped by a limit: ``limit`` is "time" or "memory", ``setting`` the one to raise."""

    def __init__(self, limit: str, setting: str, message: str) -> None:
        super().__init__(message)
        self.limit, self.setting = limit, setting


#: The defaults of CITATIONS_PANDOC_TIMEOUT and CITATIONS_PANDOC_MEMORY (see settings.py).
DEFAULT_TIMEOUT = 120.0
DEFAULT_MEMORY = 2 * 1024**3


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


@functools.cache
def binary_id(path: str) -> str:
    """Identifies the pandoc binary for cache keys by its content: the sha256 pip recorded for
    pypandoc-binary's copy (hashing 160 MB on every build would cost a second), else its own hash."""
    try:
        for dist in ("pypandoc_binary", "pypandoc"):
            try:
                files = metadata.files(dist) or []
            except metadata.PackageNotFoundError:
                continue
            for record in files:
                if record.hash and Path(record.locate()).resolve() == Path(path).resolve():
                    return f"{path}:{record.hash.mode}={record.hash.value}"
        with open(path, "rb") as fh:
            return f"{path}:sha256={hashlib.file_digest(fh, 'sha256').hexdigest()}"
    except OSError:
        return path


@functools.cache
def abbreviations(path: str) -> tuple[str, ...]:
    """The abbreviations after which pandoc's command line puts a no-break space ("chap.", "p."):
    its data file, which ``pandoc.read`` in Lua does not use unless given."""
    return tuple(run([path, "--print-default-data-file", "abbreviations"]).split())


def _gib(n: float) -> str:
    return f"{n / 1024**3:g} GiB" if n >= 1024**3 else f"{n / 1024**2:g} MiB"


def run(
    args: list[str],
    stdin: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    memory: int = DEFAULT_MEMORY,
) -> str:
    """Run pandoc under a wall-clock `timeout` (s) and a `memory` cap (bytes of address space);
    return stdout. Raise :class:`PandocLimitError` when a limit stopped it, :class:`PandocError`
    with pandoc's own message on any other failure."""
    global STARTS
    STARTS += 1
    # A pre-bound builtin: the child runs no Python code of ours between fork and exec
    # (preexec_fn and threads: only async-signal-safe work is safe there).
    limit = functools.partial(resource.setrlimit, resource.RLIMIT_AS, (int(memory), int(memory)))
    try:
        done = subprocess.run(
            args,
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
            timeout=timeout,
            preexec_fn=limit,
        )
    except subprocess.TimeoutExpired as exc:  # subprocess.run has killed it
        raise PandocLimitError(
            "time",
            "CITATIONS_PANDOC_TIMEOUT",
            f"pandoc was stopped after {timeout:g} s (the time limit, CITATIONS_PANDOC_TIMEOUT = "
            f"{timeout:g}); the input is too large or built to make it loop",
        ) from exc
    except OSError as exc:
        raise PandocError(f"cannot run pandoc ({args[0]}): {exc}; {INSTALL_HINT}") from exc
    if done.returncode != 0:
        message = " ".join(done.stderr.split()) or f"exit status {done.returncode}"
        lowered = message.lower()
        if done.returncode == 251 or "out of memory" in lowered or "not enough memory" in lowered:
            raise PandocLimitError(
                "memory",
                "CITATIONS_PANDOC_MEMORY",
                f"pandoc ran out of memory (the memory limit, CITATIONS_PANDOC_MEMORY = {int(memory)}, "
                f"{_gib(memory)}); the input is too large or built to make it grow",
            )
        raise PandocError(message)
    return done.stdout
