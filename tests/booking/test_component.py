"""The book_now and clinic_jsonld components, rendered from their named examples."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from tests.booking.examples import BOOK_NOW, CLINIC_JSONLD, HOSTILE, render_book_now, render_jsonld


def link_of(html: str):
    links = BeautifulSoup(html, "html.parser").select("a[data-booking]")
    assert len(links) == 1
    return links[0]


def accessible_name(link) -> str:
    for hidden in link.select('[aria-hidden="true"]'):
        hidden.decompose()
    return " ".join(link.get_text(" ").split())


@pytest.mark.parametrize("name", list(BOOK_NOW))
def test_every_example_is_a_real_labelled_link(name):
    cta = BOOK_NOW[name]["cta"]
    link = link_of(render_book_now(name))
    assert link["href"] == cta["href"]
    assert link["data-booking"] == cta["target"]
    assert link["data-booking-placement"] == cta["placement"]
    assert accessible_name(link).startswith(cta["label"])  # the visible label is the accessible name
    assert link["referrerpolicy"] == "strict-origin"  # the page's path never reaches the booking site
    assert not link.find_parent("button") and link.name == "a"


def test_same_tab_by_default():
    link = link_of(render_book_now("article-end"))
    assert "target" not in link.attrs and "rel" not in link.attrs


def test_a_new_tab_says_so_and_gets_noopener():
    link = link_of(render_book_now("new-tab"))
    assert link["target"] == "_blank"
    assert link["rel"] == ["noopener"]
    assert accessible_name(link) == "Book a Strength & Conditioning class (opens in a new tab)"


def test_the_phone_is_the_fallback_beside_the_link():
    soup = BeautifulSoup(render_book_now("article-end"), "html.parser")
    phone = soup.select_one(".book-now__phone a")
    assert phone["href"] == "tel:+441632960000" and phone.get_text() == "01632 960000"
    assert soup.select_one(".book-now__description").get_text() == "A first appointment with the physio team."
    assert BeautifulSoup(render_book_now("no-phone"), "html.parser").select_one(".book-now__phone") is None


def test_the_header_variant_is_compact():
    soup = BeautifulSoup(render_book_now("header"), "html.parser")
    assert "action-link--compact" in soup.a["class"]
    assert soup.select_one(".book-now__description") is None


def test_text_from_settings_is_escaped():
    html = render_book_now("hostile-text")
    assert "<img" not in html and "<script" not in html
    assert '<span class="action-link__text">&lt;img src=x onerror=alert(1)&gt;</span>' in html


@pytest.mark.parametrize("name", list(CLINIC_JSONLD))
def test_jsonld_is_json_and_cannot_end_its_script_early(name):
    html = render_jsonld(name)
    assert html.count("</script") == 1 and "<!--" not in html
    soup = BeautifulSoup(html, "html.parser")
    (script,) = soup.find_all("script")
    assert script["type"] == "application/ld+json"
    assert json.loads(script.string) == CLINIC_JSONLD[name]


def test_the_hostile_jsonld_value_survives_intact():
    data = json.loads(BeautifulSoup(render_jsonld("hostile-text"), "html.parser").script.string)
    assert HOSTILE in data["name"]
