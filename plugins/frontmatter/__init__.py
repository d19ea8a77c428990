"""Pelican glue: check every Markdown file's header before Pelican reads it.

Pelican skips an article without a title (logging it), turns a bad date into a stack of
messages, and accepts any unknown metadata line silently. This plugin wraps the Markdown
reader so each of those becomes one diagnostic naming the file, the line and the fix.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from pathlib import Path

from pelican import signals

import diagnostics

from .core import FIELDS, INTERNAL_FIELDS, check_header, unfilled


class _TooSlow(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Stop reading one file after `seconds` (a SIGALRM timer; only where signals can be caught:
    the main thread, as in every build and the live preview)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _strict(reader_class):
    class StrictMarkdownReader(reader_class):
        def read(self, source_path):
            content_path = Path(self.settings["PATH"]).resolve()
            try:
                rel = Path(source_path).resolve().relative_to(content_path)
                kind = "page" if rel.parts and rel.parts[0] in self.settings["PAGE_PATHS"] else "article"
            except ValueError:
                kind = "article"
            text = Path(source_path).read_text(encoding="utf-8-sig")  # a BOM (Notepad) is not text
            production = self.settings.get("SITE_ENV") == "production"
            problems = check_header(text, kind, set(FIELDS) | INTERNAL_FIELDS, production)
            for problem in problems:
                diagnostics.report(
                    source_path, problem.line, problem.severity, problem.message, "frontmatter"
                )
            if any(problem.severity == "error" for problem in problems):
                raise diagnostics.ReportedError(source_path)
            seconds = self.settings.get("CONTENT_MAX_READ_SECONDS", 10)
            try:
                with _time_limit(seconds):
                    content, metadata = super().read(source_path)
            except _TooSlow:
                # Python-Markdown's link and inline-HTML patterns rescan a line for every '[x](' or
                # '<': a line of thousands of them takes minutes. No real article comes near this.
                diagnostics.error(
                    source_path,
                    None,
                    f"reading this file took more than {seconds:g} s (CONTENT_MAX_READ_SECONDS), which no "
                    "article needs: the Markdown reader slows down on a very long line full of '[', "
                    "'](' or '<'; split that line into paragraphs or delete what was pasted",
                    "frontmatter",
                )
                raise diagnostics.ReportedError(source_path) from None
            except RecursionError:
                # Python-Markdown recurses once per level of nesting (lists, emphasis ...).
                diagnostics.error(
                    source_path,
                    None,
                    "the text is nested too deeply for the Markdown reader (lists, quotes or "
                    "emphasis inside each other hundreds of levels deep); flatten it",
                    "frontmatter",
                )
                raise diagnostics.ReportedError(source_path) from None
            # A field still saying TODO (as `invoke new` leaves it) is not filled in: to every
            # other plugin it is absent, so a draft builds while its writer fills it in.
            for key in unfilled(text):
                metadata.pop(key, None)
            return content, metadata

    StrictMarkdownReader.__name__ = f"Strict{reader_class.__name__}"
    return StrictMarkdownReader


def _wrap_readers(readers) -> None:
    for ext in ("md", "markdown", "mkd", "mdown"):
        cls = readers.reader_classes.get(ext)
        if cls is not None:
            readers.reader_classes[ext] = _strict(cls)


def register() -> None:
    signals.readers_init.connect(_wrap_readers)
