"""Diagnostics: one error format for every check, and Pelican's own warnings and errors turned into them.

Not a Pelican plugin (nothing to register, not in PLUGINS): the plugins import it to report, and the
build runner owns the collector and installs the log bridge.

Pelican only logs most problems (a plugin that fails to import, an article without a title,
a duplicate slug) and exits 0. The build runner installs :class:`PelicanLogBridge` so that every
warning or error Pelican logs becomes an error diagnostic and fails the build.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .core import (
    COLLECTOR,
    ERROR,
    WARNING,
    Collector,
    Diagnostic,
    ReportedError,
    error,
    line_of,
    relpath,
    report,
    warning,
)

__all__ = [
    "COLLECTOR",
    "ERROR",
    "WARNING",
    "Collector",
    "Diagnostic",
    "PelicanLogBridge",
    "ReportedError",
    "error",
    "line_of",
    "relpath",
    "report",
    "warning",
]


class PelicanLogBridge(logging.Handler):
    """Records Pelican's (and any library's) warnings and errors as build errors."""

    def __init__(self, collector: Collector = COLLECTOR) -> None:
        super().__init__(level=logging.WARNING)
        self.collector = collector

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        if str(record.msg).startswith("Could not process") and any(
            path.endswith(str(arg)) for arg in args for path in self.collector.silenced
        ):
            return  # the file's own diagnostics already say what is wrong
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not hide the problem
            message = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            detail = str(record.exc_info[1])
            if detail and detail not in message:
                message = f"{message}: {detail}"
        message = " ".join(message.split()).replace(f"{Path.cwd()}/", "")
        self.collector.add(Diagnostic("", None, ERROR, message, "pelican"))
