"""Citations for Pelican: pandoc's citation syntax in Markdown, CSL styles via pandoc's citeproc.

Pelican glue only; the work is in ``syntax`` (Markdown extension), ``bibliography`` (loading),
``engine`` (pandoc batch formatter + cache), ``render`` (HTML) and ``core`` (the flow).
Settings and their defaults: see ``citations.settings``.

Templates get ``article.citations`` (and ``page.citations``): one dict per reference-list entry,
in list order, with ``key``, ``html`` (the formatted entry), ``text`` (plain), ``doi``, ``pmid``,
``url``, ``title`` and ``type`` (for JSON-LD ``citation``).
"""

from __future__ import annotations

from pelican import signals

from pelican_content import all_contents, forget_memoized

from . import core, render, settings
from .settings import CitationsConfigError
from .syntax import META_KEY, UNSUPPORTED_KEY, CitationExtension, clusters_from_meta

__all__ = ["CitationExtension", "CitationsConfigError", "register"]


#: The theme's component for one in-text citation and its preview (render.citation_ref is its twin).
COMPONENT = "components/citation.html"
_theme: dict = {}


def initialized(pelican) -> None:
    _theme.clear()
    settings.read(pelican.settings)  # raises CitationsConfigError on a bad setting
    markdown = pelican.settings.setdefault("MARKDOWN", {})
    extensions = markdown.setdefault("extensions", [])
    if not any(isinstance(ext, CitationExtension) for ext in extensions):
        extensions.append(CitationExtension())


def generator_init(generator) -> None:
    _theme.setdefault("env", generator.env)


def _cite():
    """The theme's citation macro as a function, or the plugin's own markup for a theme without it."""
    env = _theme.get("env")
    if env is None or COMPONENT not in env.list_templates():
        return render.citation_ref
    macro = env.get_template(COMPONENT).module.citation_ref
    return lambda cite_id, key, link_html, preview: str(macro(cite_id, key, link_html, preview))


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
    for obj, result in zip(objects, core.process(documents, config, cite=_cite()), strict=True):
        if result is not None:
            obj._content = result.content
            obj.citations = result.citations
            forget_memoized(obj)


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
