"""Markdown as the site converts it, for tests in the style of Python-Markdown's assertMarkdownRenders.

The extensions are the site's: pelicanconf.py's MARKDOWN (as Pelican's reader completes it) plus the
syntax each plugin in PLUGINS declares (MARKDOWN_EXTENSIONS, plugins/pipeline.py). The citations
plugin adds its extension at start-up without declaring it, so it is added here by name.
"""

from __future__ import annotations

import copy
import textwrap
from functools import cache
from pathlib import Path

import markdown
from pelican.settings import read_settings

import pipeline
from citations.syntax import CitationExtension
from rawhtml.core import take_problems

ROOT = Path(__file__).resolve().parents[1]


@cache
def _settings() -> dict:
    return read_settings(str(ROOT / "pelicanconf.py"))


def site_markdown(meta: bool = True) -> markdown.Markdown:
    """A fresh Markdown converter with the site's extensions (without `meta`: no header is read)."""
    settings = _settings()
    config = copy.deepcopy(settings["MARKDOWN"])
    extensions = [CitationExtension(), *pipeline.declared_markdown(settings["PLUGINS"])]
    extensions += config.pop("extensions", [])
    configs = config.setdefault("extension_configs", {})
    extensions += [name for name in configs if name not in extensions]
    if "markdown.extensions.meta" not in extensions:
        extensions.append("markdown.extensions.meta")
    if not meta:
        extensions.remove("markdown.extensions.meta")
        configs.pop("markdown.extensions.meta", None)
    return markdown.Markdown(extensions=extensions, **config)


def render_markdown(source: str, meta: bool = True) -> tuple[str, list[tuple[int | None, str]]]:
    """(HTML without the problem placeholders, [(line, message)]) of dedented Markdown `source`."""
    html = site_markdown(meta).convert(textwrap.dedent(source).lstrip("\n"))
    html, problems = take_problems(html)
    return html, [(line, message) for line, message, _check in problems]


def assert_markdown_renders(source: str, expected: str, meta: bool = True) -> None:
    """`source` (dedented) converts to exactly `expected` (dedented), with no problem reported."""
    html, problems = render_markdown(source, meta)
    assert problems == []
    assert html == textwrap.dedent(expected).strip("\n")
