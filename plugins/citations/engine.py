"""The CSL engine: pandoc's citeproc, one process per build for every article not in the cache.

``Engine(cache_dir).format(jobs)`` takes one :class:`Job` per article (style, locale, the cited CSL
items, the clusters) and returns one :class:`Formatted` per job: pandoc's HTML for each cluster
(``<span class="citation" data-cites="…">`` with ``<a href="#ref-KEY" role="doc-biblioref">``) and
the inner HTML of each bibliography entry, in the style's order. Results are cached per article
under ``cache_dir`` (key: engine version, Lua writer, pandoc binary, style file content, the cited
items, the clusters, the locale), so a build with nothing changed starts no pandoc process. Each
entry is checked on read (see ``cachefiles``); ``load_cache=False`` (``--ignore-cache``) skips reading.
pandoc runs under ``timeout`` seconds and ``memory`` bytes (``pandoc.PandocLimitError`` beyond them).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import unescape as html_unescape
from pathlib import Path

from . import pandoc
from .cachefiles import read_entry, write_entry

ENGINE_VERSION = "citations-engine-1"
LUA = Path(__file__).with_name("engine.lua")
_SEP, _HEAD = "\x1e", "\n\x1d\n"
#: Articles per pandoc process below which another process is not worth its start-up (~0.1 s).
#: A cold build of a large site splits its batch over the machine's cores (citeproc in pandoc's
#: Lua runs one article at a time, ~6-9 ms each), so 1,000 articles take half the time on 2 cores.
MIN_CHUNK = 100


@dataclass
class Job:
    style: str  # path of a .csl file
    locale: str
    items: list[dict]  # the cited CSL items (unknown keys simply have none)
    clusters: list[list[dict]]  # each citation: id, prefix, suffix, mode


@dataclass
class Formatted:
    clusters: list[str] = field(default_factory=list)  # HTML, one per cluster
    entries: list[tuple[str, str]] = field(default_factory=list)  # (key, inner HTML), in style order
    error: str | None = None  # pandoc's message if this article failed


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
                sorted(job.items, key=lambda item: item["id"]),
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
                results[number] = Formatted(data["clusters"], [tuple(e) for e in data["entries"]])
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
                    write_entry(cached, key, {"clusters": result.clusters, "entries": result.entries})
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
        payload = build_payload(jobs)
        self.stats["processes"] += 1
        out = pandoc.run(
            [self.pandoc_path, "-f", str(LUA), "-t", str(LUA)],
            stdin=payload,
            timeout=self.timeout,
            memory=self.memory,
        )
        return parse_output(out, jobs)


def _valid(value, job: Job) -> bool:
    """A cached result has the shape `format` returns: a string per cluster, (key, html) entries."""
    if not isinstance(value, dict):
        return False
    clusters, entries = value.get("clusters"), value.get("entries")
    return (
        isinstance(clusters, list)
        and len(clusters) == len(job.clusters)
        and all(isinstance(c, str) for c in clusters)
        and isinstance(entries, list)
        and all(
            isinstance(e, list) and len(e) == 2 and all(isinstance(part, str) for part in e) for e in entries
        )
    )


def build_payload(jobs: list[Job]) -> str:
    styles: dict[str, int] = {}
    layers: list[dict[str, str]] = []  # id -> canonical JSON, one dict per layer
    affixes: dict[str, int] = {}
    articles = []

    def affix(text: str) -> int:
        if not text:
            return 0
        return affixes.setdefault(text, len(affixes) + 1)

    for job in jobs:
        refs = []
        for item in job.items:
            text = json.dumps(item, sort_keys=True, ensure_ascii=False)
            # the first layer without a different item of the same id
            number = next((n for n, layer in enumerate(layers) if layer.get(item["id"], text) == text), None)
            if number is None:
                layers.append({})
                number = len(layers) - 1
            layers[number][item["id"]] = text
            refs.append([number + 1, item["id"]])
        clusters = [
            [
                {"id": c["id"], "mode": c["mode"], "p": affix(c["prefix"]), "s": affix(c["suffix"])}
                for c in cluster
            ]
            for cluster in job.clusters
        ]
        style = styles.setdefault(job.style, len(styles) + 1)
        articles.append({"style": style, "lang": job.locale, "refs": refs, "clusters": clusters})
    return json.dumps(
        {
            "styles": list(styles),
            "layers": ["[" + ",".join(layer.values()) + "]" for layer in layers],
            "affixes": list(affixes),
            "articles": articles,
        },
        ensure_ascii=False,
    )


_PARA_RE = re.compile(r"<p>(.*?)</p>", re.S)
_ENTRY_RE = re.compile(r'<div id="ref-([^"]*)" class="csl-entry"[^>]*>\n(.*?)\n</div>(?=\n)', re.S)


def parse_output(out: str, jobs: list[Job]) -> list[Formatted]:
    head, _, html = out.partition(_HEAD)
    summary = json.loads(head) or []
    parts = iter(html.split(_SEP)[1:])
    results = []
    for job, info in zip(jobs, summary, strict=True):
        if info.get("error"):
            results.append(Formatted(error=" ".join(str(info["error"]).split())))
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
        results.append(Formatted(clusters, entries))
    return results
