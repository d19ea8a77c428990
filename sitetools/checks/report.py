"""The one summary table of `invoke check`: page type, check, result, where to look."""

from __future__ import annotations

from dataclasses import dataclass

PASS, FAIL, WARN, INFO = "pass", "FAIL", "warn", "info"


@dataclass(frozen=True)
class Row:
    page_type: str
    check: str
    result: str  # PASS, FAIL (fails the check), WARN (advisory) or INFO
    where: str  # the page (and line) and what is wrong, or what was checked


class MissingTool(Exception):
    """A tool a check needs is not installed: the message names the install command."""

    def __init__(self, tool: str, install: str) -> None:
        super().__init__(f"{tool} is not installed: run `{install}`")


def table(rows: list[Row]) -> str:
    """Rows as an aligned plain-text table (the last column is left ragged)."""
    head = Row("page type", "check", "result", "where to look")
    widths = [max(len(getattr(r, f)) for r in [head, *rows]) for f in ("page_type", "check", "result")]

    def line(r: Row) -> str:
        cells = [r.page_type.ljust(widths[0]), r.check.ljust(widths[1]), r.result.ljust(widths[2])]
        return "  ".join([*cells, r.where]).rstrip()

    rule = "  ".join("-" * w for w in widths) + "  " + "-" * 13
    return "\n".join([line(head), rule, *(line(r) for r in rows)])


def failed(rows: list[Row]) -> bool:
    return any(r.result == FAIL for r in rows)
