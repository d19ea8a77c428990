"""Pelican glue for Book Now: check the settings, add the marker syntax, give templates their links.

- ``initialized``: load BOOKING_* and CLINIC (checked at start-up, see ``settings``; in production,
  every demo value left, found by ``demo_values``, in one error); add the
  ``[[book]]`` Markdown extension; put the header link, the booking page's links and the clinic's
  JSON-LD into the settings, which Pelican hands to every template.
- ``generator_init``: keep the theme's Jinja environment, so inline links come from the same
  ``book_now`` macro the templates use.
- ``content_object_init``: resolve each article's and page's ``booking:`` metadata and inline
  markers (after the content cache, so changed settings always show); report unknown targets and
  markers inside urgent care cards with file and line.
"""

from __future__ import annotations

from pelican import signals

import demo_values
import diagnostics
import pipeline
import settings_schema
from frontmatter.core import field_line

from . import config as config_module
from .identity import clinic_jsonld, opening_hours
from .links import BOOKING_PAGE, HEADER, make_cta
from .pages import resolve
from .syntax import BookingExtension, ends_with_marker, markers, replace

CHECK = "booking"
COMPONENT = "components/book_now/book_now.html"

#: The Markdown syntax this plugin adds (plugins/pipeline.py).
MARKDOWN_EXTENSIONS = (BookingExtension,)


#: What one build needs between signals: the checked settings, and the theme's Jinja environment.
state = pipeline.BuildState(config=None, env=None)


def _initialized(pelican) -> None:
    settings = pelican.settings
    state.reset()
    cfg, problems = config_module.load(settings)
    for problem in problems:
        settings_schema.report(problem)  # at the line that set it
    demo = demo_values.find(settings) if settings.get("SITE_ENV") == "production" else []
    if demo:  # every demo value in one error, the same list `invoke publish` refuses
        diagnostics.error("pelicanconf.py", None, demo_values.report(demo), check=CHECK)
    if problems or demo:
        raise diagnostics.ReportedError("pelicanconf.py", "the settings are wrong: see the errors above")
    state.config = cfg
    pipeline.add_markdown_extensions(settings, MARKDOWN_EXTENSIONS)
    settings["BOOKING_HEADER_CTA"] = make_cta(cfg, cfg.default, HEADER)
    settings["BOOKING_PAGE_CTAS"] = [make_cta(cfg, name, BOOKING_PAGE) for name in cfg.targets]
    settings["CLINIC_JSONLD"] = clinic_jsonld(settings["CLINIC"], settings.get("SITEURL", ""))
    settings["CLINIC_HOURS"] = [opening_hours(spec) for spec in settings["CLINIC"].get("opening_hours", [])]


_generator_init = pipeline.keep_theme_env(state)


def _content_init(content) -> None:
    html = getattr(content, "_content", None)
    if state.config is None or not isinstance(html, str) or not content.source_path:
        return
    value = content.metadata.get("booking")
    found = markers(html)
    line = field_line(content.source_path, "booking") if value else None
    page = resolve(state.config, value, line, found, ends_with_marker(html))
    for line, message in page.problems:
        diagnostics.error(content.source_path, line, message, check=CHECK)
    content.booking_cta = page.end
    if found:
        book_now = state.env.get_template(COMPONENT).module.book_now
        ctas = iter(page.inline)
        content._content = replace(html, lambda _marker: _render(book_now, next(ctas)))


def _render(book_now, cta) -> str:
    return str(book_now(cta, variant="inline")) if cta else ""


def register() -> None:
    signals.initialized.connect(_initialized)
    signals.generator_init.connect(_generator_init)
    signals.content_object_init.connect(_content_init)
