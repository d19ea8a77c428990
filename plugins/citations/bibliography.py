"""Loading bibliographies into CSL-JSON items: BibTeX/BibLaTeX (.bib), CSL-JSON (.json), CSL-YAML (.yaml).

Pure apart from pandoc, which converts ``.bib`` files (``pandoc -f biblatex -t csljson``: it reads
what Zotero's Better BibTeX writes — LaTeX accents, protected braces, ``\\emph{}``, ``journaltitle``,
``date``, corporate authors in double braces — and keeps ``pmid`` as CSL ``PMID``). Conversions are
cached by file content. Problems come back as :class:`Problem` values; the caller reports them.

Hostile files: a file larger than ``max_bytes`` is not read; a ``.bib`` file is scanned once (linear
time, see ``bibscan``) before pandoc sees it, and a crossref/xdata cycle or a crossref to a missing
entry is an error (pandoc would grow without bound on a cycle); pandoc itself runs under a time and a
memory limit.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import bibscan, pandoc
from .cachefiles import read_entry, write_entry

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
    failed: list[str] = field(default_factory=list)  # files that could not be read at all

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

    def __init__(
        self,
        cache_dir: str | Path | None = None,
        *,
        load_cache: bool = True,
        max_bytes: int = 2 * 1024 * 1024,
        timeout: float = pandoc.DEFAULT_TIMEOUT,
        memory: int = pandoc.DEFAULT_MEMORY,
    ) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.load_cache = load_cache
        self.max_bytes, self.timeout, self.memory = max_bytes, timeout, memory
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
            with open(path, "rb") as fh:
                data = fh.read(self.max_bytes + 1)
        except OSError as exc:
            return [], [Problem("error", str(path), None, f"cannot read bibliography: {exc.strerror}")]
        if len(data) > self.max_bytes:
            return [], [
                Problem(
                    "error",
                    str(path),
                    None,
                    f"bibliography file is larger than {self.max_bytes:,} bytes (the limit, "
                    "CONTENT_MAX_FILE_BYTES); split it into several files or raise the setting",
                )
            ]
        text = data.decode("utf-8", errors="replace")
        scan = bibscan.scan(text) if fmt in ("biblatex", "bibtex") else None
        if scan is not None and (links := bibscan.check_links(scan)):
            return [], [Problem("error", str(path), line, message) for line, message in links]
        try:
            if scan is not None:
                items = self._convert_bib(path, fmt, data, text, scan)
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
        return self._entries(path, fmt, text, items, scan)

    def _entries(
        self, path: Path, fmt: str, text: str, items: list, scan: bibscan.Scan | None = None
    ) -> tuple[list[Entry], list[Problem]]:
        lines = scan.first_lines() if scan is not None else _key_lines(fmt, text)
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

    def _convert_bib(self, path: Path, fmt: str, data: bytes, text: str, scan: bibscan.Scan) -> list[dict]:
        exe = pandoc.find_pandoc()
        # The content decides the conversion, not the path: a moved or copied project keeps its cache.
        digest = hashlib.sha256(b"\0".join([pandoc.binary_id(exe).encode(), fmt.encode(), data])).hexdigest()
        cached = self.cache_dir / "bib" / f"{digest}.json" if self.cache_dir else None
        if cached and self.load_cache:
            items = read_entry(cached, digest, lambda value: isinstance(value, list))
            if items is not None:
                return items
        try:
            out = pandoc.run(
                [exe, "-f", fmt, "-t", "csljson", str(path)], timeout=self.timeout, memory=self.memory
            )
        except pandoc.PandocLimitError:
            raise  # not a parse error: no entry to blame
        except pandoc.PandocError as exc:
            raise _bib_error(text, scan, str(exc)) from exc
        items = json.loads(out)
        if cached:
            write_entry(cached, digest, items)
        return items

    # -- a set of files -------------------------------------------------------------------------
    def load_many(self, paths: Iterable[str | Path]) -> Bibliography:
        """Every entry of `paths`; a key in two files is an error naming both."""
        bib = Bibliography()
        for path in paths:
            entries, problems = self.load(path)
            bib.problems += problems
            if not entries and any(p.severity == "error" for p in problems):
                bib.failed.append(str(path))
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
    merged = Bibliography(dict(base.entries), [], base.failed + extra.failed)
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


def _bib_error(text: str, scan: bibscan.Scan, message: str) -> _ParseError:
    """pandoc's message, plus the entry it is about (pandoc gives only a line and column)."""
    where = re.search(r"\(line (\d+), column (\d+)\)", message)
    if not where:
        return _ParseError(None, f"cannot parse bibliography: {message}")
    line, column = int(where.group(1)), int(where.group(2))
    detail = message.split("):", 1)[-1].strip()
    # "unexpected '@'" at the start of an entry means the entry before it is not closed.
    at_entry_start = column == 1 and any(e.line == line for e in scan.entries)
    starts = [e for e in scan.entries if e.line < line or (e.line == line and not at_entry_start)]
    if not starts:
        return _ParseError(line, f"cannot parse bibliography: {detail}")
    entry = starts[-1]
    return _ParseError(
        entry.line,
        f"cannot parse bibliography entry '{entry.key}' (pandoc: line {line}, column {column}: {detail})",
    )


def _key_lines(fmt: str, text: str) -> dict[str, int]:
    """key → line in a CSL-JSON or CSL-YAML text (.bib files: see bibscan)."""
    pattern = r'"id"\s*:\s*"([^"]+)"' if fmt == "csljson" else r"^\s*-?\s*id\s*:\s*['\"]?([^'\"\s#]+)"
    out: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        for match in re.finditer(pattern, line):
            out.setdefault(match.group(1), number)
    return out


def _load_yaml(text: str):
    import yaml

    class NoAliases(yaml.SafeLoader):
        """A YAML alias repeats a node without copying it: nine aliases of nine aliases ... are tiny
        as YAML and billions of strings once written out as JSON. CSL-YAML never needs one."""

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    "YAML aliases (*name) are not allowed in a bibliography",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)

    try:
        docs = [d for d in yaml.load_all(text, Loader=NoAliases) if d is not None]
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
