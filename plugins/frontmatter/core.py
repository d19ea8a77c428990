"""Front matter rules: which metadata fields the site knows, and checking a file's header.

Pure Python (no Pelican import). The header is Python-Markdown's `meta` format: `Key: value`
lines at the top of the file, continuation lines indented, ended by a blank line.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

#: Every metadata field the site understands, with what it is for. One place: `invoke new`,
#: the README and the checks all read this table.
FIELDS: dict[str, str] = {
    "title": "The headline (required).",
    "date": "Publication date, YYYY-MM-DD (required for articles).",
    "modified": "Date of the last substantive change, YYYY-MM-DD.",
    "category": "One category, e.g. Back pain.",
    "tags": "Comma-separated tags, e.g. running, low back pain.",
    "summary": "One or two plain sentences shown on the home page and in search results.",
    "author": "Who wrote it: a person key from PEOPLE, e.g. alex-example.",
    "authors": "Several authors: person keys from PEOPLE, comma-separated.",
    "reviewed_by": "The clinician who reviewed it: a person key from PEOPLE, e.g. sam-sample.",
    "reviewed": "Date of the clinical review, YYYY-MM-DD.",
    "review_due": "Date the next review is due, YYYY-MM-DD (default: reviewed + CLINICAL_REVIEW_MONTHS).",
    "clinical": "true or false: whether the review rules apply (default: true in CLINICAL_CATEGORIES).",
    "booking": "Which Book Now target ends the page: a name from BOOKING_TARGETS, default, or none.",
    "bibliography": "Extra bibliography files for this article (comma-separated).",
    "citation-style": "A citation style for this article only (harvard-cite-them-right, apa, vancouver).",
    "slug": "The last part of the URL (default: made from the title).",
    "status": "published (default), draft or hidden.",
    "template": "A theme template other than the default.",
    "save_as": "Where the file is written (special pages only, such as the 404 page).",
    "url": "The URL of a page saved with save_as.",
    "nav_order": "Position in the site navigation (pages only).",
    "lang": "Language code, when not the site default.",
    "translation": "true when this is a translation of another article.",
}

#: Fields the site's own Markdown extensions add while reading (never typed by a writer).
INTERNAL_FIELDS = frozenset({"citation_clusters"})

REQUIRED = {"article": ("title", "date"), "page": ("title",)}

_KEY_LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*(.*)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$")


@dataclass(frozen=True)
class Problem:
    line: int
    message: str
    severity: str = "error"


def header(text: str) -> list[tuple[int, str, str]]:
    """The (line, key, value) entries of a Markdown meta header, as Python-Markdown reads them."""
    entries: list[tuple[int, str, str]] = []
    lines = text.splitlines()
    if lines and lines[0].startswith("---"):  # YAML-style fences are allowed by the meta extension
        lines = lines[1:]
        offset = 2
    else:
        offset = 1
    for number, line in enumerate(lines, offset):
        if not line.strip() or line.strip() in ("---", "..."):
            break
        match = _KEY_LINE.match(line)
        if match:
            entries.append((number, match.group(1).lower(), match.group(2).strip()))
        elif line.startswith((" ", "\t")) and entries:
            n, key, value = entries[-1]
            entries[-1] = (n, key, f"{value} {line.strip()}".strip())
        else:
            break
    return entries


def unfilled(text: str) -> set[str]:
    """Fields whose value still starts with TODO (the title is never dropped: it is required)."""
    return {key for _, key, value in header(text) if key != "title" and value.upper().startswith("TODO")}


def suggest(key: str, known) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_header(text: str, kind: str, known=FIELDS, production: bool = False) -> list[Problem]:
    """Problems a writer must fix in this file's header; empty when it is fine.

    A value still starting with TODO (as `invoke new` leaves them) is a warning while writing
    and an error in a production build.
    """
    entries = header(text)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line, key, value in entries:
        if key not in known:
            problems.append(
                Problem(
                    line,
                    f"unknown metadata field '{key}'{suggest(key, known)}; "
                    f"the fields this site knows are listed in docs/writing.md",
                )
            )
        if key in seen and key != "tags":
            problems.append(Problem(line, f"'{key}' is given twice (first on line {seen[key]}); keep one"))
        seen.setdefault(key, line)
        if value.upper().startswith("TODO"):
            problems.append(
                Problem(line, f"'{key}' still says TODO; fill it in", "error" if production else "warning")
            )
            continue
        if key in ("date", "modified", "reviewed", "review_due") and not _DATE.match(value):
            problems.append(
                Problem(line, f"'{key}: {value}' is not a date; write it as YYYY-MM-DD, e.g. 2025-01-31")
            )
        if key == "title" and not value:
            problems.append(Problem(line, "the title is empty; write the headline after 'Title:'"))
    for key in REQUIRED.get(kind, ()):
        if key not in seen:
            hint = (
                "e.g. 'Title: Back Pain: How Running Can Help'"
                if key == "title"
                else "e.g. 'Date: 2025-01-31'"
            )
            problems.append(Problem(1, f"no '{key}' in the header; add a line at the top, {hint}"))
    return problems
