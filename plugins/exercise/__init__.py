"""Pelican glue for exercise cards: the ``exercise`` fenced block, checked and drawn by the
``exercise_card`` component.

- ``initialized``: add the Markdown extension (:mod:`exercise.syntax`).
- ``generator_init``: keep the theme's Jinja environment.
- ``content_object_init``: read each card (:mod:`exercise.core`), report problems at their lines,
  report fields still marked TODO (a warning while writing, an error in production: the clinic
  must fill them in), and render the component. A card's video becomes a video marker's
  placeholder, which the video plugin (listed after this one) checks and draws; its photos are
  plain images, which the images plugin turns into metadata-free resized copies.
"""

from __future__ import annotations

import html

from markupsafe import Markup
from pelican import signals

import diagnostics
import pipeline
from video.syntax import Marker as VideoMarker

from . import core
from .syntax import ExerciseExtension, replace

CHECK = "exercise"
COMPONENT = "components/exercise_card/exercise_card.html"


#: The Markdown syntax this plugin adds (plugins/pipeline.py).
MARKDOWN_EXTENSIONS = (ExerciseExtension,)

#: What one build keeps between signals: the theme's Jinja environment.
state = pipeline.BuildState(env=None)


def _initialized(pelican) -> None:
    state.reset()
    pipeline.add_markdown_extensions(pelican.settings, MARKDOWN_EXTENSIONS)


_generator_init = pipeline.keep_theme_env(state)


def static_link(src: str) -> Markup:
    """`src` for a double-quoted attribute with `'` left as it is: Jinja would write `&#39;`, and
    Pelican's {static} link, cut at the `#`, would name a file that does not exist."""
    return Markup(html.escape(src, quote=False).replace('"', "&quot;"))


def _content_init(content) -> None:
    html = getattr(content, "_content", None)
    if not isinstance(html, str) or "exercise:card" not in html or not content.source_path:
        return
    macro = state.env.get_template(COMPONENT).module.exercise_card
    production = content.settings.get("SITE_ENV") == "production"
    draft = getattr(content, "status", "") == "draft"
    path = content.source_path

    def render(block) -> str:
        if not block.closed:
            diagnostics.error(
                path,
                block.line,
                "the exercise card is never closed: end it with a line ``` (three backticks)",
                CHECK,
            )
            return ""
        card, problems = core.parse(list(block.lines), block.line)
        for line, message in problems:
            diagnostics.error(path, line, message, check=CHECK)
        for line, name in card.todos:
            message = (
                f"the exercise card '{card.name or '?'}' still has a TODO in '{name}': the clinic must fill "
                "it in (or replace the placeholder) before publishing"
            )
            report = diagnostics.error if production and not draft else diagnostics.warning
            report(path, line, message, check=CHECK)
        if problems:
            return ""
        video = VideoMarker(card.video_line, card.video).placeholder() if card.video else ""
        return str(
            macro(
                name=card.name,
                photos=[{"src": static_link(p.src), "alt": p.alt} for p in card.photos],
                video_html=Markup(video),
                steps=[Markup(core.inline(step)) for step in card.steps],
                dosage=[(label, card.dosage[key]) for key, label in core.DOSAGE if key in card.dosage],
                feel_html=Markup(core.inline(card.feel)) if card.feel else "",
                stop_html=Markup(core.inline(card.stop)),
                heading_level=block.level,
                jsonld=core.howto(card),
            )
        )

    content._content = replace(html, render)


def register() -> None:
    signals.initialized.connect(_initialized)
    signals.generator_init.connect(_generator_init)
    signals.content_object_init.connect(_content_init)
