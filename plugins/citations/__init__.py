"""Citations for Pelican: pandoc's citation syntax in Markdown, CSL styles via pandoc's citeproc.

Pelican glue only; the work is in ``syntax`` (Markdown extension), ``bibliography`` (loading),
``engine`` (pandoc batch formatter + cache), ``render`` (HTML) and ``core`` (the flow).
Settings and their defaults: see ``citations.settings``.

Templates get ``article.citations`` (and ``page.citations``): one dict per reference-list entry,
in list order, with ``key``, ``html`` (the entry as the style formatted it), ``text`` (plain),
``doi``, ``pmid``, ``url``, ``title`` and ``type`` (for JSON-LD ``citation``).

The markup is the theme's: components/citation/ (one in-text citation and its preview) and
components/references/ (the reference list), rendered with the data ``render`` computes.
"""

from __future__ import annotations

import sys

import jinja2
from pelican import signals

import diagnostics
import pipeline
from pelican_content import all_contents, forget_memoized

from . import bibconvert, bibliography, bibscan, core, engine, render, settings
from .settings import CitationsConfigError
from .syntax import META_KEY, UNSUPPORTED_KEY, CitationExtension, clusters_from_meta

__all__ = ["CitationExtension", "CitationsConfigError", "register"]


#: Per build: the theme's Jinja environment (the components render citations and the reference list).
state = pipeline.BuildState(env=None)


def initialized(pelican) -> None:
    state.reset()
    settings.read(pelican.settings)  # raises CitationsConfigError on a bad setting
    markdown = pelican.settings.setdefault("MARKDOWN", {})
    extensions = markdown.setdefault("extensions", [])
    if not any(isinstance(ext, CitationExtension) for ext in extensions):
        extensions.append(CitationExtension())


generator_init = pipeline.keep_theme_env(state)


def _templates() -> render.Templates | None:
    """The theme's components, or None (reported) when the theme lacks one."""
    try:
        return render.theme_templates(state.env)
    except jinja2.TemplateNotFound as exc:
        what = "the reference list" if "references" in str(exc.name) else "each citation"
        folder = str(exc.name).rsplit("/", 1)[0]
        diagnostics.error(
            "",
            None,
            f"the theme has no {exc.name}, which the citations plugin renders {what} with; "
            f"copy theme/templates/{folder}/ into the theme",
            core.CHECK,
        )
        return None


def all_generators_finalized(generators) -> None:
    if not generators:
        return
    config = settings.read(generators[0].settings)
    objects, documents = [], []
    for obj in all_contents(generators):
        obj.citations = []
        clusters = clusters_from_meta(obj.metadata.get(META_KEY))
        unsupported = clusters_from_meta(obj.metadata.get(UNSUPPORTED_KEY))
        if clusters or unsupported:
            objects.append(obj)
            documents.append(
                core.Document(
                    source_path=obj.source_path,
                    content=obj._content,
                    clusters=clusters,
                    style=obj.metadata.get(settings.META_STYLE),
                    bibliography=obj.metadata.get(settings.META_BIBLIOGRAPHY),
                    unsupported=unsupported,
                )
            )
    templates = _templates() if objects else None
    if objects and templates is None:
        return
    cache = generators[0].settings.get("CACHE_PATH")  # pages' citations: this build's, or 2,000
    memo = pipeline.Memo(cache, "citations-rendered", VERSION, load=config.load_cache, limit=2_000)
    results = core.process(documents, config, templates, memo=memo)
    memo.save()
    for obj, result in zip(objects, results, strict=True):
        if result is not None:
            obj._content = result.content
            obj.citations = result.citations
            forget_memoized(obj)


#: The code the memo's renderings come from (pipeline.Memo): a change to it makes them all again
#: (the entries' data too: the engine's key names their files, this the code that reads them).
VERSION = pipeline.code_version(
    bibconvert, bibliography, bibscan, core, engine, render, sys.modules[__name__]
)


def feed_generated(context, feed) -> None:
    """Feeds: no CSS there, so drop the hover previews; make #ref-/#cite- links absolute."""
    for item in feed.items:
        for name in ("description", "content"):
            value = item.get(name)
            if value and "citation" in value:
                item[name] = render.absolutise_fragments(render.strip_previews(value), item["link"])


# The live preview (sitetools/preview/changes.py): each article's citations are formatted on their own.
LIVE_RELOAD_SCOPE = "object"


def register() -> None:
    signals.initialized.connect(initialized)
    signals.generator_init.connect(generator_init)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.feed_generated.connect(feed_generated)
