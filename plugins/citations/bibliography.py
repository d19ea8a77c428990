"""Loading bibliographies: BibTeX/BibLaTeX (.bib), CSL-JSON (.json), CSL-YAML (.yaml).

Each file gives its entries (key, line, and a CSL-JSON item for what the plugin itself shows: DOI,
PubMed and JSON-LD links, the "no year" warning) and an ``engine.Source``: the text the CSL engine
hands to pandoc's own reader for that format, as ``pandoc --citeproc --bibliography FILE`` reads it
(the CSL-JSON items here are never what is formatted). A ``.bib`` entry pandoc cannot parse is
reported at its line and left out of that text (blank lines in its place), so the file's other
entries still resolve.

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
import os
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import bibscan, pandoc
from .cachefiles import read_entry, write_entry
from .engine import LUA, Source

EXTENSIONS = {
    ".bib": "biblatex",
    ".bibtex": "bibtex",
    ".json": "csljson",
    ".yaml": "cslyaml",
    ".yml": "cslyaml",
}
_DATE_FIELDS = ("issued", "accessed", "event-date", "original-date", "submitted")
#: At most this many unparseable entries of one .bib file are cut out and reported, one by one.
MAX_BAD_ENTRIES = 20


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
    number: int = 0  # its place in the file (1, 2, ...)


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
    if isinstance(issued, list):  # CSL-YAML as Better BibTeX writes it: [{year: 2020, month: 3}]
        issued = issued[0] if issued else None
    if isinstance(issued, (str, int)):
        return bool(str(issued).strip())
    if isinstance(issued, dict):
        parts = issued.get("date-parts") or []
        return bool(parts and parts[0] and parts[0][0] not in ("", None)) or bool(
            issued.get("raw") or issued.get("literal") or str(issued.get("year", "")).strip()
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
        #: What pandoc reads for each loaded file (by the path its entries name as their `source`).
        self.sources: dict[str, Source] = {}
        self._converted: dict[str, dict] = {}  # conversions of this build, by _conversion_key

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
        bad: list[Problem] = []
        try:
            if scan is not None:
                items, text = self._convert_bib(path, fmt, text, scan, bad)
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
        self.sources[str(path)] = Source(str(path), fmt, text)
        entries, problems = self._entries(path, fmt, text, items, scan)
        return entries, bad + problems

    def _entries(
        self, path: Path, fmt: str, text: str, items: list, scan: bibscan.Scan | None = None
    ) -> tuple[list[Entry], list[Problem]]:
        lines = scan.first_lines() if scan is not None else _key_lines(fmt, text)
        later = _later_lines(scan) if scan is not None else _key_lines(fmt, text, every=True)
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
                again = later.get(key, [])
                where = again[1] if len(again) > 1 else None
                first = f"line {line}" if line else f"entry {seen[key]}"
                problems.append(
                    Problem(
                        "error",
                        str(path),
                        where or line,
                        f"duplicate citation key '{key}': also at {first} of this file; "
                        "give one of them another key",
                    )
                )
                if len(again) > 1:
                    again.pop(1)
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
            entries.append(Entry(key, item, str(path), line, number))
        return entries, problems

    def _conversion_key(self, fmt: str, text: str) -> str:
        # The content decides the conversion, not the path: a moved or copied project keeps its cache.
        exe = pandoc.find_pandoc()
        parts = [pandoc.binary_id(exe), self._lua_id(), fmt, str(MAX_BAD_ENTRIES), text]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def _lua_id(self) -> str:
        if not hasattr(self, "_lua"):
            self._lua = hashlib.sha256(LUA.read_bytes()).hexdigest()
        return self._lua

    def _cached_conversion(self, key: str):
        if key in self._converted:
            return self._converted[key]
        cached = self.cache_dir / "bib" / f"{key}.json" if self.cache_dir else None
        if cached and self.load_cache:
            return read_entry(cached, key, _valid_conversion)
        return None

    def _convert_many(self, files: list[tuple[str, str, bibscan.Scan]]) -> list[dict | _ParseError]:
        """Convert .bib texts [(fmt, text, scan)] in one pandoc process per round: an entry pandoc
        cannot parse is noted and blanked, and that file goes to the next round (at most
        MAX_BAD_ENTRIES rounds). Each result: {"items", "text", "bad": [[line, message]]}."""
        state = [{"text": text, "bad": [], "fmt": fmt, "scan": scan} for fmt, text, scan in files]
        results: list = [None] * len(files)
        pending = list(range(len(files)))
        while pending:
            payload = json.dumps(
                {"convert": [{"fmt": state[n]["fmt"], "text": state[n]["text"]} for n in pending]},
                ensure_ascii=False,
            )
            out = pandoc.run(
                [pandoc.find_pandoc(), "-f", str(LUA), "-t", str(LUA)],
                stdin=payload,
                timeout=self.timeout,
                memory=self.memory,
            )
            again = []
            for number, answer in zip(pending, json.loads(out), strict=True):
                one = state[number]
                if "json" in answer:
                    results[number] = {
                        "items": json.loads(answer["json"]),
                        "text": one["text"],
                        "bad": one["bad"],
                    }
                    continue
                message = " ".join(str(answer.get("error")).split())
                error, entry = _bib_error(one["text"], one["scan"], message)
                if entry is None or len(one["bad"]) >= MAX_BAD_ENTRIES:
                    results[number] = error
                    continue
                one["bad"].append([error.line, error.message])
                one["text"] = _blank_entry(one["text"], one["scan"], entry)
                again.append(number)
            pending = again
        return results

    def _store_conversion(self, key: str, value) -> None:
        if isinstance(value, _ParseError):
            return
        self._converted[key] = value
        if self.cache_dir:
            write_entry(self.cache_dir / "bib" / f"{key}.json", key, value)

    def _convert_bib(
        self, path: Path, fmt: str, text: str, scan: bibscan.Scan, bad: list[Problem]
    ) -> tuple[list[dict], str]:
        """The file's CSL items and the text pandoc reads (an entry pandoc cannot parse reported in
        `bad` and blanked: see _convert_many)."""
        key = self._conversion_key(fmt, text)
        value = self._cached_conversion(key)
        if value is None:
            (value,) = self._convert_many([(fmt, text, scan)])
            if isinstance(value, _ParseError):
                raise value
            self._store_conversion(key, value)
        bad += [Problem("error", str(path), line, message) for line, message in value["bad"]]
        return value["items"], value["text"]

    def prefetch(self, paths: Iterable[str | Path]) -> None:
        """Convert the .bib files of `paths` not in the cache in as few pandoc processes as possible
        (one per round, split over the cores when there are many), so ``load`` finds them ready."""
        todo: dict[str, tuple[str, str, bibscan.Scan]] = {}
        for path in dict.fromkeys(Path(p).resolve() for p in paths):
            fmt = EXTENSIONS.get(path.suffix.lower())
            if path in self._files or fmt not in ("biblatex", "bibtex"):
                continue
            try:
                if path.stat().st_size > self.max_bytes:
                    continue
                text = path.read_bytes().decode("utf-8", errors="replace")
            except OSError:
                continue
            key = self._conversion_key(fmt, text)
            if key in todo or self._cached_conversion(key) is not None:
                continue
            scan = bibscan.scan(text)
            if not bibscan.check_links(scan):
                todo[key] = (fmt, text, scan)
        if len(todo) < 2:
            return
        keys = list(todo)
        workers = max(1, min(os.cpu_count() or 1, len(keys) // 20))
        size = -(-len(keys) // workers)
        chunks = [keys[at : at + size] for at in range(0, len(keys), size)]
        try:
            with ThreadPoolExecutor(len(chunks)) as pool:  # the threads only wait for pandoc
                done = list(pool.map(lambda chunk: self._convert_many([todo[k] for k in chunk]), chunks))
        except pandoc.PandocError:
            return  # `load` converts each file again and reports what is wrong with it
        for chunk, values in zip(chunks, done, strict=True):
            for key, value in zip(chunk, values, strict=True):
                self._store_conversion(key, value)

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


def _valid_conversion(value) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("items"), list)
        and isinstance(value.get("text"), str)
        and isinstance(value.get("bad"), list)
        and all(isinstance(b, list) and len(b) == 2 and isinstance(b[1], str) for b in value["bad"])
    )


def _blank_entry(text: str, scan: bibscan.Scan, entry: bibscan.BibEntry) -> str:
    """`text` with `entry` (its first line up to the next entry's) blanked; lines keep their numbers."""
    lines = text.split("\n")
    later = [e.line for e in scan.entries if e.line > entry.line]
    end = min(later) - 1 if later else len(lines)
    for number in range(entry.line, end + 1):
        lines[number - 1] = ""
    return "\n".join(lines)


def _later_lines(scan: bibscan.Scan) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for entry in scan.entries:
        out.setdefault(entry.key, []).append(entry.line)
    return out


def _bib_error(text: str, scan: bibscan.Scan, message: str) -> tuple[_ParseError, bibscan.BibEntry | None]:
    """pandoc's message, plus the entry it is about (pandoc gives only a line and column)."""
    where = re.search(r"\(line (\d+), column (\d+)\)", message)
    if not where:
        return _ParseError(None, f"cannot parse bibliography: {message}"), None
    line, column = int(where.group(1)), int(where.group(2))
    detail = message.split("):", 1)[-1].strip()
    # "unexpected '@'" at the start of an entry means the entry before it is not closed.
    at_entry_start = column == 1 and any(e.line == line for e in scan.entries)
    starts = [e for e in scan.entries if e.line < line or (e.line == line and not at_entry_start)]
    if not starts:
        return _ParseError(line, f"cannot parse bibliography: {detail}"), None
    entry = starts[-1]
    return _ParseError(
        entry.line,
        f"cannot parse bibliography entry '{entry.key}' (pandoc: line {line}, column {column}: {detail}); "
        "the file's other entries are used",
    ), entry


def _key_lines(fmt: str, text: str, every: bool = False) -> dict:
    """key → line in a CSL-JSON or CSL-YAML text (.bib files: see bibscan); `every`: key → all lines."""
    pattern = r'"id"\s*:\s*"([^"]+)"' if fmt == "csljson" else r"^\s*-?\s*id\s*:\s*['\"]?([^'\"\s#]+)"
    out: dict = {}
    for number, line in enumerate(text.splitlines(), 1):
        for match in re.finditer(pattern, line):
            key = match.group(1)
            if every:
                out.setdefault(key, []).append(number)
            else:
                out.setdefault(key, number)
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
