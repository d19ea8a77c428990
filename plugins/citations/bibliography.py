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

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import bibscan, pandoc
from .bibconvert import BibConverter, ParseError
from .engine import Source

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


#: What each bibliography file held when last read, by path: (stamp, (entries, problems, source)).
_KNOWN: dict[Path, tuple[tuple, tuple]] = {}


class Loader(BibConverter):
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
            self._files[path] = self._load_known(path)
        return self._files[path]

    def _load_known(self, path: Path) -> tuple[list[Entry], list[Problem]]:
        """A file read by an earlier build of this process (the live preview rebuilds on every save,
        and two plugins read the same files) and unchanged since (same inode, size and change
        times): what was read then. Not with `load_cache` off (`--ignore-cache`: read afresh)."""
        try:
            st = path.stat()
        except OSError:
            return self._load(path)
        stamp = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, self.max_bytes)
        kept = _KNOWN.get(path)
        if self.load_cache and kept is not None and kept[0] == stamp:
            entries, problems, source = kept[1]
            if source is not None:
                self.sources[str(path)] = source
            return list(entries), list(problems)
        entries, problems = self._load(path)
        _KNOWN[path] = (stamp, (tuple(entries), tuple(problems), self.sources.get(str(path))))
        return entries, problems

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
                items, text, found = self._convert_bib(fmt, text, scan)
                bad = [Problem("error", str(path), line, message) for line, message in found]
            elif fmt == "csljson":
                items = json.loads(text)
            elif fmt == "cslyaml":
                items = _load_yaml(text)
            else:
                return [], [
                    Problem("error", str(path), None, "unknown bibliography format (use .bib, .json, .yaml)")
                ]
        except ParseError as exc:
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
        self.sources[str(path)] = _source(str(path), fmt, text, items, scan)
        entries, problems = self._entries(path, fmt, text, items, scan)
        return entries, bad + problems

    def _entries(
        self, path: Path, fmt: str, text: str, items: list, scan: bibscan.Scan | None = None
    ) -> tuple[list[Entry], list[Problem]]:
        lines = scan.first_lines() if scan is not None else _key_lines(fmt, text)
        later = scan.all_lines() if scan is not None else _key_lines(fmt, text, every=True)
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


_AT_STRING_RE = re.compile(r"^[ \t]*@[ \t]*(?:string|preamble|comment)\b", re.I | re.M)


def _source(path: str, fmt: str, text: str, items: list, scan: bibscan.Scan | None) -> Source:
    """What pandoc reads, able to cut itself down to the entries an article cites (.bib: from the
    scan's entry lines, @string/@preamble/@comment kept for all; CSL-JSON: one item each)."""
    if fmt == "csljson":
        chunks: dict[str, str] = {}
        for item in items:
            if isinstance(item, dict) and str(item.get("id", "")).strip():
                chunks.setdefault(str(item["id"]).strip(), json.dumps(item, ensure_ascii=False))
        return Source(path, fmt, text, chunks)
    if scan is None:
        return Source(path, fmt, text)  # CSL-YAML: read whole
    lines = text.splitlines(keepends=True)
    starts = [entry.line for entry in scan.entries]
    prelude = ["".join(lines[: starts[0] - 1])] if starts else [text]
    chunks, links = {}, {}
    for number, entry in enumerate(scan.entries):
        end = starts[number + 1] - 1 if number + 1 < len(starts) else len(lines)
        chunk = "".join(lines[entry.line - 1 : end])
        tail = _AT_STRING_RE.search(chunk, len(lines[entry.line - 1]))  # a @string after the entry
        if tail:
            chunk, rest = chunk[: tail.start()], chunk[tail.start() :]
            prelude.append(rest)
        if entry.key not in chunks:
            chunks[entry.key] = chunk
            links[entry.key] = [target for _, target, _ in entry.links]
    return Source(path, fmt, text, chunks, "".join(prelude), links)


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
        raise ParseError(
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
