"""The CSL engine: pandoc's citeproc, one process per build for every article not in the cache.

``Engine(cache_dir).format(jobs)`` takes one :class:`Job` per article (style, locale, the cited
entries as (bibliography file, key), the clusters) and returns one :class:`Formatted` per job:
pandoc's HTML for each cluster (``<span class="citation" data-cites="…">`` with ``<a href="#ref-KEY"
role="doc-biblioref">``) and the inner HTML of each bibliography entry, in the style's order.

pandoc's citeproc reads the article's bibliography files itself, as ``pandoc --citeproc
--bibliography FILE`` does (same parsers, file order kept, nothing lost on the way): the files are
written under their content's sha256 to ``cache_dir/sources/`` (the text the plugin checked, with
any .bib entry pandoc cannot parse blanked: see ``bibliography``). A CSL-JSON file pandoc refuses is
checked entry by entry: the bad entries come back in ``Formatted.problems`` and the others resolve.
Results are cached per article under ``cache_dir`` (key: engine version, Lua writer, pandoc binary,
style file content, the files' content, the cited keys, the clusters, the locale), so a build with
nothing changed starts no pandoc process. Each entry is checked on read (see ``cachefiles``);
``load_cache=False`` (``--ignore-cache``) skips reading.
pandoc runs under ``timeout`` seconds and ``memory`` bytes (``pandoc.PandocLimitError`` beyond them).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import unescape as html_unescape
from pathlib import Path

from . import pandoc
from .cachefiles import read_entry, write_atomic, write_entry

ENGINE_VERSION = "citations-engine-2"
LUA = Path(__file__).with_name("engine.lua")
_SEP, _HEAD = "\x1e", "\n\x1d\n"
#: Articles per pandoc process below which another process is not worth its start-up (~0.1 s).
#: A cold build of a large site splits its batch over the machine's cores (citeproc in pandoc's
#: Lua runs one article at a time, ~6-9 ms each), so 1,000 articles take half the time on 2 cores.
MIN_CHUNK = 100


@dataclass(frozen=True)
class Source:
    """A bibliography file as pandoc reads it: its format (a key of ``FORMATS``) and text.

    With ``chunks`` (key → the entry's own text, in file order), ``prelude`` (a .bib file's
    @string/@preamble text) and ``links`` (key → crossref/xdata targets), :meth:`subset` gives the
    file cut down to some entries: pandoc then parses, for each article, only what it cites."""

    path: str
    fmt: str
    text: str
    chunks: dict | None = field(default=None, compare=False, hash=False, repr=False)
    prelude: str = field(default="", compare=False, hash=False, repr=False)
    links: dict | None = field(default=None, compare=False, hash=False, repr=False)

    @functools.cached_property
    def digest(self) -> str:
        return hashlib.sha256(f"{self.fmt}\0{self.text}".encode()).hexdigest()

    def subset(self, keys) -> Source:
        """The file with only the entries of `keys` and what they inherit from (file order kept)."""
        if self.chunks is None:
            return self
        seen, todo = set(), list(keys)
        while todo:
            key = todo.pop()
            if key in seen or key not in self.chunks:
                continue
            seen.add(key)
            todo += (self.links or {}).get(key, [])
        kept = [text for key, text in self.chunks.items() if key in seen]
        if self.fmt == "csljson":
            return Source(self.path, self.fmt, "[\n" + ",\n".join(kept) + "\n]\n")
        return Source(self.path, self.fmt, self.prelude + "".join(kept))


FORMATS = ("biblatex", "bibtex", "csljson", "cslyaml")


@dataclass
class Job:
    style: str  # path of a .csl file
    locale: str
    refs: list[tuple[Source, str]]  # the cited entries: (file, key), in file order (unknown keys: none)
    clusters: list[list[dict]]  # each citation: id, prefix, suffix, mode


@dataclass
class Formatted:
    clusters: list[str] = field(default_factory=list)  # HTML, one per cluster
    entries: list[tuple[str, str]] = field(default_factory=list)  # (key, inner HTML), in style order
    error: str | None = None  # pandoc's message if this article failed
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (file, key or "", message)


class Engine:
    def __init__(
        self,
        cache_dir: str | Path | None = None,
        pandoc_path: str | None = None,
        *,
        load_cache: bool = True,
        timeout: float = pandoc.DEFAULT_TIMEOUT,
        memory: int = pandoc.DEFAULT_MEMORY,
    ) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.load_cache = load_cache
        self.timeout, self.memory = timeout, memory
        self._pandoc_path = pandoc_path
        self._file_hashes: dict[str, str] = {}
        self.stats = {"hits": 0, "misses": 0, "processes": 0}

    @property
    def pandoc_path(self) -> str:
        if self._pandoc_path is None:
            self._pandoc_path = pandoc.find_pandoc()
        return self._pandoc_path

    # -- cache ----------------------------------------------------------------------------------
    def _file_hash(self, path: str) -> str:
        if path not in self._file_hashes:
            self._file_hashes[path] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        return self._file_hashes[path]

    def _engine_id(self) -> str:
        if "engine" not in self._file_hashes:
            binary = pandoc.binary_id(self.pandoc_path)
            self._file_hashes["engine"] = f"{ENGINE_VERSION}:{self._file_hash(str(LUA))}:{binary}"
        return self._file_hashes["engine"]

    def key(self, job: Job) -> str:
        blob = json.dumps(
            [
                self._engine_id(),
                self._file_hash(job.style),
                job.locale,
                [[source.digest, key] for source, key in job.refs],
                job.clusters,
            ],
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def _cache_file(self, key: str) -> Path | None:
        return self.cache_dir / "formatted" / key[:2] / f"{key}.json" if self.cache_dir else None

    # -- formatting -----------------------------------------------------------------------------
    def format(self, jobs: list[Job]) -> list[Formatted]:
        results: list[Formatted | None] = [None] * len(jobs)
        misses: list[tuple[int, str]] = []
        for number, job in enumerate(jobs):
            if not job.clusters:
                results[number] = Formatted()
                continue
            key = self.key(job)
            cached = self._cache_file(key)
            data = None
            if cached is not None and self.load_cache:
                data = read_entry(cached, key, lambda value, job=job: _valid(value, job))
            if data is not None:
                results[number] = Formatted(
                    data["clusters"],
                    [tuple(e) for e in data["entries"]],
                    problems=[tuple(p) for p in data.get("problems", [])],
                )
                self.stats["hits"] += 1
            else:
                misses.append((number, key))
        self.stats["misses"] += len(misses)
        if misses:
            fresh = self._run([jobs[number] for number, _ in misses])
            for (number, key), result in zip(misses, fresh, strict=True):
                results[number] = result
                cached = self._cache_file(key)
                if cached is not None and result.error is None:
                    write_entry(
                        cached,
                        key,
                        {"clusters": result.clusters, "entries": result.entries, "problems": result.problems},
                    )
        return results  # type: ignore[return-value]

    def _run(self, jobs: list[Job]) -> list[Formatted]:
        workers = max(1, min(os.cpu_count() or 1, len(jobs) // MIN_CHUNK))
        if workers == 1:
            return self._run_one(jobs)
        size = math.ceil(len(jobs) / workers)
        chunks = [jobs[start : start + size] for start in range(0, len(jobs), size)]
        with ThreadPoolExecutor(len(chunks)) as pool:  # the threads only wait for pandoc processes
            done = list(pool.map(self._run_one, chunks))
        return [result for chunk in done for result in chunk]

    def _run_one(self, jobs: list[Job]) -> list[Formatted]:
        with tempfile.TemporaryDirectory(prefix="citations-") as scratch:
            folder = self.cache_dir / "sources" if self.cache_dir else Path(scratch)
            payload, files = build_payload(jobs, folder, pandoc.abbreviations(self.pandoc_path))
            self.stats["processes"] += 1
            out = pandoc.run(
                [self.pandoc_path, "-f", str(LUA), "-t", str(LUA)],
                stdin=payload,
                timeout=self.timeout,
                memory=self.memory,
            )
        return parse_output(out, jobs, files)


def _valid(value, job: Job) -> bool:
    """A cached result has the shape `format` returns: a string per cluster, (key, html) entries."""
    if not isinstance(value, dict):
        return False
    clusters, entries = value.get("clusters"), value.get("entries")
    return (
        isinstance(clusters, list)
        and isinstance(value.get("problems", []), list)
        and all(
            isinstance(p, list) and len(p) == 3 and all(isinstance(part, str) for part in p)
            for p in value.get("problems", [])
        )
        and len(clusters) == len(job.clusters)
        and all(isinstance(c, str) for c in clusters)
        and isinstance(entries, list)
        and all(
            isinstance(e, list) and len(e) == 2 and all(isinstance(part, str) for part in e) for e in entries
        )
    )


def build_payload(jobs: list[Job], folder: Path, abbreviations=()) -> tuple[str, list[Source]]:
    """The engine's input, and the files in it (in the payload's order), each written to `folder`
    under its content's name: pandoc reads exactly the text the plugin checked."""
    styles: dict[str, int] = {}
    files: dict[Source, int] = {}
    affixes: dict[str, int] = {}
    articles = []

    def affix(text: str) -> int:
        if not text:
            return 0
        return affixes.setdefault(text, len(affixes) + 1)

    for job in jobs:
        cited: dict[Source, list[str]] = {}
        for source, key in job.refs:
            cited.setdefault(source, []).append(key)
        used = [files.setdefault(source.subset(keys), len(files) + 1) for source, keys in cited.items()]
        clusters = [
            [
                {"id": c["id"], "mode": c["mode"], "p": affix(c["prefix"]), "s": affix(c["suffix"])}
                for c in cluster
            ]
            for cluster in job.clusters
        ]
        style = styles.setdefault(job.style, len(styles) + 1)
        articles.append({"style": style, "lang": job.locale, "files": used, "clusters": clusters})
    payload = {
        "styles": list(styles),
        "files": [{"fmt": source.fmt, "path": str(_written(source, folder))} for source in files],
        "affixes": list(affixes),
        "abbreviations": list(abbreviations),
        "articles": articles,
    }
    return json.dumps(payload, ensure_ascii=False), list(files)


_PARA_RE = re.compile(r"<p>(.*?)</p>", re.S)
_ENTRY_RE = re.compile(r'<div id="ref-([^"]*)" class="csl-entry"[^>]*>\n(.*?)\n</div>(?=\n)', re.S)


_WRITING = threading.Lock()
_SUFFIX = {"biblatex": ".bib", "bibtex": ".bibtex", "csljson": ".json", "cslyaml": ".yaml"}


def _written(source: Source, folder: Path) -> Path:
    path = folder / f"{source.digest}{_SUFFIX[source.fmt]}"
    with _WRITING:  # the engine's threads share a process id, so write_atomic's temporary name
        if not path.is_file() or path.read_text(encoding="utf-8") != source.text:
            write_atomic(path, source.text)
    return path


def _listed(value) -> list:
    return value if isinstance(value, list) else []  # Lua's empty table may come back as {}


def parse_output(out: str, jobs: list[Job], files: list[Source]) -> list[Formatted]:
    head, _, html = out.partition(_HEAD)
    data = json.loads(head) or {}
    summary = _listed(data.get("articles"))
    problems: dict[str, dict] = {}  # path → {(path, key, message): None}, from every subset of the file
    for source, found in zip(files, _listed(data.get("files")), strict=True):
        for key, message in _listed(found):
            problems.setdefault(source.path, {})[(source.path, str(key), " ".join(str(message).split()))] = (
                None
            )
    parts = iter(html.split(_SEP)[1:])
    results = []
    for job, info in zip(jobs, summary, strict=True):
        used = dict.fromkeys(source.path for source, _ in job.refs)
        mine = [problem for path in used for problem in problems.get(path, {})]
        if info.get("error"):
            results.append(Formatted(error=" ".join(str(info["error"]).split()), problems=mine))
            continue
        part = next(parts)
        refs_at = part.find('<div id="refs"')
        paragraphs, refs = (part, "") if refs_at < 0 else (part[:refs_at], part[refs_at:])
        clusters = [m.group(1) for m in _PARA_RE.finditer(paragraphs)]
        if len(clusters) != len(job.clusters):
            raise pandoc.PandocError(
                f"the CSL engine returned {len(clusters)} citations for {len(job.clusters)}"
            )
        entries = [(html_unescape(m.group(1)), m.group(2)) for m in _ENTRY_RE.finditer(refs)]
        results.append(Formatted(clusters, entries, problems=mine))
    return results
