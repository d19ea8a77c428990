"""Citations in headings, care-card titles and admonition titles, on a real build of the site.

Contents shows a heading citation's visible text only (no hover preview, no nested link); a title's
citation renders as a citation, never as raw ``[@key]`` text."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.conftest import copy_project, run_build

ARTICLE = """\
Title: Headings with citations
Date: 2025-02-01
Slug: heading-cites
Author: alex-example
Reviewed_by: sam-sample
Reviewed: 2025-02-01

Intro text [@horga2022].

## Why it helps [@hartvigsen2018]

Text.

## Second *emph* [see @maselli2020, p. 3]

Text.

### Sub @belavy2017

More.

## Third

!!! note "Note *title* [@mitchell2020]"
    Body.

## Fourth

!!! urgent "Call us [@neason2024]"
    Body.
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> BeautifulSoup:
    project = copy_project(tmp_path_factory.mktemp("titles") / "project")
    (project / "content" / "articles" / "2025-02-01-heading-cites.md").write_text(ARTICLE, encoding="utf-8")
    result = run_build(project, project / "output")
    assert result.returncode == 0, result.stderr
    html = (project / "output" / "articles" / "heading-cites" / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def test_contents_shows_the_citation_text_only(page):
    links = page.select("nav.toc a")
    assert [a.get_text() for a in links] == [
        "Why it helps (Hartvigsen et al., 2018)",
        "Second emph (see Maselli et al., 2020, p. 3)",
        "Sub Belavý et al. (2017)",
        "Third",
        "Fourth",
        "References",
    ]
    assert not page.select("nav.toc a a, nav.toc .citation-preview")


def test_headings_keep_their_citation_links(page):
    heading = page.find("h2", string=None, id="why-it-helps-hartvigsen2018")
    assert heading.select_one("a[role=doc-biblioref]")["href"] == "#ref-hartvigsen2018"


@pytest.mark.parametrize(
    ("kind", "text", "key"),
    [
        ("note", "Note: Note title (Mitchell et al., 2020)", "mitchell2020"),
        ("urgent", "Urgent advice: Call us (Neason et al., 2024)", "neason2024"),
    ],
)
def test_card_titles_render_citations(page, kind, text, key):
    heading = page.select_one(f".care-card--{kind} .care-card__heading")
    for preview in heading.select(".citation-preview"):
        preview.decompose()
    assert " ".join(heading.get_text().split()) == text
    assert heading.select_one("a[role=doc-biblioref]")["href"] == f"#ref-{key}"
    assert "[@" not in str(page)
    backlinks = page.select_one(f"#ref-{key} .citation-backlinks a")
    assert page.select_one(backlinks["href"]) is not None  # the entry links back to the title
