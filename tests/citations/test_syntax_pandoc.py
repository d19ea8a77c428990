"""pandoc's citation grammar where Python-Markdown can express it (same visible result as pandoc), and
an error at the line where it cannot (never raw text on the page)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.citations.helpers import SEED_BIB, run_pipeline
from tests.citations.test_golden import pandoc_html, visible

EXTENSIONS = ["markdown.extensions.extra", "markdown.extensions.toc", "markdown.extensions.admonition"]


@pytest.mark.parametrize(
    "doc",
    [
        "Text [see [@hartvigsen2018; @horga2022]] more.",  # brackets around a cluster stay text
        "Write to \\@hartvigsen2018 here.",  # an escaped @ is text
        "A [link @hartvigsen2018 text](https://example.org) here.",  # no <a> inside <a>
        "Text [@hartvigsen2018, chap. 3; @horga2022, bk. 2, n. 4] more.",  # no-break space after chap.
        "Text [@hartvigsen2018, see `x;y` here] more.",  # a ';' in code does not split the cluster
        "Text [@hartvigsen2018, *emph; text*; @horga2022] more.",  # nor one in emphasis
    ],
    ids=["nested-brackets", "escaped-at", "in-link-text", "abbreviations", "code-in-suffix", "emphasis"],
)
def test_same_as_pandoc(doc, tmp_path):
    result, _ = run_pipeline(tmp_path, doc, SEED_BIB, extensions=EXTENSIONS)
    html = result.content if result is not None else doc
    theirs = pandoc_html(doc, SEED_BIB, "harvard-cite-them-right")
    assert visible(html) == visible(theirs)
    assert exact_text(html) == exact_text(theirs)  # no-break spaces and backslashes too


def exact_text(html: str) -> str:
    """The paragraph's text with no-break spaces kept (visible() reads them as spaces)."""
    soup = BeautifulSoup(html, "html.parser")
    for extra in soup.select(".citation-preview, #refs, section.references"):
        extra.decompose()
    return re.sub(r"[ \t\n]+", " ", soup.get_text()).strip()


def test_numeric_style_numbers_a_footnote_where_its_reference_is(tmp_path):
    doc = "Main [@hartvigsen2018].[^1] Then [@horga2022].\n\n[^1]: Note [@belavy2017].\n"
    result, _ = run_pipeline(tmp_path, doc, SEED_BIB, "vancouver", extensions=EXTENSIONS)
    ours, theirs = visible(result.content), visible(pandoc_html(doc, SEED_BIB, "vancouver"))
    assert ours == theirs
    assert [text for text, _ in ours[0]] == ["[1]", "[3]", "[2]"]  # the note's citation is number 2


def test_no_nested_links_in_link_text(tmp_path):
    result, _ = run_pipeline(tmp_path, "A [link @hartvigsen2018 text](https://example.org) here.\n", SEED_BIB)
    body = result.content.split('<section class="references"')[0]
    assert body.count("<a ") == 1 and "citation-preview" not in body


@pytest.mark.parametrize(
    "doc, line, says",
    [
        ("First line.\n\nHi^[@hartvigsen2018 said so].\n", 3, "a citation in an inline footnote ^[...]"),
        ("First line.\n\nSee [@hartvigsen2018]{.note} here.\n", 3, "a citation followed by {...} attributes"),
    ],
    ids=["inline-footnote", "span-attributes"],
)
def test_unsupported_syntax_is_an_error_at_its_line(doc, line, says, tmp_path, messages):
    _, source = run_pipeline(tmp_path, doc, SEED_BIB, extensions=EXTENSIONS)
    errors = [m for m in messages() if ": error: " in m]
    assert any(m.startswith(f"{source}:{line}: error: {says}") for m in errors), errors
