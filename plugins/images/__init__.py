"""Content images: every <img> in an article or page gets its width and height (no layout shift),
``loading="lazy"`` below the fold (the first image before the first h2 loads at once), resized copies
with ``srcset``/``sizes`` (IMAGES_WIDTHS, IMAGES_SIZES) and must have alt text: a missing or empty
alt fails the build with the file and line.

Pelican glue only (``core`` has the rules). Runs after every generator (the HTML is final), writes
the resized copies when the build has finished, keeping them in CACHE_PATH/images between builds.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from pelican import signals

import diagnostics
from pelican_content import all_contents, forget_memoized

from . import core
from .settings import DEFAULTS

CHECK = "images"
_variants: list[core.Variant] = []


def _prefix(settings, obj) -> str:
    if settings.get("RELATIVE_URLS"):
        depth = posixpath.dirname(obj.save_as or "")
        return "" if not depth else posixpath.relpath(".", depth) + "/"
    return settings.get("SITEURL", "").rstrip("/") + "/"


def all_generators_finalized(generators) -> None:
    _variants.clear()
    if not generators:
        return
    settings = generators[0].settings
    widths = settings.get("IMAGES_WIDTHS", DEFAULTS["IMAGES_WIDTHS"])
    sizes = settings.get("IMAGES_SIZES", DEFAULTS["IMAGES_SIZES"])
    content_path = Path(settings["PATH"]).resolve()
    for obj in all_contents(generators):
        html = getattr(obj, "_content", None)
        if not html or "<img" not in html.lower():
            continue
        source = Path(obj.source_path).resolve()
        result = core.rewrite(html, content_path, source, _prefix(settings, obj), widths, sizes)
        for needle, message in result.problems:
            diagnostics.error(obj.source_path, diagnostics.line_of(obj.source_path, needle), message, CHECK)
        obj._content = result.html
        forget_memoized(obj)
        _variants.extend(result.variants)


def finalized(pelican) -> None:
    cache = Path(pelican.settings.get("CACHE_PATH", ".cache")) / "images"
    done = set()
    for variant in _variants:
        if variant.save_as not in done:
            done.add(variant.save_as)
            core.write_variant(variant, Path(pelican.output_path), cache)


def feed_generated(context, feed) -> None:
    for item in feed.items:
        for name in ("description", "content"):
            if item.get(name) and "srcset" in item[name]:
                item[name] = core.strip_responsive(item[name])


def register() -> None:
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.finalized.connect(finalized)
    signals.feed_generated.connect(feed_generated)
