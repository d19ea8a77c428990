"""Front matter rules: which metadata fields the site knows, and checking a file's header.

Pure Python (no Pelican import). The header is Python-Markdown's `meta` format: `Key: value`
lines at the top of the file, continuation lines indented, ended by a blank line.
"""

from __future__ import annotations

import calendar
import difflib
import re
import unicodedata
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
    "clinical": "yes or no: whether the review rules apply (default: yes; `Clinical: no` for news, About).",
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
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$")
DATE_FIELDS = ("date", "modified", "reviewed", "review_due")
#: Years a date may have: later ones overflow date arithmetic (review_due = reviewed + 12 months).
YEARS = (1900, 2100)
STATUSES = ("draft", "published", "hidden")
#: Characters that reorder the text around them on screen (bidirectional overrides and isolates).
_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
#: Output-path fields: a plain relative path, never absolute, never climbing out with '..'.
_PATH_FIELDS = ("save_as", "url")
#: Unicode categories that show nothing: controls, format (zero-width) characters, spaces, separators.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"})


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


def field_line(path, key: str) -> int | None:
    """The line of metadata field `key` (any capitalisation) in the header of the file at `path`, as
    :func:`header` reads it; None when the header has no such field or the file cannot be read."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            lines = []
            for line in fh:  # the header only: up to the first blank line
                if not line.strip() and lines:
                    break
                lines.append(line)
    except OSError:
        return None
    key = key.lower()
    return next((number for number, name, _ in header("".join(lines)) if name == key), None)


def unfilled(text: str) -> set[str]:
    """Fields whose value still starts with TODO (the title is never dropped: it is required)."""
    return {key for _, key, value in header(text) if key != "title" and value.upper().startswith("TODO")}


def date_problem(value: str) -> str | None:
    """Why a YYYY-MM-DD[ HH:MM[:SS]] value is not a real date, or None when it is one."""
    match = _DATE.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    if not YEARS[0] <= year <= YEARS[1]:
        return f"the year {year:04d} is not between {YEARS[0]} and {YEARS[1]}"
    if not 1 <= month <= 12:
        return f"there is no month {match.group(2)}; months are 01 to 12"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{calendar.month_name[month]} {year} has {days} days"
    if hour > 23 or minute > 59 or second > 59:
        return f"there is no time {value.split()[-1].split('T')[-1]} in a day"
    return None


def visible(text: str) -> str:
    """`text` without invisible characters: zero-width, format, control and space characters."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)


def slug_problem(value: str) -> str | None:
    """Why a `slug:` value cannot be the last part of an address, or None."""
    if "/" in value or "\\" in value or ".." in value or value.startswith("."):
        return "contains '/', '\\' or '..'"
    if not visible(value):
        return "has no visible characters"
    if any(unicodedata.category(ch) in _INVISIBLE for ch in value):
        return "contains spaces or invisible characters"
    return None


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
        problems.extend(Problem(line, message) for message in _value_problems(key, value))
    values = {key: value for _, key, value in entries}
    if values.get("status", "").lower() == "draft":
        for key in ("save_as", "url"):
            if key in seen:
                problems.append(
                    Problem(
                        seen[key],
                        f"'{key}:' on a draft would publish it at that address even though it is a "
                        f"draft; remove the '{key.capitalize()}:' line until the page is published",
                    )
                )
    problems.extend(_fields_after_blank_line(text, known))
    for key in REQUIRED.get(kind, ()):
        if key not in seen:
            hint = (
                "e.g. 'Title: Back Pain: How Running Can Help'"
                if key == "title"
                else "e.g. 'Date: 2025-01-31'"
            )
            problems.append(Problem(1, f"no '{key}' in the header; add a line at the top, {hint}"))
    return problems


def _fields_after_blank_line(text: str, known) -> list[Problem]:
    """A header field in the first paragraph after the header: a blank line split the header, and
    the rest of it would show as text on the page (and its fields would be missing)."""
    lines = text.splitlines()
    blank = next((i for i, line in enumerate(lines) if not line.strip() and i > 0), None)
    if blank is None:
        return []
    for number in range(blank + 1, len(lines)):
        line = lines[number]
        if not line.strip():
            if number > blank + 1 and lines[number - 1].strip():
                break  # the end of the first paragraph after the header
            continue
        match = _KEY_LINE.match(line)
        if match and match.group(1).lower() in known:
            return [
                Problem(
                    number + 1,
                    f"'{match.group(1)}:' comes after a blank line, which ends the header, so this "
                    "line would show as text on the page; remove the blank line above it",
                )
            ]
    return []


_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def _value_problems(key: str, value: str) -> list[str]:
    """What is wrong with one header field's value (the field name is lower-case)."""
    shown = f"'{key}: {value}'"
    if bidi := sorted({f"U+{ord(ch):04X}" for ch in value if ch in _BIDI}):
        return [
            f"'{key}' contains an invisible right-to-left/left-to-right control character "
            f"({', '.join(bidi)}) that makes the text show in a different order than it is written; "
            "delete it (retype the line)"
        ]
    if key in DATE_FIELDS:
        if not _DATE.match(value):
            return [f"{shown} is not a date; write it as YYYY-MM-DD, e.g. 2025-01-31"]
        if why := date_problem(value):
            return [f"{shown} is not a real date ({why}); check the day, month and year"]
    if key == "title":
        if not value:
            return ["the title is empty; write the headline after 'Title:'"]
        if not visible(value):
            return [
                "the title has only invisible characters (zero-width spaces or similar); write the headline"
            ]
    if key == "status" and value.lower() not in (*STATUSES, "skip"):
        return [
            f"{shown} is not a status{suggest(value.lower(), STATUSES)}; use one of: {', '.join(STATUSES)}"
        ]
    if key == "slug" and (why := slug_problem(value)):
        return [
            f"{shown} {why}; a slug is the last part of the page's address: lower-case words joined "
            "by hyphens, e.g. 'knee-pain'"
        ]
    if key in ("tags", "category"):
        for name in value.split(",") if key == "tags" else [value]:
            if name.strip() and not any(ch.isalnum() for ch in name):
                return [
                    f"{shown}: '{name.strip()}' has no letters or digits, so its page cannot have an "
                    f"address; write {'the tag' if key == 'tags' else 'the topic'} in words"
                ]
    if key == "lang" and not _LANG.match(value):
        return [f"{shown} is not a language code; write one such as 'en-GB' or 'cy' (Welsh)"]
    if key in _PATH_FIELDS:
        parts = value.replace("\\", "/").split("/")
        if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", value) and not re.match(r"^[A-Za-z]:[\\/]", value):
            return [
                f"{shown} is a web address with a scheme; '{key.capitalize()}:' is a path inside the "
                "site, e.g. 'about/index.html'"
            ]
        if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value) or ".." in parts:
            return [
                f"{shown} leaves the site's folder (an absolute path or '..'); give a path inside "
                "the site, e.g. '404.html' or 'about/index.html'"
            ]
    return []
