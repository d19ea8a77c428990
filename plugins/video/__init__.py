"""Pelican glue for videos: the ``[[video: ...]]`` marker, checked and drawn by the ``video`` component.

- ``initialized``: add the Markdown extension (:mod:`video.syntax`).
- ``generator_init``: keep the theme's Jinja environment (the component renders with it).
- ``content_object_init``: check each marker (:mod:`video.core`), report problems at its line, and
  put the component in its place: a ``<video>`` with its poster and captions, or a click-to-load
  facade for YouTube/Vimeo. The images plugin then makes the poster's copies (it runs later).
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup
from pelican import signals

import diagnostics
import pipeline

from . import core
from .syntax import Marker, VideoExtension, replace

CHECK = "video"
COMPONENT = "components/video/video.html"
SCRIPT = "js/video.js"


AFTER = ("exercise",)  # a card's video is a video marker this plugin draws (checked: plugins/pipeline.py)
#: The Markdown syntax this plugin adds (plugins/pipeline.py).
MARKDOWN_EXTENSIONS = (VideoExtension,)

#: What one build keeps between signals: the theme's Jinja environment.
state = pipeline.BuildState(env=None)


def _initialized(pelican) -> None:
    state.reset()
    pipeline.add_markdown_extensions(pelican.settings, MARKDOWN_EXTENSIONS)


_generator_init = pipeline.keep_theme_env(state)


def _prefix(settings, content) -> str:
    if settings.get("RELATIVE_URLS"):
        depth = posixpath.dirname(getattr(content, "save_as", "") or "")
        return "" if not depth else posixpath.relpath(".", depth) + "/"
    return settings.get("SITEURL", "").rstrip("/") + "/"


def static_link(src: str) -> Markup:
    """`src` for a double-quoted attribute with `'` left as it is: Jinja would write `&#39;`, and
    Pelican's {static} link, cut at the `#`, would name a file that does not exist."""
    return Markup(html.escape(src, quote=False).replace('"', "&quot;"))


def _content_init(content) -> None:
    html = getattr(content, "_content", None)
    if not isinstance(html, str) or "video:embed" not in html or not content.source_path:
        return
    settings = content.settings
    root = Path(os.path.realpath(settings["PATH"]))
    prefix = _prefix(settings, content)
    macro = state.env.get_template(COMPONENT).module.video
    lang = settings.get("DEFAULT_LANG", "en")
    script_added = {"done": False}

    def render(marker: Marker) -> str:
        if marker.malformed:
            diagnostics.error(
                content.source_path,
                marker.line,
                core.malformed(marker.spec),
                check=CHECK,
            )
            return ""
        video = core.parse(marker.spec, root)
        for message in video.problems:
            diagnostics.error(content.source_path, marker.line, message, check=CHECK)
        if video.problems:
            return ""
        script = ""
        if video.kind != "file" and not script_added["done"]:
            script_added["done"] = True
            script = f"{prefix}{settings.get('THEME_STATIC_DIR', 'theme')}/{SCRIPT}"
        return str(
            macro(
                kind=video.kind,
                title=video.title,
                poster=static_link(video.poster),
                src=prefix + quote(video.src) if video.src else "",
                type=video.type,
                captions=prefix + quote(video.captions) if video.captions else "",
                captions_lang=video.lang or lang,
                no_captions=video.no_captions,
                embed=video.embed,
                link=video.link,
                provider=video.provider,
                script=script,
            )
        )

    content._content = replace(html, render)


_SCRIPT_RE = re.compile(r'<script src="[^"]*/js/video\.js" defer></script>\s*')


def _feed_generated(context, feed) -> None:
    """Feeds: no script (a feed reader runs none); the facade stays a plain link to the video."""
    for item in feed.items:
        for name in ("description", "content"):
            if item.get(name) and "js/video.js" in item[name]:
                item[name] = _SCRIPT_RE.sub("", item[name])


def register() -> None:
    signals.feed_generated.connect(_feed_generated)
    signals.initialized.connect(_initialized)
    signals.generator_init.connect(_generator_init)
    signals.content_object_init.connect(_content_init)
