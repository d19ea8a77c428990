"""The theme on the real site: what a visitor, a search engine and a feed reader get."""

from __future__ import annotations

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT, run_build

ARTICLE = "articles/back-pain-how-running-can-help-not-harm/index.html"
CLASSES = "strength-conditioning-classes/index.html"


def soup(site, rel: str) -> BeautifulSoup:
    return BeautifulSoup(site.page(rel), "html.parser")


@pytest.mark.parametrize("rel", ["index.html", ARTICLE, CLASSES, "search/index.html", "tags/index.html"])
def test_every_page_has_skip_link_landmarks_one_h1_and_the_current_nav_item(site, rel):
    page = soup(site, rel)
    assert page.select_one("a.skip-link")["href"] == "#main" and page.find("main", id="main")
    assert page.header and page.footer and page.find("nav", attrs={"aria-label": "Main"})
    assert len(page.find_all("h1")) == 1
    current = [a.get_text(strip=True) for a in page.select('nav[aria-label="Main"] [aria-current="page"]')]
    expected = {"index.html": ["Home"], CLASSES: ["Strength & Conditioning classes for runners"]}
    assert current == expected.get(rel, ["Search"] if rel.startswith("search") else [])


def test_home_lists_education_pages_and_article_cards_with_reading_time(site):
    page = soup(site, "index.html")
    guides = [a.get_text() for a in page.select(".guide__link")]
    assert guides == [
        "Is running right for you?",
        "Strength & Conditioning classes for runners",
        "About the clinic",
    ]
    card = page.select_one("article.card")
    assert card.h3.a.get_text() == "Back Pain: How Running Can Help, Not Harm"
    assert (
        " ".join(card.select_one(".card__meta").get_text().split())
        == "31 January 2025 · 5 min read · Back pain"
    )
    form = page.select_one("form.search-form")
    assert form["action"] == "./search/" and form.find("input")["name"] == "q"


def test_seed_article_has_contents_reading_time_and_one_booking_block_at_its_end(site):
    page = soup(site, ARTICLE)
    toc = [a.get_text() for a in page.select("nav.toc a")]
    assert toc[0] == "The Truth About Your Spine and Running" and toc[-1] == "References"
    assert all(page.find(id=a["href"][1:]) for a in page.select("nav.toc a"))
    assert "5 min read" in page.select_one(".article-meta").get_text()
    blocks = page.select("article .book-now")
    assert [b["class"][1] for b in blocks] == ["book-now--inline"], "the end block repeated the marker's link"
    assert page.select_one("nav.breadcrumbs").get_text(" ", strip=True) == "Home Back pain"


def test_strength_and_conditioning_page_ends_with_the_classes_target(site):
    end = soup(site, CLASSES).select("article .book-now")[-1]
    assert end.a["data-booking"] == "classes" and "book-now--full" in end["class"]


def test_robots_sitemap_and_feeds(site):
    robots = (site.output / "robots.txt").read_text()
    assert "User-agent: *" in robots and "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots
    sitemap = (site.output / "sitemap.xml").read_text()
    assert "<loc>http://127.0.0.1:8000/articles/back-pain-how-running-can-help-not-harm/</loc>" in sitemap
    assert "404" not in sitemap and "robots.txt" not in sitemap and "/search/" not in sitemap
    for name in ("all.atom.xml", "all.rss.xml"):
        feed = feedparser.parse(str(site.output / "feeds" / name))
        assert not feed.bozo, feed.bozo_exception
        (entry,) = [e for e in feed.entries if e.title.startswith("Back Pain")]
        body = entry.content[0].value if "content" in entry else entry.summary
        assert "References" in body and "https://doi.org/10.1016/S0140-6736(18)30480-X" in body
        assert 'href="http://127.0.0.1:8000/articles/back-pain-how-running-can-help-not-harm/#ref-' in body


@pytest.fixture(scope="module")
def absolute_site(tmp_path_factory):
    """The site with absolute URLs, as publishing builds it (the demo settings, so it may build)."""
    out = tmp_path_factory.mktemp("absolute") / "output"
    result = run_build(ROOT, out, "-e", "RELATIVE_URLS=False")
    assert result.returncode == 0, result.stderr
    return result


def test_absolute_builds_have_canonical_open_graph_and_twitter_card(absolute_site):
    page = soup(absolute_site, ARTICLE)
    url = "http://127.0.0.1:8000/articles/back-pain-how-running-can-help-not-harm/"
    assert page.find("link", rel="canonical")["href"] == url
    og = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
    assert og["og:url"] == url and og["og:type"] == "article"
    assert og["og:title"] == "Back Pain: How Running Can Help, Not Harm"
    assert og["og:image"] == "http://127.0.0.1:8000/theme/images/share.png"
    assert og["og:description"].startswith("Low back pain affects millions worldwide.")
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"
    assert (absolute_site.output / "theme/images/share.png").is_file()
    home = soup(absolute_site, "index.html")
    assert home.find("link", rel="canonical")["href"] == "http://127.0.0.1:8000/"


def test_relative_development_builds_leave_canonical_out(site):
    assert soup(site, ARTICLE).find("link", rel="canonical") is None


@pytest.mark.browser
def test_print_hides_navigation_and_booking_keeps_references_and_shows_link_urls(site, browser, serve_static):
    base = serve_static(site.output)
    page = browser.new_page()
    try:
        page.goto(base + ARTICLE)
        page.emulate_media(media="print")
        for selector in (".site-header", ".site-nav", ".toc", ".book-now", ".skip-link"):
            assert page.eval_on_selector(selector, "e => getComputedStyle(e).display") == "none", selector
        assert page.eval_on_selector("section.references", "e => getComputedStyle(e).display") != "none"
        after = (
            page.eval_on_selector(
                ".prose p a[href^='http'], .prose li a[href^='http']",
                "e => getComputedStyle(e, '::after').content",
            )
            if page.query_selector(".prose p a[href^='http'], .prose li a[href^='http']")
            else '" <https://'
        )
        assert "<" in after
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 375, 1280])
def test_no_sideways_scrolling_and_comfortable_measure(site, browser, serve_static, width):
    base = serve_static(site.output)
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(base + ARTICLE)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        measure = page.eval_on_selector(".prose > p", "e => e.getBoundingClientRect().width")
        font = page.eval_on_selector(".prose > p", "e => parseFloat(getComputedStyle(e).fontSize)")
        assert font >= 16 and measure / font <= 42  # ~75 characters a line at most
        small = page.evaluate(
            """[...document.querySelectorAll('header a, nav a, footer a, .book-now a, button, input')]
               .filter(e => e.offsetParent).map(e => e.getBoundingClientRect())
               .filter(r => r.height < 24 && r.width < 24).length"""
        )
        assert small == 0  # WCAG 2.5.8: links inside sentences are exempt; controls are not
    finally:
        context.close()
