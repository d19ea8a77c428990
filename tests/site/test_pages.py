"""The real site, built as `make build` builds it: what a visitor finds there."""

from __future__ import annotations

import re

import feedparser
from bs4 import BeautifulSoup

SEED = "articles/back-pain-how-running-can-help-not-harm/index.html"
SEED_KEYS = ["hartvigsen2018", "horga2022", "maselli2020", "belavy2017", "mitchell2020", "neason2024"]
EDUCATION = {
    "is-running-right-for-you/index.html": "Is running right for you?",
    "strength-conditioning-classes/index.html": "Strength & Conditioning classes for runners",
    "about/index.html": "About the clinic",
    "book/index.html": "Book an appointment",
}


def soup(site, rel):
    return BeautifulSoup(site.page(rel), "html.parser")


def test_every_page_a_visitor_expects_is_written(site):
    expected = [
        "index.html",
        SEED,
        *EDUCATION,
        "404.html",
        "archives/index.html",
        "categories/index.html",
        "tags/index.html",
        "category/back-pain/index.html",
        "tag/running/index.html",
        "feeds/all.atom.xml",
    ]
    missing = [rel for rel in expected if not (site.output / rel).is_file()]
    assert not missing


def test_seed_article_shows_title_date_and_text(site):
    page = soup(site, SEED)
    assert page.h1.get_text(strip=True) == "Back Pain: How Running Can Help, Not Harm"
    assert len(page.find_all("h1")) == 1
    time = page.find("time")
    assert time["datetime"].startswith("2025-01-31")
    assert time.get_text(strip=True) == "31 January 2025"
    text = " ".join(page.main.get_text(" ").split())
    # The seed's own words survive (spot checks from the beginning, middle and end).
    assert "Low back pain affects millions worldwide, ranking as the leading cause of disability" in text
    assert "By week 12, many participants had doubled their running distance from 1.1km to 2.7km." in text
    assert "so book now to begin your recovery" in text
    headings = [h.get_text(strip=True) for h in page.main.find_all("h2")]
    for heading in ("Is Running Right for You?", "A Word of Encouragement", "Ready to Take the First Step?"):
        assert heading in headings
    criteria = page.select_one("article.prose > ol").find_all("li")
    assert [li.strong.get_text(strip=True) for li in criteria] == [
        "Your Interest and Motivation:",
        "Current Pain Levels:",
        "Safety First:",
    ]


def test_seed_article_cites_all_six_studies_with_links_to_the_reference_list(site):
    page = soup(site, SEED)
    assert "[@" not in page.main.get_text(), "a citation was left as raw Markdown"
    for key in SEED_KEYS:
        link = page.main.select_one(f'.citation a[href="#ref-{key}"]')
        assert link is not None, f"no in-text citation of {key}"
        entry = page.find(id=f"ref-{key}")
        assert entry is not None, f"no reference list entry for {key}"
        assert entry.find("a", href=re.compile(r"^https://doi\.org/10\."))


def test_education_pages_are_in_the_navigation(site):
    nav = soup(site, "index.html").find("nav", attrs={"aria-label": "Main"})
    labels = [a.get_text(strip=True) for a in nav.find_all("a")]
    for title in EDUCATION.values():
        assert title in labels
    page = soup(site, "is-running-right-for-you/index.html")
    current = page.find("nav", attrs={"aria-label": "Main"}).find(attrs={"aria-current": "page"})
    assert current.get_text(strip=True) == "Is running right for you?"


def test_index_lists_the_seed_article(site):
    page = soup(site, "index.html")
    links = {a.get_text(strip=True): a["href"] for a in page.main.find_all("a")}
    assert "Back Pain: How Running Can Help, Not Harm" in links


def test_feed_has_the_article_with_absolute_links(site):
    feed = feedparser.parse(str(site.output / "feeds/all.atom.xml"))
    assert not feed.bozo, feed.bozo_exception
    titles = [entry.title for entry in feed.entries]
    assert "Back Pain: How Running Can Help, Not Harm" in titles
    entry = feed.entries[titles.index("Back Pain: How Running Can Help, Not Harm")]
    assert entry.link.startswith("http")
    body = entry.content[0].value
    assert 'href="#' not in body, "a fragment-only link dangles in a feed reader"
