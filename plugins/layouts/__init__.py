"""Checks each article's and page's `template:` metadata against the theme's templates.

Pelican glue only (``core`` has the rule). An unknown name is reported with the file and line of the
field, and the page falls back to its default template so the build can list every problem before
it fails (Pelican itself stops at the first one without naming the file).

Templates get the filter ``navigation``: ``pages|navigation`` is the pages with `nav_order`, in
order (the one query behind the header menu and the home page's guides).
"""

from __future__ import annotations

from pelican import signals

import diagnostics
import pipeline
from frontmatter.core import field_line

from . import core

CHECK = "layouts"


def _check(generator, objects, default: str) -> None:
    extensions = tuple(generator.settings.get("TEMPLATE_EXTENSIONS", [".html"]))
    available = core.choices(generator.env.list_templates(), extensions)
    for obj in objects:
        name = obj.metadata.get("template")
        if not name:
            continue
        message = core.problem(str(name), available)
        if message:
            line = field_line(obj.source_path, "template")
            diagnostics.error(obj.source_path, line, message, check=CHECK)
            obj.template = default


def article_generator_finalized(generator) -> None:
    _check(generator, [*generator.articles, *generator.translations, *generator.drafts], "article")


def page_generator_finalized(generator) -> None:
    _check(generator, [*generator.pages, *generator.hidden_pages, *generator.draft_pages], "page")


#: What templates get from this plugin (plugins/pipeline.py; also the tests' theme environment).
JINJA_FILTERS = {"navigation": core.navigation}


def initialized(pelican) -> None:
    pipeline.add_jinja(pelican.settings, JINJA_FILTERS)


# The live preview (sitetools/preview/changes.py): each page's layout is checked on its own.
LIVE_RELOAD_SCOPE = "object"


def register() -> None:
    signals.initialized.connect(initialized)
    signals.article_generator_finalized.connect(article_generator_finalized)
    signals.page_generator_finalized.connect(page_generator_finalized)
