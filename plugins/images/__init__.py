"""Content images: every <img> in an article or page gets its width and height (no layout shift),
``loading="lazy"`` below the fold (the first image before the first h2 loads at once), resized copies
with ``srcset``/``sizes`` (IMAGES_WIDTHS, IMAGES_SIZES) and must have alt text. A picture must be a
readable file inside the content folder, of at most IMAGES_MAX_PIXELS pixels; anything else fails
the build with one error naming the file and line.

Pelican glue only (``core`` has the rules, ``files`` reads pictures and keeps the cache). Runs after
every generator (the HTML is final) and writes the resized copies into the build's output folder
only, and only when the build has no error, keeping them in CACHE_PATH/images between builds.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
from pathlib import Path

from pelican import signals
from pelican.generators import ArticlesGenerator

import diagnostics
import pipeline
from pelican_content import all_contents, forget_memoized

from . import core, files
from .settings import DEFAULTS

_MEDIA = re.compile(r"<(?:img|video)", re.I)  # a page this plugin has work on (without lower-casing it)

CHECK = "images"
# Reads the finished HTML of these (checked at start-up: plugins/pipeline.py).
AFTER = ("citations", "booking", "clinical", "exercise", "video")


#: What one build keeps between signals (plugins/pipeline.py), reset at start-up.
state = pipeline.BuildState(
    store=None,  # files.Store: the sizes and copies cache
    variants=[],  # core.Variant: the copies to write
    # the pictures each page shows (source path -> pictures): kept between the live preview's
    # builds, which send this plugin only the pages that changed
    used={},
    bad_paths=set(),  # missing or outside, reported with their article's line
    originals={},  # photos in the static folders, kept from Pelican's copy: save_as -> (source, label)
)


def _setting(settings, name):
    return settings.get(name, DEFAULTS[name])


def _content_path(settings) -> Path:
    return Path(os.path.realpath(settings["PATH"]))


def _source(content_path: Path, settings, obj) -> Path:
    """The content file's path under the real content folder (which may be reached by a symlink)."""
    return content_path / os.path.relpath(os.path.abspath(obj.source_path), os.path.abspath(settings["PATH"]))


def _drop_pelicans_alt_warning(record: logging.LogRecord) -> bool:
    """Pelican warns "Empty alt attribute" without a line; this plugin reports it with one."""
    return not str(record.msg).startswith("Empty alt attribute for image")


def initialized(pelican) -> None:
    state.reset()
    # The IMAGES_* settings are checked at start-up by settings_schema (images/settings.py).
    logging.getLogger("pelican.readers").addFilter(_drop_pelicans_alt_warning)


def generator_finalized(generator) -> None:
    """Keep Pelican from copying (or failing to find) {static} images that are missing or outside
    the content: the same fault, reported by :func:`all_generators_finalized` with its line."""
    if isinstance(generator, ArticlesGenerator):  # the first of the two: a new build
        state.bad_paths = set()
    content_path = _content_path(generator.settings)
    for obj in all_contents([generator]):
        html = getattr(obj, "_content", None)
        if html and ("<img" in html.lower() or "<video" in html.lower()):
            source = _source(content_path, generator.settings, obj)
            state.bad_paths |= core.bad_paths(html, content_path, source)
    generator.context.get("static_links", set()).difference_update(state.bad_paths)


def static_generator_finalized(generator) -> None:
    """A picture in the static folders that is a symbolic link out of the content: never copied."""
    content_path = _content_path(generator.settings)
    label = diagnostics.relpath(generator.settings["PATH"]) or "content"
    kept = []
    state.originals = {}
    for static in generator.staticfiles:
        problem = core.outside_static_file(static.source_path, content_path, label)
        if problem is None and static.source_path.lower().endswith(core.RESIZABLE):
            # never published as it is (it carries EXIF, GPS, XMP): a page shows its copies; a photo no
            # page shows is published as one stripped copy under its own name (finalized)
            shown = f"{label}/{static.relative_source_path}"
            state.originals[static.save_as] = (Path(os.path.realpath(static.source_path)), shown)
        elif problem is None:
            kept.append(static)
        elif static.relative_source_path not in state.bad_paths:  # else its article's line says it
            # named as it is in content/ (diagnostics.relpath would follow the link out)
            diagnostics.error(f"{label}/{static.relative_source_path}", None, problem, CHECK)
    generator.staticfiles[:] = kept


# For the live preview (sitetools/preview): per object (it sends this for the changed objects only,
# after Pelican's static files are read, so Pelican may add its own line about a missing {static} image).
generator_finalized.live_reload_scope = "object"


def _prefix(settings, obj) -> str:
    if settings.get("RELATIVE_URLS"):
        depth = posixpath.dirname(obj.save_as or "")
        return "" if not depth else posixpath.relpath(".", depth) + "/"
    return settings.get("SITEURL", "").rstrip("/") + "/"


def _report(obj, problems: list[core.Problem]) -> None:
    try:
        with open(obj.source_path, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError):
        text = ""
    for problem in problems:
        line = core.line_of_use(text, problem.src, problem.nth)
        diagnostics.error(obj.source_path, line, problem.message, CHECK)


def all_generators_finalized(generators) -> None:
    state.variants = []
    if not generators:
        return
    settings = generators[0].settings
    widths = _setting(settings, "IMAGES_WIDTHS")
    sizes = _setting(settings, "IMAGES_SIZES")
    content_path = _content_path(settings)
    label = diagnostics.relpath(settings["PATH"]) or "content"
    store = state.store = files.Store(
        cache=Path(settings.get("CACHE_PATH", ".cache")) / "images",
        load=bool(settings.get("LOAD_CONTENT_CACHE", True)),
        max_pixels=_setting(settings, "IMAGES_MAX_PIXELS"),
    )
    for obj in all_contents(generators):
        html = getattr(obj, "_content", None)
        if not html or not _MEDIA.search(html):
            state.used[obj.source_path] = set()
            continue
        source = _source(content_path, settings, obj)
        result = core.rewrite(
            html,
            content_path,
            source,
            _prefix(settings, obj),
            widths,
            sizes,
            store.size,
            label,
            tuple(_setting(settings, "IMAGES_FORMATS")),
        )
        _report(obj, result.problems)
        obj._content = result.html
        forget_memoized(obj)
        state.variants.extend(result.variants)
        state.used[obj.source_path] = set(result.used)


def finalized(pelican) -> None:
    store, variants = state.store, state.variants
    state.store, state.variants = None, []
    if store is None:
        return
    originals, state.originals = state.originals, {}
    # pictures shown by a page that still exists (a deleted page's pictures are shown by no one)
    for path in [p for p in state.used if not os.path.exists(p)]:
        del state.used[path]
    shown = set().union(*state.used.values())
    for save_as, (source, label) in originals.items():
        if source in shown:
            continue  # only its copies are published
        suffix = source.suffix.lower()
        if suffix in (".heic", ".heif"):  # browsers cannot show it: a JPEG of it, beside it
            save_as = save_as[: -len(suffix)] + ".jpg"
        try:
            width = store.size(source)[0]
        except core.Unreadable as exc:
            diagnostics.error(label, None, str(exc), CHECK)
            continue
        variants.append(core.Variant(source, save_as, width, core.fallback_format(save_as)))
    if not diagnostics.COLLECTOR.errors:  # a failing build writes nothing (its output is thrown away)
        output = Path(pelican.output_path)
        done: dict[str, Path] = {}
        for variant in variants:
            if variant.save_as in done:
                if done[variant.save_as] != variant.source:  # photo.jpg and photo.png: one copy name
                    diagnostics.error(
                        variant.source,
                        None,
                        f"its copy {variant.save_as} has the name of a copy of {done[variant.save_as].name}; "
                        "rename one of the two pictures",
                        CHECK,
                    )
                continue
            done[variant.save_as] = variant.source
            try:
                files.write_variant(variant, output, store)
            except Exception as exc:  # a picture Pillow can read but not resize: say which, no traceback
                message = f"cannot make the {variant.width} px copy: {exc}"
                diagnostics.error(variant.source, None, message, CHECK)
    if store.damaged:
        diagnostics.warning(
            store.cache,
            None,
            f"{len(store.damaged)} damaged image cache entr{'y' if len(store.damaged) == 1 else 'ies'} "
            f"(empty, truncated or altered; first: {store.damaged[0].name}) discarded and made again",
            CHECK,
        )


def feed_generated(context, feed) -> None:
    for item in feed.items:
        for name in ("description", "content"):
            if item.get(name) and "srcset" in item[name]:
                item[name] = core.strip_responsive(item[name])


# The live preview (sitetools/preview/changes.py): unchanged objects' image variants are on disk already.
LIVE_RELOAD_SCOPE = "object"


def register() -> None:
    signals.initialized.connect(initialized)
    signals.article_generator_finalized.connect(generator_finalized)
    signals.page_generator_finalized.connect(generator_finalized)
    signals.static_generator_finalized.connect(static_generator_finalized)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.finalized.connect(finalized)
    signals.feed_generated.connect(feed_generated)
