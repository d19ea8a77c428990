"""Booking links: campaign tags name the placement and the target, and nothing about the page."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from booking import config, links


@pytest.fixture
def cfg(settings):
    return config.load(settings)[0]


def test_tags_name_the_target_and_the_placement(cfg):
    cta = links.make_cta(cfg, "assessment", links.HEADER)
    parts = urlsplit(cta.href)
    assert parts.netloc == "example-clinic.cliniko.com"
    assert parse_qsl(parts.query) == [
        ("business_id", "1"),  # the booking system's own parameter is kept
        ("utm_source", "clinic-website"),
        ("utm_medium", "referral"),
        ("utm_campaign", "assessment"),
        ("utm_content", "header"),
    ]


def test_without_utm_settings_the_url_is_untouched(settings):
    settings["BOOKING_UTM"] = None
    cfg = config.load(settings)[0]
    for placement in links.PLACEMENTS:
        assert links.make_cta(cfg, "classes", placement).href == "https://calendly.com/example-clinic/classes"


def test_existing_utm_parameters_are_replaced_not_doubled():
    url = links.tagged_url(
        "https://b.example-clinic.co.uk/?utm_source=old&x=1#top", {"source": "web"}, "t", "inline"
    )
    assert url == "https://b.example-clinic.co.uk/?x=1&utm_source=web&utm_campaign=t&utm_content=inline#top"


def test_a_link_carries_everything_the_component_shows(cfg):
    cta = links.make_cta(cfg, "classes", links.ARTICLE_END)
    assert cta.label == "Book a Strength & Conditioning class"
    assert cta.new_tab is True
    assert (cta.target, cta.placement) == ("classes", "article-end")
    assert (cta.phone_display, cta.phone_tel) == ("01632 960000", "tel:+441632960000")


def test_an_unknown_placement_is_a_programming_error(cfg):
    with pytest.raises(ValueError, match="unknown placement"):
        links.make_cta(cfg, "classes", "footer")
