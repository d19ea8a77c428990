"""Both cores for the full build: the Markdown of every article and page is read (Python-Markdown and
the plugins' extensions, the bulk of a build) by worker processes while the build process does the
rest in Pelican's own order.

The workers are forked from the build process once Pelican and its plugins are set up (after the
content checks that run before anything is read), so each has the very reader the build would use.
A worker returns what the reader returned, with the diagnostics it reported; the build process
takes them in Pelican's order, exactly where it would have read the file itself, so pages,
findings and caches are what a single-process build makes (tests/site/test_parallel.py
compares both trees). Anything unusual (a reader that raised something other than a reported
error, a result that cannot be sent back) falls back to reading in the build process.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor

from sitetools.pelican_private import prefetch_reads

MARKDOWN = ("md", "markdown", "mkd", "mdown")
_STATE: dict = {}  # what a forked worker inherits: {"readers": {fmt: reader}, "settings": dict}


def default_jobs() -> int:
    """Worker processes for a build: one per core, at most 4 (SITETOOLS_BUILD_JOBS=1: no workers)."""
    env = os.environ.get("SITETOOLS_BUILD_JOBS", "")
    if env.isdigit():
        return int(env)
    return min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


class _Pickler(pickle.Pickler):
    """Results refer to the settings (Category, Tag, Author objects hold them): send a reference,
    not a copy, so the build process's objects share its own settings as they would."""

    def persistent_id(self, obj):
        return "settings" if obj is _STATE.get("settings") else None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid):
        if pid == "settings":
            return _STATE["settings"]
        raise pickle.UnpicklingError(f"unknown reference {pid!r}")


def _read(fmt: str, path: str) -> bytes:
    """In a worker: read one file as the build would; return the pickled outcome."""
    import diagnostics

    diagnostics.COLLECTOR.clear()
    try:
        reader = _STATE["readers"][fmt]
        outcome = ("ok", type(reader).read(reader, path))  # the class's read: not the build's hook
    except diagnostics.ReportedError:
        outcome = ("reported", None)
    except Exception:
        return pickle.dumps(("again", None, []))  # the build process reads it itself, as usual
    found = diagnostics.COLLECTOR.items
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((*outcome, found))
    except Exception:
        return pickle.dumps(("again", None, []))
    return buffer.getvalue()


class ParallelReads:
    """While active, Pelican's article and page generators have their Markdown read by `jobs` workers.

    Only a few files are read ahead of the build process (AHEAD per worker), so at most those results
    wait in memory. Fewer than `min_files` files to read (a small site, a warm content cache): no
    workers, as starting them would cost more than they save."""

    AHEAD = 4

    def __init__(self, jobs: int, min_files: int = 2) -> None:
        self.jobs, self.min_files = jobs, min_files
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict[str, Future] = {}
        self.waiting: deque[tuple[str, str]] = deque()  # (fmt, path) not yet sent, in Pelican's order

    def submit(self, readers, paths: list[str]) -> None:
        """Read `paths` ahead (absolute; the Markdown files Pelican is about to read, in its order)."""
        if self.jobs < 2 or len(paths) < self.min_files:
            return
        if self.pool is None:
            import multiprocessing

            _STATE["readers"] = {fmt: readers.readers[fmt] for fmt in MARKDOWN if fmt in readers.readers}
            _STATE["settings"] = readers.settings
            self.pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"))
        for path in paths:
            fmt = path.rpartition(".")[2]
            if fmt in _STATE["readers"] and path not in self.futures:
                self.waiting.append((fmt, path))
        self._top_up()

    def _top_up(self) -> None:
        while self.waiting and len(self.futures) < self.AHEAD * self.jobs:
            fmt, path = self.waiting.popleft()
            if path not in self.futures:
                self.futures[path] = self.pool.submit(_read, fmt, path)

    def take(self, path: str):
        """The worker's outcome for `path`: ("ok", (content, metadata)) or ("reported", None), with its
        diagnostics re-reported here; None: read it here."""
        future = self.futures.pop(path, None)
        if future is None:
            return None
        self._top_up()
        try:
            kind, value, found = _Unpickler(io.BytesIO(future.result())).load()
        except Exception:  # a worker that died: read it here
            return None
        if kind == "again":
            return None
        import diagnostics

        for diag in found:
            diagnostics.COLLECTOR.add(diag)
        return kind, value

    def __enter__(self):
        self._hook = prefetch_reads(self)
        self._hook.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._hook.__exit__(*exc)
        if self.pool is not None:
            for future in self.futures.values():
                future.cancel()
            with contextlib.suppress(Exception):
                self.pool.shutdown(wait=True, cancel_futures=True)
        _STATE.clear()
