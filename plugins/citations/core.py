"""The plugin core, without Pelican: load the bibliography once, check the keys, format every
document in one engine call, render, and report diagnostics."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

import diagnostics
import pipeline
from frontmatter.core import field_line

from . import bibliography as bibmod
from . import cachefiles, pandoc, render
from .engine import Engine, Formatted, Job
from .settings import CitationsConfigError, Config, inside, resolve_style

CHECK = "citations"


@dataclass
class Document:
    source_path: str
    content: str  # HTML with the syntax's placeholders
    clusters: list[dict]
    style: str | None = None  # `citation-style` metadata
    bibliography: str | None = None  # `bibliography` metadata
    unsupported: list[dict] = field(default_factory=list)  # syntax.UNSUPPORTED_KEY: {"raw", "message"}


def _report(problem: bibmod.Problem) -> None:
    diagnostics.report(problem.path, problem.line, problem.severity, problem.message, CHECK)


def _line(path: str, *needles: str) -> int | None:
    for needle in needles:
        line = diagnostics.line_of(path, needle) if needle else None
        if line:
            return line
    return None


def _article_bibliography(doc: Document, config: Config) -> tuple[list[Path], list[str]]:
    """The article's own bibliography files, and the names refused or not found (reported here)."""
    paths, failed = [], []
    for name in (doc.bibliography or "").split(","):
        name = name.strip()
        if not name:
            continue
        line = field_line(doc.source_path, "bibliography")
        candidates = [Path(doc.source_path).parent / name, config.content_path / name]
        if not any(inside(p, config.content_path) for p in candidates):
            diagnostics.error(
                doc.source_path,
                line,
                f"bibliography file '{name}' must be inside the content folder (after symlinks are "
                "resolved); put it in content/references/ and name it relative to the article or "
                "to the content folder",
                CHECK,
            )
            failed.append(name)
            continue
        found = next((p for p in candidates if p.is_file() and inside(p, config.content_path)), None)
        if found is None:
            diagnostics.error(
                doc.source_path,
                line,
                f"bibliography file '{name}' not found (relative to the article or to the content folder)",
                CHECK,
            )
            failed.append(name)
        else:
            paths.append(found)
    return paths, failed


def _site_files(config: Config) -> tuple[list[Path], list[str]]:
    """The bibliography folder's files, and those refused: (symlinks to) files outside content/."""
    files, refused = [], []
    for path in bibmod.folder_files(config.bibliography_path):
        if inside(path, config.content_path):
            files.append(path)
        else:
            refused.append(str(path))
            shown = os.path.relpath(path.parent.resolve() / path.name)  # the link, not its target
            diagnostics.error(
                shown,
                None,
                f"bibliography file resolves to {path.resolve()}, outside the content folder; "
                "copy the file into content/references/ instead of linking to it",
                CHECK,
            )
    return files, refused


def _style(doc: Document, config: Config) -> Path:
    if not doc.style:
        return config.style
    try:
        return resolve_style(
            doc.style, [Path(doc.source_path).parent, config.content_path], confine=config.content_path
        )
    except CitationsConfigError as exc:
        diagnostics.error(doc.source_path, field_line(doc.source_path, "citation-style"), str(exc), CHECK)
        return config.style


def _report_damaged_cache() -> None:
    if cachefiles.DAMAGED:
        first = cachefiles.DAMAGED[0]
        diagnostics.warning(
            "",
            None,
            f"discarded {len(cachefiles.DAMAGED)} damaged citation cache entries (first: "
            f"{diagnostics.relpath(first)}); they were rebuilt from the sources",
            CHECK,
        )
        cachefiles.DAMAGED.clear()


def _check_keys(doc: Document, bib: bibmod.Bibliography) -> set[str]:
    """Report unknown keys (with the nearest known one); return the known cited keys.

    Not when a bibliography file could not be read: its error is the one to fix, not the writer's key."""
    known = set()
    for cluster in doc.clusters:
        for cite in cluster["cites"]:
            key = cite["id"]
            if key in bib:
                known.add(key)
                continue
            if bib.failed:
                continue
            near = difflib.get_close_matches(key, list(bib.entries), n=1, cutoff=0.6)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            line = _line(doc.source_path, "@" + key, "@{" + key + "}", cluster["raw"].splitlines()[0])
            diagnostics.error(doc.source_path, line, f"unknown citation key '{key}'{hint}", CHECK)
    return known


def _report_unreadable(formatted, bibs: list[bibmod.Bibliography]) -> None:
    """Entries pandoc's reader refused (once each): at their line, naming the entry."""
    seen = set()
    for result, bib in zip(formatted, bibs, strict=True):
        for path, key, message in result.problems:
            if (path, key) in seen:
                continue
            seen.add((path, key))
            entry = bib.entries.get(key)
            line = entry.line if entry is not None and entry.source == path else None
            what = f"bibliography entry '{key}'" if key else "bibliography file"
            diagnostics.error(
                path, line, f"pandoc cannot read {what}: {message}; it is left out of the references", CHECK
            )


def process(
    documents: list[Document],
    config: Config,
    templates: render.Templates,
    engine: Engine | None = None,
    memo=None,
) -> list[render.Rendered | None]:
    """Render every document; None where nothing could be formatted (placeholders stay readable).

    `templates`: the theme's markup (render.theme_templates); `memo`: renderings kept between
    builds (``pipeline.Memo``), used when the templates have a version."""
    cachefiles.DAMAGED.clear()
    for doc in documents:  # pandoc syntax Python-Markdown cannot express: an error, never raw text
        for construct in doc.unsupported:
            line = _line(doc.source_path, construct["raw"], construct["raw"].splitlines()[0])
            diagnostics.error(doc.source_path, line, f"{construct['message']}: {construct['raw']}", CHECK)
    loader = bibmod.Loader(
        config.cache_path,
        load_cache=config.load_cache,
        max_bytes=config.max_bytes,
        timeout=config.pandoc_timeout,
        memory=config.pandoc_memory,
    )
    site_files, refused = _site_files(config)
    own = [_article_bibliography(doc, config) for doc in documents]
    loader.prefetch([*site_files, *(path for extra_files, _ in own for path in extra_files)])
    site = loader.load_many(site_files)
    site.failed += refused
    for problem in site.problems:
        _report(problem)

    jobs, bibs, cited_site_keys = [], [], set()
    site_resolved = [str(p.resolve()) for p in site_files]
    for doc, (extra_files, failed) in zip(documents, own, strict=True):
        bib = site
        if failed:
            bib = bibmod.Bibliography(site.entries, [], site.failed + failed)
        if extra_files:
            extra = loader.load_many(extra_files)
            bib, overridden = bibmod.overlay(bib, extra)
            for problem in extra.problems + overridden:
                _report(problem)
        known = _check_keys(doc, bib)
        cited_site_keys |= {key for key in known if bib.entries[key] is site.entries.get(key)}
        bibs.append(bib)
        # pandoc meets the entries in file order (its tie-break for 2023a/2023b), files in list order
        rank = {path: n for n, path in enumerate([*site_resolved, *(str(p.resolve()) for p in extra_files)])}
        cited = sorted(
            (bib.entries[k] for k in known),
            key=lambda e: (rank.get(e.source, len(rank)), e.line or 0, e.number),
        )
        jobs.append(
            Job(
                str(_style(doc, config)),
                config.locale,
                [(loader.sources[e.source], e.id) for e in cited],
                [cluster["cites"] for cluster in doc.clusters],
            )
        )

    uncited = sorted(set(site.entries) - cited_site_keys)
    if uncited and site_files:
        where = site_files[0] if len(site_files) == 1 else config.bibliography_path
        diagnostics.warning(
            where, None, f"{len(uncited)} bibliography entries are never cited: {', '.join(uncited)}", CHECK
        )

    engine = engine or Engine(
        config.cache_path,
        load_cache=config.load_cache,
        timeout=config.pandoc_timeout,
        memory=config.pandoc_memory,
    )
    use_memo = memo is not None and templates is not None and bool(templates.version)
    try:
        # a document whose input is unchanged (its HTML, clusters, entries, style: the engine's key)
        # was formatted and rendered by an earlier build: only the others go to the engine
        keys = [_memo_key(engine, job, doc, config, templates) if use_memo else None
                for doc, job in zip(documents, jobs, strict=True)]  # fmt: skip
        # decoded one page at a time (here for its problems, when rendering for its pieces): all
        # pages' rendered citations as objects at once would be ~20 MiB of the build's peak
        kept = [memo.has(key) if key else False for key in keys]
        todo = [number for number, known in enumerate(kept) if not known]
        fresh = iter(engine.format([jobs[number] for number in todo]) if todo else [])
    except pandoc.PandocLimitError as exc:
        diagnostics.error("", None, f"citations could not be formatted: {exc}", CHECK)
        return [None] * len(documents)
    except pandoc.PandocError as exc:
        diagnostics.error("", None, f"citations could not be formatted: {exc} ({pandoc.INSTALL_HINT})", CHECK)
        return [None] * len(documents)
    finally:
        _report_damaged_cache()

    formatted = [
        Formatted(problems=memo.peek(key)["problems"]) if known else next(fresh)
        for key, known in zip(keys, kept, strict=True)
    ]
    _report_unreadable(formatted, bibs)
    del jobs  # not needed to render: the pages' new HTML takes the room
    try:
        return _render_all(documents, bibs, formatted, keys, kept, memo, config, templates)
    finally:
        render.forget_shared()  # the pages keep their records; the table of them goes


def _render_all(
    documents, bibs, formatted, keys, kept, memo, config, templates
) -> list[render.Rendered | None]:
    results: list[render.Rendered | None] = []
    for number, (doc, bib, key, known) in enumerate(zip(documents, bibs, keys, kept, strict=True)):
        result, formatted[number] = formatted[number], None  # each document's part freed once rendered
        value = memo.peek(key) if known else None
        if value is None and result.error:
            diagnostics.error(
                doc.source_path, None, f"citations could not be formatted: {result.error}", CHECK
            )
            results.append(None)
            continue
        if value is None:
            items = {k: bib.entries[k].item for k, _ in result.entries if k in bib}
            made = render.pieces(
                doc.content,
                doc.clusters,
                result.clusters,
                result.entries,
                items,
                config.references_title,
                templates,
            )
            value = {**vars(made), "problems": result.problems}
            if key:  # kept for the next build; used in the shape a kept one comes back in
                value = memo.put(key, value)
        made = render.Pieces(value["placeholders"], value["references"], value["citations"])
        results.append(render.Rendered(render.place(doc.content, made), made.citations))
    return results


def _memo_key(engine: Engine, job: Job, doc: Document, config: Config, templates) -> str | None:
    """What a document's citations depend on: the engine's key (the style, the locale, the cited
    entries' files, the clusters' cites: all :func:`render.pieces` reads of a cluster), its HTML,
    the references' title and the theme's components (None: not kept)."""
    if not job.clusters:
        return None
    return pipeline.digest(engine.key(job), doc.content, config.references_title, templates.version)
