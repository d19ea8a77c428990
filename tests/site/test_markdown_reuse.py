"""One Markdown object converts every file of a build (sitetools.pelican_private.install_markdown_reuse),
and what it makes of each file is exactly what a fresh object per file (Pelican's way) makes: nothing
of one article (link definitions, footnotes, abbreviations, citations, header fields) reaches the next."""

from __future__ import annotations

import copy
from pathlib import Path

from pelican.readers import MarkdownReader
from pelican.settings import read_settings

import pipeline
from citations.syntax import CitationExtension
from sitetools.pelican_private import install_markdown_reuse

ROOT = Path(__file__).resolve().parents[2]

SUMMARY = """Title: With a summary
Date: 2026-01-01
Summary: A summary with *emphasis* and [a link][ref].

Text.
"""

LEAKY = """Title: Leaky one
Date: 2026-01-01

See [the guide][ref] and HTML[^1] (Hartvigsen et al. 2018) [@hartvigsen2018].

## A heading

[ref]: https://example.org/guide
*[HTML]: Hyper Text Markup Language
[^1]: A footnote.

!!! self-care "Ease it"
    Keep moving.
"""

AFTER = """Title: Then this one
Date: 2026-01-02

See [the guide][ref] and HTML[^1], then [@hartvigsen2018].

## A heading

Plain text.
"""


def _reader() -> MarkdownReader:
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    config = copy.deepcopy(settings["MARKDOWN"])
    extensions = [CitationExtension(), *pipeline.declared_markdown(settings["PLUGINS"])]
    config["extensions"] = [*extensions, *config.get("extensions", [])]
    settings["MARKDOWN"] = config
    return MarkdownReader(settings)


def test_one_markdown_object_reads_each_file_as_a_fresh_one_does(tmp_path):
    install_markdown_reuse()
    reuse, fresh = MarkdownReader.read, MarkdownReader.read.original
    files = sorted((ROOT / "content").rglob("*.md"))
    for name, text in (("summary.md", SUMMARY), ("leaky.md", LEAKY), ("after.md", AFTER)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(tmp_path / name)
    files += files[::-1]  # every file after every other, both ways
    assert len(files) >= 18
    reused = _reader()
    for path in files:
        expected = fresh(_reader(), str(path))
        assert reuse(reused, str(path)) == expected, path
    reuse(reused, str(tmp_path / "leaky.md"))
    after = reuse(reused, str(tmp_path / "after.md"))
    assert 'href="https://example.org/guide"' not in after[0] and "<abbr" not in after[0]
    reuse(reused, str(tmp_path / "summary.md"))
    after = reuse(reused, str(tmp_path / "after.md"))
    assert after[1]["title"] == "Then this one"  # the header is read after a summary was converted
