"""The plugin core, without Pelican: load the bibliography once, check the keys, format every
document in one engine call, render, and report diagnostics."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import diagnostics

from . import bibliography as bibmod
from . import pandoc, render
from .engine import Engine, Job
from .settings import CitationsConfigError, Config, resolve_style

CHECK = "citations"


@dataclass
class Document:
    source_path: str
    content: str  # HTML with the syntax's placeholders
    clusters: list[dict]
    style: str | None = None  # `citation-style` metadata
    bibliography: str | None = None  # `bibliography` metadata


def _report(problem: bibmod.Problem) -> None:
    diagnostics.report(problem.path, problem.line, problem.severity, problem.message, CHECK)


def _line(path: str, *needles: str) -> int | None:
    for needle in needles:
        line = diagnostics.line_of(path, needle) if needle else None
        if line:
            return line
    return None


def _article_bibliography(doc: Document, config: Config, loader: bibmod.Loader) -> list[Path]:
    paths = []
    for name in (doc.bibliography or "").split(","):
        name = name.strip()
        if not name:
            continue
        candidates = [Path(doc.source_path).parent / name, config.content_path / name]
        found = next((p for p in candidates if p.is_file()), None)
        if found is None:
            diagnostics.error(
                doc.source_path,
                _line(doc.source_path, name, "bibliography:"),
                f"bibliography file '{name}' not found (relative to the article or to the content folder)",
                CHECK,
            )
        else:
            paths.append(found)
    return paths


def _style(doc: Document, config: Config) -> Path:
    if not doc.style:
        return config.style
    try:
        return resolve_style(doc.style, [Path(doc.source_path).parent, config.content_path, Path.cwd()])
    except CitationsConfigError as exc:
        diagnostics.error(
            doc.source_path, _line(doc.source_path, "citation-style", "Citation-Style"), str(exc), CHECK
        )
        return config.style


def _check_keys(doc: Document, bib: bibmod.Bibliography) -> set[str]:
    """Report unknown keys (with the nearest known one); return the known cited keys."""
    known = set()
    for cluster in doc.clusters:
        for cite in cluster["cites"]:
            key = cite["id"]
            if key in bib:
                known.add(key)
                continue
            near = difflib.get_close_matches(key, list(bib.entries), n=1, cutoff=0.6)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            line = _line(doc.source_path, "@" + key, "@{" + key + "}", cluster["raw"].splitlines()[0])
            diagnostics.error(doc.source_path, line, f"unknown citation key '{key}'{hint}", CHECK)
    return known


def process(
    documents: list[Document], config: Config, engine: Engine | None = None, cite=render.citation_ref
) -> list[render.Rendered | None]:
    """Render every document; None where nothing could be formatted (placeholders stay readable).

    `cite`: the markup of one in-text citation and its preview (see render.render)."""
    loader = bibmod.Loader(config.cache_path)
    site_files = bibmod.folder_files(config.bibliography_path)
    site = loader.load_many(site_files)
    for problem in site.problems:
        _report(problem)

    jobs, bibs, cited_site_keys = [], [], set()
    for doc in documents:
        bib = site
        extra_files = _article_bibliography(doc, config, loader)
        if extra_files:
            extra = loader.load_many(extra_files)
            bib, overridden = bibmod.overlay(site, extra)
            for problem in extra.problems + overridden:
                _report(problem)
        known = _check_keys(doc, bib)
        cited_site_keys |= {key for key in known if bib.entries[key] is site.entries.get(key)}
        bibs.append(bib)
        jobs.append(
            Job(
                str(_style(doc, config)),
                config.locale,
                [bib.entries[k].item for k in sorted(known)],
                [cluster["cites"] for cluster in doc.clusters],
            )
        )

    uncited = sorted(set(site.entries) - cited_site_keys)
    if uncited and site_files:
        where = site_files[0] if len(site_files) == 1 else config.bibliography_path
        diagnostics.warning(
            where, None, f"{len(uncited)} bibliography entries are never cited: {', '.join(uncited)}", CHECK
        )

    engine = engine or Engine(config.cache_path)
    try:
        formatted = engine.format(jobs)
    except pandoc.PandocError as exc:
        diagnostics.error("", None, f"citations could not be formatted: {exc} ({pandoc.INSTALL_HINT})", CHECK)
        return [None] * len(documents)

    results: list[render.Rendered | None] = []
    for doc, bib, result in zip(documents, bibs, formatted, strict=True):
        if result.error:
            diagnostics.error(
                doc.source_path, None, f"citations could not be formatted: {result.error}", CHECK
            )
            results.append(None)
            continue
        items = {key: bib.entries[key].item for key, _ in result.entries if key in bib}
        results.append(
            render.render(
                doc.content,
                doc.clusters,
                result.clusters,
                result.entries,
                items,
                config.references_title,
                cite,
            )
        )
    return results
