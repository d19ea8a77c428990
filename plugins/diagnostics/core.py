"""Diagnostics in one format for the build and every plugin, the way compilers print them.

    content/articles/2025-01-31-back-pain.md:14: error: unknown citation key 'hartvigsen2019'

Plugins call :func:`report` (or :func:`error` / :func:`warning`); the build runner
(``sitetools.build``) prints the summary at the end and fails on any error. Pure Python:
no Pelican import, so every plugin can use it and tests can too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"
NOTE = "note"
_ORDER = {ERROR: 0, WARNING: 1, NOTE: 2}


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # relative to the project where possible; "" when no file is involved
    line: int | None
    severity: str
    message: str
    check: str = field(default="build", compare=False)  # which capability found it

    def format(self) -> str:
        where = self.path or self.check
        if self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"


class ReportedError(Exception):
    """Raised to stop work on a file whose problems are already reported as diagnostics.

    Pelican logs "Could not process <file>" for it; the log bridge drops that line, since the
    diagnostics already say what is wrong and where.
    """

    def __init__(self, path, message: str = "see the errors reported for this file") -> None:
        self.path = relpath(path)
        COLLECTOR.silenced.add(self.path)
        super().__init__(f"{self.path}: {message}")


class Collector:
    """Collects diagnostics for one build; de-duplicates identical ones."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []
        self._seen: set[tuple] = set()
        #: files whose failure is already explained by diagnostics (see ReportedError)
        self.silenced: set[str] = set()

    def add(self, diag: Diagnostic) -> None:
        key = (diag.path, diag.line, diag.severity, diag.message)
        if key not in self._seen:
            self._seen.add(key)
            self._items.append(diag)

    def mark(self) -> int:
        """A bookmark: :meth:`since` returns what was added after it (a forked writer's findings)."""
        return len(self._items)

    def since(self, mark: int) -> list[Diagnostic]:
        return self._items[mark:]

    def clear(self) -> None:
        self._items.clear()
        self._seen.clear()
        self.silenced.clear()

    @property
    def items(self) -> list[Diagnostic]:
        return sorted(self._items, key=lambda d: (_ORDER.get(d.severity, 9), d.path, d.line or 0))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == WARNING]

    def summary(self) -> str:
        """One block a person can read: every finding, then the counts."""
        if not self._items:
            return ""
        lines = [d.format() for d in self.items]
        counts = f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        return "\n".join([*lines, counts])


#: The one collector of this process (a build runs once per process).
COLLECTOR = Collector()

_PROJECT_ROOT = Path(os.environ.get("SITE_PROJECT_ROOT", Path(__file__).resolve().parents[2]))


def relpath(path: str | os.PathLike | None) -> str:
    """A path as the writer sees it: relative to the project when inside it."""
    if not path:
        return ""
    p = Path(path)
    try:
        return p.resolve().relative_to(_PROJECT_ROOT.resolve()).as_posix()
    except ValueError:
        try:
            return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return str(p)


def report(path, line, severity, message, check="build") -> Diagnostic:
    diag = Diagnostic(relpath(path), line, severity, message, check)
    COLLECTOR.add(diag)
    return diag


def error(path, line, message, check="build") -> Diagnostic:
    return report(path, line, ERROR, message, check)


def warning(path, line, message, check="build") -> Diagnostic:
    return report(path, line, WARNING, message, check)


def line_of(path, pattern: str, default: int | None = None) -> int | None:
    """1-based line of the first line of `path` containing `pattern` (for metadata keys etc.)."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            for number, text in enumerate(fh, 1):
                if pattern in text:
                    return number
    except OSError:
        pass
    return default
