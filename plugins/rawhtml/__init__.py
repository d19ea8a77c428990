"""Pelican glue for the raw HTML policy (see core.py and syntax.py).

- ``initialized``: add the Markdown extension that checks raw HTML, links and attribute lists.
- ``content_object_init``: report the problems found while the file was parsed (they travel with
  the page's HTML as placeholders, so a page from Pelican's content cache is reported again) with
  the file's name, and take the placeholders out.

Other plugins' Markdown extensions report through the same placeholders
(:func:`rawhtml.core.problem_comment`), e.g. the clinical plugin for a malformed care card.
"""

from __future__ import annotations

from pelican import signals

import diagnostics
import pipeline
from frontmatter.core import field_line

from .core import MARK, take_problems
from .syntax import RawHtmlExtension

#: The Markdown syntax this plugin adds (plugins/pipeline.py).
MARKDOWN_EXTENSIONS = (RawHtmlExtension,)


def _initialized(pelican) -> None:
    pipeline.add_markdown_extensions(pelican.settings, MARKDOWN_EXTENSIONS)


def _content_init(content) -> None:
    path = content.source_path
    html = getattr(content, "_content", None)
    if not path:
        return
    if isinstance(html, str) and MARK in html:
        html, problems = take_problems(html)
        for line, message, check in problems:
            diagnostics.error(path, line, message, check=check)
        content._content = html
    # Formatted header fields (Summary:) go through the same Markdown: report at the field's line.
    for field in content.settings.get("FORMATTED_FIELDS", ()):
        value = content.metadata.get(field)
        if isinstance(value, str) and MARK in value:
            value, problems = take_problems(value)
            for _line, message, check in problems:
                diagnostics.error(path, field_line(path, field), f"in '{field}:': {message}", check=check)
            content.metadata[field] = value
            if field == "summary" and isinstance(getattr(content, "_summary", None), str):
                content._summary = take_problems(content._summary)[0]


def register() -> None:
    signals.initialized.connect(_initialized)
    signals.content_object_init.connect(_content_init)
