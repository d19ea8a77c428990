"""The theme's components, rendered from their named examples: escaping, structure, and axe on all."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.theme.examples import example as example_args
from tests.theme.examples import gallery, render


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_toc_links_to_every_heading_in_order():
    nav = soup(render("toc", "nested")).nav
    assert nav["aria-labelledby"] == "toc-title" and nav.h2.get_text() == "Contents"
    assert [a["href"] for a in nav.find_all("a")] == ["#start", "#week-1", "#week-2", "#more"]
    assert nav.select_one("ol > li > ol")  # h3 entries nest under their h2
    flat = example_args("toc", "flat")["entries"]
    assert [a.get_text() for a in soup(render("toc", "flat")).find_all("a")] == [e["text"] for e in flat]


def test_article_card_shows_title_link_date_reading_time_topic_and_summary():
    card = soup(render("article_card", "plain")).article
    assert card.h2.a["href"] == "../articles/back-pain/"
    assert card.h2.a.get_text() == example_args("article_card", "plain")["article"]["title"]
    meta = " ".join(card.select_one(".card__meta").get_text().split())
    assert meta == "31 January 2025 · 4 min read · Back pain"
    assert card.time["datetime"] == "2025-01-31T00:00:00"
    assert card.select_one(".card__summary").get_text() == "Running can help."


def test_article_card_without_reading_time_and_with_html_in_the_summary():
    meta = soup(render("article_card", "no-reading-time")).select_one(".card__meta").get_text()
    assert "min read" not in meta
    summary = soup(render("article_card", "hostile-text")).select_one(".card__summary")
    assert summary.find("b") is None and summary.get_text() == "bold &"  # tags stripped, text escaped


def test_citation_link_describes_itself_with_the_full_reference():
    ref = soup(render("citation", "harvard")).select_one(".citation-ref")
    link, preview = ref.a, ref.select_one(".citation-preview")
    assert link["href"] == "#ref-hartvigsen2018" and link["role"] == "doc-biblioref"
    assert link["aria-describedby"] == preview["id"] == "cite-hartvigsen2018-1-preview"
    assert preview["role"] == "tooltip" and "The Lancet" in preview.get_text()
    hostile = soup(render("citation", "hostile-key")).a
    assert hostile["href"] == "#ref-<img src=x onerror=alert(1)>" and hostile.find("img") is None


@pytest.mark.browser
def test_every_example_passes_axe(browser):
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    try:
        page.set_content(gallery())
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            result = Axe().run(
                page,
                options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}},
            )
            assert result.response["violations"] == [], (scheme, result.generate_report())
    finally:
        page.close()
