"""Plain-text citation lint: "Hartvigsen et al. 2018" typed as text where `[@hartvigsen2018]` exists.

A citation typed by hand has no link to the reference list, no DOI and no check that the study is
in the bibliography. This lint finds author–year text in the Markdown source that matches an entry
of the bibliography and names the key to use instead. It only ever warns.

The bibliography is read cheaply here (entry key, first author's surname, year) with a regular
expression over the BibTeX files, so the lint works whether or not the citations plugin is loaded.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_ENTRY = re.compile(
    r"@(?P<type>\w+)\s*\{\s*(?P<key>[^,\s]+)\s*,(?P<body>.*?)(?=^\s*@\w+\s*\{|\Z)", re.S | re.M
)
_FIELD = (
    r"(?:^|,)\s*{name}\s*=\s*"  # name = {braced {one level} value} | "quoted value" | bare
    r"(?:\{{(?P<braced>(?:[^{{}}]|\{{[^{{}}]*\}})*)\}}|\"(?P<quoted>[^\"]*)\"|(?P<bare>\w+))"
)

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


def _field(body: str, name: str) -> str:
    match = re.search(_FIELD.format(name=name), body, re.M | re.I)
    if not match:
        return ""
    return next(
        g for g in (match.group("braced"), match.group("quoted"), match.group("bare"), "") if g is not None
    )


def parse_bibtex(text: str) -> list[Entry]:
    """Key, first author's surname and year of each entry (enough to match author–year text)."""
    entries = []
    for match in _ENTRY.finditer(text):
        if match.group("type").lower() in ("comment", "preamble", "string"):
            continue
        body = match.group("body")
        author = re.split(r"\s+and\s+", _field(body, "author"), maxsplit=1)[0].strip()
        year = _field(body, "year") or _field(body, "date")[:4]
        if not author or not year:
            continue
        # "Surname, Given" or "Given Surname"; a braced corporate name stays whole
        if author.startswith("{") and author.endswith("}"):
            surname = author
        else:
            surname = author.split(",")[0] if "," in author else author.split()[-1]
        entries.append(Entry(match.group("key"), fold(surname), year.strip()))
    return entries


_CACHE: dict[tuple[str, float], list[Entry]] = {}


def load_bibliography(folder: str | Path) -> list[Entry]:
    """Every entry of the .bib files in `folder` (cached by file and modification time)."""
    entries: list[Entry] = []
    for path in sorted(Path(folder).glob("*.bib")):
        stamp = (str(path), path.stat().st_mtime)
        if stamp not in _CACHE:
            _CACHE[stamp] = parse_bibtex(path.read_text(encoding="utf-8"))
        entries.extend(_CACHE[stamp])
    return entries


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
