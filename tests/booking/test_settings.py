"""The booking settings: good ones load; each bad one is refused with a message naming the setting."""

from __future__ import annotations

import pytest

import demo_values
from booking import config
from booking import settings as booking_settings
from settings_schema.core import check


def problems_of(settings) -> str:
    cfg, problems = config.load(settings)
    assert cfg is None and problems, "the settings were accepted"
    return "\n".join(problems)


def test_good_settings_load(settings):
    cfg, problems = config.load(settings)
    assert problems == []
    assert list(cfg.targets) == ["assessment", "classes"]
    assert cfg.default == "assessment"
    assert cfg.targets["classes"].new_tab is True
    assert cfg.targets["assessment"].new_tab is False  # same tab unless configured
    assert (cfg.phone_display, cfg.phone_tel) == ("01632 960000", "tel:+441632960000")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("javascript:alert(1)", "uses 'javascript:'"),
        ("http://booking.example-clinic.co.uk/", "uses 'http:'"),
        ("", "is empty"),
        ("   ", "is empty"),
        (None, "is empty"),
        ("data:text/html,<script>alert(1)</script>", "uses 'data:'"),
        ("//booking.example-clinic.co.uk/", "uses no scheme"),
        ("https:///no-host", "has no host name"),
        ('https://x.example-clinic.co.uk/" onmouseover="alert(1)', "contains spaces, quotes"),
    ],
)
def test_a_booking_url_that_is_not_https_is_refused(settings, url, expected):
    settings["BOOKING_TARGETS"]["classes"]["url"] = url
    message = problems_of(settings)
    assert "BOOKING_TARGETS['classes']['url']" in message
    assert expected in message


def test_a_local_stand_in_is_allowed_in_development_only(settings):
    settings["BOOKING_TARGETS"]["assessment"]["url"] = "http://127.0.0.1:8123/book/"
    assert config.load(settings)[1] == []
    settings["SITE_ENV"] = "production"
    message = problems_of(settings)
    assert "BOOKING_TARGETS['assessment']['url']" in message
    assert "development builds only" in message


@pytest.mark.parametrize(
    "url",
    [
        "https://booking.example.com/physio-clinic/initial-assessment",
        "https://example.org/book",
        "https://book.clinic.test/",
    ],
)
def test_publishing_with_a_demo_booking_url_is_refused(settings, url):
    """The production refusal of demo values lives in plugins/demo_values.py (one report for all)."""
    settings["BOOKING_TARGETS"]["assessment"]["url"] = url
    lines = [value.line() for value in demo_values.find(settings)]
    assert f"BOOKING_TARGETS['assessment']['url'] = {url!r} (a demo booking page)" in lines


def test_demo_booking_urls_are_fine_while_writing(settings):
    settings["BOOKING_TARGETS"]["assessment"]["url"] = "https://booking.example.com/physio-clinic"
    assert config.load(settings)[1] == []


def test_the_phone_must_be_a_tel_link(settings):
    settings["CLINIC"]["phone_tel"] = "javascript:alert(1)"
    message = problems_of(settings)
    assert "CLINIC['phone_tel'] = 'javascript:alert(1)' is not a tel: link" in message


def test_the_email_must_be_a_mailto_link(settings):
    settings["CLINIC"]["email"] = "hello@example.com"
    assert "CLINIC['email'] = 'hello@example.com' is not a mailto: link" in problems_of(settings)


def test_a_missing_phone_is_named(settings):
    settings["CLINIC"]["phone_display"] = ""
    assert "CLINIC['phone_display'] is missing or empty" in problems_of(settings)


def declared_problems(settings) -> list[str]:
    """What the start-up check of the booking plugin's declared settings says."""
    return [p.message for p in check(settings, booking_settings.SETTINGS)]


def test_the_declared_settings_accept_good_settings(settings):
    assert declared_problems(settings) == []


def test_the_default_must_be_a_target(settings):
    settings["BOOKING_DEFAULT"] = "asessment"
    assert declared_problems(settings) == [
        "BOOKING_DEFAULT = 'asessment' is not a booking target (did you mean 'assessment'?); "
        "choose one of: assessment, classes"
    ]


def test_reserved_and_odd_target_names_are_refused(settings):
    settings["BOOKING_TARGETS"]["none"] = dict(settings["BOOKING_TARGETS"]["classes"], label="x")
    settings["BOOKING_TARGETS"]["Classes 2"] = dict(settings["BOOKING_TARGETS"]["classes"], label="y")
    message = problems_of(settings)
    assert "'none' cannot be a target name" in message
    assert "the target name 'Classes 2' is not a plain name" in message


def test_a_target_needs_a_label_and_known_keys(settings):
    del settings["BOOKING_TARGETS"]["classes"]["label"]
    settings["BOOKING_TARGETS"]["classes"]["newtab"] = True
    message = problems_of(settings)
    assert "BOOKING_TARGETS['classes']['label'] is missing or empty" in message
    assert "unknown key 'newtab' (did you mean 'new_tab'?)" in message


def test_two_destinations_cannot_share_one_label(settings):
    settings["BOOKING_TARGETS"]["classes"]["label"] = "Book a Physiotherapy Assessment"
    assert "have the same label" in problems_of(settings)


def test_utm_tags_take_only_source_and_medium(settings):
    settings["BOOKING_UTM"] = {"source": "site", "campaign": "back-pain"}
    assert "BOOKING_UTM has an unknown key 'campaign'" in problems_of(settings)
    settings["BOOKING_UTM"] = {"source": "our site & more"}
    assert "BOOKING_UTM['source'] = 'our site & more' must be a short plain word" in problems_of(settings)


def test_the_old_booking_url_setting_is_named(settings):
    settings["BOOKING_URL"] = "https://booking.example.com/physio-clinic"
    assert declared_problems(settings) == [
        "BOOKING_URL is no longer used: move the address into BOOKING_TARGETS (see README.md, section "
        "Book Now) and delete BOOKING_URL"
    ]


def test_no_targets_at_all(settings):
    settings["BOOKING_TARGETS"] = {}
    assert "BOOKING_TARGETS is missing or empty" in problems_of(settings)


def test_a_short_label_is_for_the_header_only_and_must_fit_a_phone(settings):
    from booking.links import ARTICLE_END, HEADER, make_cta

    settings["BOOKING_TARGETS"]["assessment"]["short_label"] = "Book an assessment"
    cfg, problems = config.load(settings)
    assert not problems
    assert make_cta(cfg, "assessment", HEADER).label == "Book an assessment"
    assert (
        make_cta(cfg, "assessment", ARTICLE_END).label == settings["BOOKING_TARGETS"]["assessment"]["label"]
    )
    settings["BOOKING_TARGETS"]["assessment"]["short_label"] = "Book a physiotherapy assessment today"
    assert "['short_label'] must be text of at most 24 characters" in problems_of(settings)


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("Mo-Fr 08:00-19:00", ("Monday to Friday", "8am to 7pm")),
        ("Sa 09:00-13:00", ("Saturday", "9am to 1pm")),
        ("Mo,We,Fr 07:30-12:00", ("Monday, Wednesday, Friday", "7:30am to 12 noon")),
        ("Su 10:00-24:00", ("Sunday", "10am to midnight")),
    ],
)
def test_opening_hours_in_words(spec, words):
    from booking.identity import opening_hours

    assert opening_hours(spec) == words


@pytest.mark.parametrize("spec", ["Monday 9-5", "Mo-Fr 8:00-19:00", "Xx 08:00-19:00", "Mo-Fr 08:00-25:00"])
def test_opening_hours_not_in_schema_org_form_are_refused(settings, spec):
    settings["CLINIC"]["opening_hours"] = [spec]
    assert f"CLINIC['opening_hours'] entry {spec!r} is not of the form 'Mo-Fr 08:00-19:00'" in problems_of(
        settings
    )
