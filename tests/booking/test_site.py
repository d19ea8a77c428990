"""Book Now on the real site (built once per session): header, article end, inline, booking page, JSON-LD."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

import pelicanconf

ARTICLE = "articles/back-pain-how-running-can-help-not-harm/index.html"
EDUCATION_PAGES = ["is-running-right-for-you/index.html", "strength-conditioning-classes/index.html"]
DEFAULT = pelicanconf.BOOKING_TARGETS[pelicanconf.BOOKING_DEFAULT]


def soup_of(site, rel: str) -> BeautifulSoup:
    return BeautifulSoup(site.page(rel), "html.parser")


def all_pages(site) -> list[str]:
    return sorted(p.relative_to(site.output).as_posix() for p in site.output.rglob("*.html"))


def query(href: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(href).query).items()}


def test_every_page_has_the_header_link(site):
    pages = all_pages(site)
    assert len(pages) >= 10
    for rel in pages:
        links = soup_of(site, rel).select('header.site-header a[data-booking-placement="header"]')
        assert len(links) == 1, rel
        (link,) = links
        assert link["data-booking"] == pelicanconf.BOOKING_DEFAULT
        assert link["href"].startswith(DEFAULT["url"] + "?")
        assert link.select_one(".action-link__text").get_text() == DEFAULT.get(
            "short_label", DEFAULT["label"]
        )
        phone = link.find_parent(class_="book-now").select_one(".book-now__phone a")
        assert phone["href"] == pelicanconf.CLINIC["phone_tel"]


def test_every_booking_link_is_found_by_its_data_attribute(site):
    urls = {target["url"]: name for name, target in pelicanconf.BOOKING_TARGETS.items()}
    found = 0
    for rel in all_pages(site):
        for link in soup_of(site, rel).find_all("a", href=True):
            name = urls.get(link["href"].split("?")[0])
            if name:
                found += 1
                assert link.get("data-booking") == name, (rel, link)
    assert found >= len(all_pages(site))


def test_the_article_ends_with_its_marker_block_only_once(site):
    """The seed's last block is `[[book]]` (the default target): no end block repeats it."""
    article = soup_of(site, ARTICLE).select_one("main article")
    blocks = article.select(".book-now")
    assert len(blocks) == 1 and "book-now--inline" in blocks[0]["class"]
    link = blocks[0].select_one("a[data-booking]")
    assert (link["data-booking"], link["data-booking-placement"]) == ("assessment", "inline")


@pytest.mark.parametrize(
    ("rel", "target"), list(zip(EDUCATION_PAGES, ["assessment", "classes"], strict=True))
)
def test_education_pages_end_with_a_booking_block(site, rel, target):
    article = soup_of(site, rel).select_one("main article")
    block = article.find_all(recursive=False)[-1]
    assert block.select_one('a[data-booking-placement="article-end"]')["data-booking"] == target


def test_the_inline_marker_in_the_seed_article(site):
    html = site.page(ARTICLE)
    assert "[[book" not in html and "booking:inline" not in html
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.find("h2", string="Ready to Take the First Step?")
    paragraph = heading.find_next_sibling()
    assert "book now to begin your recovery" in paragraph.get_text()  # the seed wording is unchanged
    block = paragraph.find_next_sibling()
    assert "book-now--inline" in block["class"]
    link = block.select_one("a[data-booking]")
    assert (link["data-booking"], link["data-booking-placement"]) == ("assessment", "inline")
    assert link.get_text(" ", strip=True) == "Book a physiotherapy assessment"


def test_the_booking_page_offers_every_target_once(site):
    links = soup_of(site, "book/index.html").select('main a[data-booking-placement="booking-page"]')
    assert [a["data-booking"] for a in links] == list(pelicanconf.BOOKING_TARGETS)
    labels = [a.get_text(" ", strip=True) for a in links]
    assert len(set(labels)) == len(labels)  # a different name for each destination


def test_campaign_tags_name_placement_and_target_never_the_topic(site):
    seen = set()
    for rel in all_pages(site):
        for link in soup_of(site, rel).select("a[data-booking]"):
            tags = query(link["href"])
            assert tags == {
                "utm_source": "clinic-website",
                "utm_medium": "referral",
                "utm_campaign": link["data-booking"],
                "utm_content": link["data-booking-placement"],
            }
            seen.add(tags["utm_content"])
            for word in ("back", "pain", "running", "harm", "conditioning-classes"):
                assert word not in link["href"].split("?", 1)[1], (rel, link["href"])
    assert {"header", "article-end", "inline", "booking-page"} <= seen


def test_no_third_party_script_frame_or_pixel(site):
    for rel in all_pages(site):
        soup = soup_of(site, rel)
        assert not soup.find("iframe"), rel
        for script in soup.find_all("script", src=True):  # the site's own scripts only
            assert not script["src"].startswith(("http:", "https:", "//")), rel
        for img in soup.find_all("img"):
            assert not img["src"].startswith(("http:", "https:", "//")), rel


def test_every_page_names_the_clinic_in_jsonld(site):
    clinic = pelicanconf.CLINIC
    for rel in all_pages(site):
        scripts = soup_of(site, rel).find_all("script", type="application/ld+json")
        nodes = [json.loads(script.string) for script in scripts]  # every one is valid JSON
        clinics = [node for node in nodes if node.get("@type") == ["Physiotherapy", "MedicalClinic"]]
        assert len(clinics) == 1, rel
        (data,) = clinics
        assert data["name"] == clinic["name"]
        assert data["telephone"] == clinic["phone_tel"].removeprefix("tel:")
        assert data["url"] == pelicanconf.SITEURL + "/"
        assert data["address"]["postalCode"] == clinic["postcode"]
        assert data["openingHours"] == clinic["opening_hours"]
