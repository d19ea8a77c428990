"""Loading bibliographies into CSL-JSON items: BibTeX/BibLaTeX (.bib), CSL-JSON (.json), CSL-YAML (.yaml).

Pure apart from pandoc, which converts ``.bib`` files (``pandoc -f biblatex -t csljson``: it reads
what Zotero's Better BibTeX writes — LaTeX accents, protected braces, ``\\emph{}``, ``journaltitle``,
``date``, corporate authors in double braces — and keeps ``pmid`` as CSL ``PMID``). Conversions are
cached by file content. Problems come back as :class:`Problem` values; the caller reports them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import pandoc
from .cachefiles import write_atomic

EXTENSIONS = {
    ".bib": "biblatex",
    ".bibtex": "bibtex",
    ".json": "csljson",
    ".yaml": "cslyaml",
    ".yml": "cslyaml",
}
_DATE_FIELDS = ("issued", "accessed", "event-date", "original-date", "submitted")


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" | "warning"
    path: str
    line: int | None
    message: str


@dataclass
class Entry:
    id: str
    item: dict  # CSL-JSON
    source: str  # the file it came from
    line: int | None = None


@dataclass
class Bibliography:
    entries: dict[str, Entry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)


def has_year(item: dict) -> bool:
    issued = item.get("issued")
    if isinstance(issued, (str, int)):
        return bool(str(issued).strip())
    if isinstance(issued, dict):
        parts = issued.get("date-parts") or []
        return bool(parts and parts[0] and parts[0][0] not in ("", None)) or bool(
            issued.get("raw") or issued.get("literal")
        )
    return False


class Loader:
    """Parses each bibliography file at most once per build (``load`` is memoised per path)."""

    def __init__(self, cache_dir: str | Path | None = None) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self._files: dict[Path, tuple[list[Entry], list[Problem]]] = {}

    # -- one file -------------------------------------------------------------------------------
    def load(self, path: str | Path) -> tuple[list[Entry], list[Problem]]:
        path = Path(path).resolve()
        if path not in self._files:
            self._files[path] = self._load(path)
        return self._files[path]

    def _load(self, path: Path) -> tuple[list[Entry], list[Problem]]:
        fmt = EXTENSIONS.get(path.suffix.lower())
        try:
            data = path.read_bytes()
        except OSError as exc:
            return [], [Problem("error", str(path), None, f"cannot read bibliography: {exc.strerror}")]
        text = data.decode("utf-8", errors="replace")
        try:
            if fmt in ("biblatex", "bibtex"):
                items = self._convert_bib(path, fmt, data)
            elif fmt == "csljson":
                items = json.loads(text)
            elif fmt == "cslyaml":
                items = _load_yaml(text)
            else:
                return [], [
                    Problem("error", str(path), None, "unknown bibliography format (use .bib, .json, .yaml)")
                ]
        except _ParseError as exc:
            return [], [Problem("error", str(path), exc.line, exc.message)]
        except pandoc.PandocError as exc:
            return [], [Problem("error", str(path), None, f"cannot convert bibliography: {exc}")]
        except json.JSONDecodeError as exc:
            return [], [
                Problem("error", str(path), exc.lineno, f"invalid CSL-JSON: {exc.msg} (column {exc.colno})")
            ]
        if isinstance(items, dict) and "references" in items:
            items = items["references"]
        if not isinstance(items, list):
            return [], [Problem("error", str(path), None, "a CSL bibliography must be a list of entries")]
        return self._entries(path, fmt, text, items)

    def _entries(self, path: Path, fmt: str, text: str, items: list) -> tuple[list[Entry], list[Problem]]:
        lines = _key_lines(fmt, text)
        entries, problems, seen = [], [], {}
        for number, item in enumerate(items, 1):
            if not isinstance(item, dict) or not str(item.get("id", "")).strip():
                problems.append(
                    Problem("error", str(path), None, f"entry {number} has no 'id' (citation key)")
                )
                continue
            item = _normalise(item)
            key = item["id"]
            line = lines.get(key)
            if key in seen:
                problems.append(
                    Problem(
                        "error",
                        str(path),
                        line,
                        f"duplicate citation key '{key}' (entries {seen[key]} and {number})",
                    )
                )
                continue
            seen[key] = number
            if not has_year(item):
                problems.append(
                    Problem(
                        "warning",
                        str(path),
                        line,
                        f"bibliography entry '{key}' has no year (rendered as the style's 'no date')",
                    )
                )
            entries.append(Entry(key, item, str(path), line))
        return entries, problems

    def _convert_bib(self, path: Path, fmt: str, data: bytes) -> list[dict]:
        exe = pandoc.find_pandoc()
        digest = hashlib.sha256(b"\0".join([pandoc.binary_id(exe).encode(), fmt.encode(), data])).hexdigest()
        cached = self.cache_dir / "bib" / f"{digest}.json" if self.cache_dir else None
        if cached and cached.is_file():
            return json.loads(cached.read_text(encoding="utf-8"))
        try:
            out = pandoc.run([exe, "-f", fmt, "-t", "csljson", str(path)])
        except pandoc.PandocError as exc:
            raise _bib_error(path, data.decode("utf-8", errors="replace"), str(exc)) from exc
        items = json.loads(out)
        if cached:
            write_atomic(cached, json.dumps(items, ensure_ascii=False))
        return items

    # -- a set of files -------------------------------------------------------------------------
    def load_many(self, paths: Iterable[str | Path]) -> Bibliography:
        """Every entry of `paths`; a key in two files is an error naming both."""
        bib = Bibliography()
        for path in paths:
            entries, problems = self.load(path)
            bib.problems += problems
            for entry in entries:
                other = bib.entries.get(entry.id)
                if other is not None:
                    bib.problems.append(
                        Problem(
                            "error",
                            entry.source,
                            entry.line,
                            f"duplicate citation key '{entry.id}': also in {_display(other.source)}"
                            + (f" (line {other.line})" if other.line else ""),
                        )
                    )
                    continue
                bib.entries[entry.id] = entry
        return bib


def folder_files(folder: str | Path) -> list[Path]:
    """The bibliography files of a folder (sorted, so builds are reproducible)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS)


def overlay(base: Bibliography, extra: Bibliography) -> tuple[Bibliography, list[Problem]]:
    """`base` plus an article's own files; the article's entries win, with a warning naming both."""
    merged = Bibliography(dict(base.entries), [])
    problems = []
    for key, entry in extra.entries.items():
        if key in base.entries:
            problems.append(
                Problem(
                    "warning",
                    entry.source,
                    entry.line,
                    f"citation key '{key}' overrides the entry in {_display(base.entries[key].source)}",
                )
            )
        merged.entries[key] = entry
    return merged, problems


# -- helpers ------------------------------------------------------------------------------------
class _ParseError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


_BIB_ENTRY_RE = re.compile(r"^[ \t]*@(\w+)[ \t]*[{(][ \t]*([^,\s]+)[ \t]*,", re.M)


def _bib_entries(text: str) -> list[tuple[int, str]]:
    """(line, key) of every entry start in a .bib text."""
    return [
        (text.count("\n", 0, m.start()) + 1, m.group(2))
        for m in _BIB_ENTRY_RE.finditer(text)
        if m.group(1).lower() not in ("comment", "string", "preamble")
    ]


def _bib_error(path: Path, text: str, message: str) -> _ParseError:
    """pandoc's message, plus the entry it is about (pandoc gives only a line and column)."""
    where = re.search(r"\(line (\d+), column (\d+)\)", message)
    if not where:
        return _ParseError(None, f"cannot parse bibliography: {message}")
    line, column = int(where.group(1)), int(where.group(2))
    detail = message.split("):", 1)[-1].strip()
    # "unexpected '@'" at the start of an entry means the entry before it is not closed.
    at_entry_start = (
        column == 1 and text.splitlines()[line - 1 : line] and text.splitlines()[line - 1].startswith("@")
    )
    starts = [(n, key) for n, key in _bib_entries(text) if n < line or (n == line and not at_entry_start)]
    if not starts:
        return _ParseError(line, f"cannot parse bibliography: {detail}")
    entry_line, key = starts[-1]
    return _ParseError(
        entry_line,
        f"cannot parse bibliography entry '{key}' (pandoc: line {line}, column {column}: {detail})",
    )


def _key_lines(fmt: str, text: str) -> dict[str, int]:
    if fmt in ("biblatex", "bibtex"):
        return {key: line for line, key in reversed(_bib_entries(text))}
    pattern = r'"id"\s*:\s*"([^"]+)"' if fmt == "csljson" else r"^\s*-?\s*id\s*:\s*['\"]?([^'\"\s#]+)"
    out: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        for match in re.finditer(pattern, line):
            out.setdefault(match.group(1), number)
    return out


def _load_yaml(text: str):
    import yaml

    try:
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _ParseError(
            mark.line + 1 if mark else None, f"invalid CSL-YAML: {getattr(exc, 'problem', exc)}"
        ) from exc
    if len(docs) == 1:
        return docs[0]
    merged = []  # pandoc-style: several YAML documents, each with `references:`
    for doc in docs:
        merged += doc.get("references", []) if isinstance(doc, dict) else doc
    return merged


def _normalise(item: dict) -> dict:
    """JSON-safe CSL item (YAML dates become strings, which pandoc parses as EDTF dates)."""
    item = json.loads(json.dumps(item, default=str, ensure_ascii=False))
    item["id"] = str(item["id"]).strip()
    for name in _DATE_FIELDS:
        if isinstance(item.get(name), int):
            item[name] = str(item[name])
    return item


def _display(path: str) -> str:
    from diagnostics import relpath

    return relpath(path)
