"""Converting .bib files to CSL-JSON with pandoc, for what the plugin itself shows of an entry
(the formatting reads the files themselves: see ``engine``): in one pandoc process for all the files
of a build that are not in the cache, and entry by entry where pandoc cannot parse one.

An entry pandoc cannot parse is reported at its own line (pandoc gives only a line and column; the
scan of ``bibscan`` says whose entry that is), blanked (its lines kept, empty) and the file read
again, so the file's other entries still resolve. Conversions are cached by content.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import bibscan, pandoc
from .cachefiles import read_entry, write_entry
from .engine import LUA

#: At most this many unparseable entries of one .bib file are cut out and reported, one by one.
MAX_BAD_ENTRIES = 20
EXTENSIONS = {".bib": "biblatex", ".bibtex": "bibtex"}


class ParseError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


class BibConverter:
    """Mixed into ``bibliography.Loader`` (which sets cache_dir, load_cache, max_bytes, timeout,
    memory, _files and _converted)."""

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
            value = read_entry(cached, key, _valid_conversion)
            if value is not None:
                self._converted[key] = value  # prefetch and load ask for the same file: read it once
            return value
        return None

    def _convert_many(self, files: list[tuple[str, str, bibscan.Scan]]) -> list[dict | ParseError]:
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
                message = str(answer.get("error"))
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
        if isinstance(value, ParseError):
            return
        self._converted[key] = value
        if self.cache_dir:
            write_entry(self.cache_dir / "bib" / f"{key}.json", key, value)

    def _convert_bib(self, fmt: str, text: str, scan: bibscan.Scan) -> tuple[list[dict], str, list]:
        """The file's CSL items and the text pandoc reads (an entry pandoc cannot parse reported in
        the returned [[line, message]] and blanked: see _convert_many)."""
        key = self._conversion_key(fmt, text)
        value = self._cached_conversion(key)
        if value is None:
            (value,) = self._convert_many([(fmt, text, scan)])
            if isinstance(value, ParseError):
                raise value
            self._store_conversion(key, value)
        return value["items"], value["text"], value["bad"]

    def prefetch(self, paths: Iterable[str | Path]) -> None:
        """Convert the .bib files of `paths` not in the cache in as few pandoc processes as possible
        (one per round, split over the cores when there are many), so ``load`` finds them ready."""
        todo: dict[str, tuple[str, str, bibscan.Scan]] = {}
        for path in dict.fromkeys(Path(p).resolve() for p in paths):
            fmt = EXTENSIONS.get(path.suffix.lower())
            if path in self._files or fmt is None:
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


def _bib_error(text: str, scan: bibscan.Scan, message: str) -> tuple[ParseError, bibscan.BibEntry | None]:
    """pandoc's message, plus the entry it is about (pandoc gives only a line and column)."""
    where = re.search(r"\(line (\d+), column (\d+)\)", message)
    if not where:
        return ParseError(None, f"cannot parse bibliography: {message}"), None
    line, column = int(where.group(1)), int(where.group(2))
    detail = (message.split("):", 1)[-1].strip().splitlines() or [""])[0]  # not the quoted line, caret
    # "unexpected '@'" at the start of an entry means the entry before it is not closed.
    at_entry_start = column == 1 and any(e.line == line for e in scan.entries)
    starts = [e for e in scan.entries if e.line < line or (e.line == line and not at_entry_start)]
    if not starts:
        return ParseError(line, f"cannot parse bibliography: {detail}"), None
    entry = starts[-1]
    return ParseError(
        entry.line,
        f"cannot parse bibliography entry '{entry.key}' (pandoc: line {line}, column {column}: {detail}); "
        "the file's other entries are used",
    ), entry
