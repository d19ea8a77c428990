"""Plain-text citation lint: "Hartvigsen et al. 2018" typed as text where `[@hartvigsen2018]` exists.

A citation typed by hand has no link to the reference list, no DOI and no check that the study is
in the bibliography. This lint finds author–year text in the Markdown source that matches an entry
of the bibliography and names the key to use instead. It only ever warns.

The bibliography is the citations plugin's (``citations.bibliography``: .bib, CSL .json and .yaml,
the site's folder and the article's own files); this module only takes each entry's key, first
author's surname and year.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from citations.settings import inside

# Surname [et al. | and/& Surname2] [,] [(]year[)], e.g. "Hartvigsen et al. 2018", "(Belavy et al., 2017)",
# "Horga et al. (2022)", "Mitchell and Owen 2020". The surname may carry accents, hyphens and apostrophes.
_NAME = r"[A-ZÀ-Ý][\w'’\-]+"
_TEXT_CITATION = re.compile(
    rf"(?<![@\w])\(?(?P<surname>{_NAME})"
    rf"(?P<rest>\s+et\s+al\.?|\s+(?:and|&)\s+{_NAME})?"
    r",?\s*\(?(?P<year>(?:19|20)\d\d)[a-z]?\b\)?"
)


@dataclass(frozen=True)
class Entry:
    key: str
    surname: str  # first author's surname, folded (lower case, no accents)
    year: str


@dataclass(frozen=True)
class Finding:
    line: int
    text: str
    keys: tuple[str, ...]

    @property
    def message(self) -> str:
        cites = " or ".join(f"[@{k}]" for k in self.keys)
        return (
            f"'{self.text}' is a citation typed as plain text; cite it as {cites} so it links to "
            "the reference list"
        )


def fold(text: str) -> str:
    """Lower case without accents or LaTeX markup: "Belav{\\'y}" and "Belavý" both give "belavy"."""
    text = re.sub(r"\\[a-zA-Z]+\s*|\\.", "", text).replace("{", "").replace("}", "")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()


def entries(items) -> list[Entry]:
    """Key, first author's surname and year of each CSL-JSON item (enough to match author–year text).

    `items` are the citations plugin's bibliography entries (``citations.bibliography.Entry``): the
    one reader of .bib, .json and .yaml files, the site's folder and each article's own files.
    """
    found = []
    for entry in items:
        item = entry.item
        authors = item.get("author") or item.get("editor") or []
        if isinstance(authors, dict):  # Better BibTeX's CSL YAML writes one author as a map
            authors = [authors]
        first = authors[0] if isinstance(authors, list) and authors and isinstance(authors[0], dict) else {}
        surname = str(first.get("family") or first.get("literal") or "").strip()
        year = _year(item.get("issued"))
        if surname and year:
            found.append(Entry(entry.id, fold(surname), year))
    return found


def _year(issued) -> str:
    if isinstance(issued, dict):
        parts = issued.get("date-parts") or [[]]
        if parts and parts[0] and parts[0][0] not in ("", None):
            return str(parts[0][0])
        issued = issued.get("raw") or issued.get("literal") or ""
    match = re.search(r"\b(?:1[5-9]|20)\d\d\b", str(issued or ""))
    return match.group(0) if match else ""


def article_files(source_path: str, value: str | None, content_path: Path) -> list[Path]:
    """The files an article's `bibliography:` names that exist inside the content folder (the
    citations plugin reports the others)."""
    found = []
    for name in (value or "").split(","):
        name = name.strip()
        candidates = [Path(source_path).parent / name, content_path / name] if name else []
        path = next((p for p in candidates if p.is_file() and inside(p, content_path)), None)
        if path is not None:
            found.append(path)
    return found


def _body_lines(text: str):
    """(line number, line) of the Markdown body: after the header, outside fenced and indented code."""
    lines = text.splitlines()
    start = 0
    if lines and lines[0].startswith("---"):  # YAML-style fenced header
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)
    elif lines and re.match(r"^[A-Za-z0-9_-]+:", lines[0]):
        start = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    fence = None
    for number in range(start, len(lines)):
        line = lines[number]
        marker = re.match(r"^\s*(`{3,}|~{3,})", line)
        if marker:
            if fence is None:
                fence = marker.group(1)[0]
            elif marker.group(1)[0] == fence:
                fence = None
            continue
        if fence is None:
            yield number + 1, re.sub(r"`[^`]*`", "", line)  # inline code is not prose


def lint(text: str, entries: list[Entry]) -> list[Finding]:
    """Author–year citations typed as text that match a bibliography entry."""
    index: dict[tuple[str, str], list[str]] = {}
    for entry in entries:
        index.setdefault((entry.surname, entry.year), []).append(entry.key)
    findings = []
    for number, line in _body_lines(text):
        for match in _TEXT_CITATION.finditer(line):
            keys = index.get((fold(match.group("surname")), match.group("year")))
            if keys:
                typed = match.group(0).strip()
                if typed.count("(") != typed.count(")"):
                    typed = typed.strip("()")
                findings.append(Finding(number, typed, tuple(keys)))
    return findings
