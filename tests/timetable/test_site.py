"""The timetable on a real build: the page as of a given day, its booking links, the navigation, the
calendars and the structured data; then the page in Chromium on a phone (320 and 375 px), and printed.

One project copy with the test timetable (tests/timetable/examples.py), built twice: as of Thursday
22 October 2026 (the week before the clocks go back) and as of a week later.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
from bs4 import BeautifulSoup

import pelicanconf
from tests.conftest import copy_project, run_build
from tests.timetable.examples import TIMETABLE

PAGE = "classes/timetable/index.html"
FEEDS = ("beginners.ics", "intermediate.ics", "all-classes.ics")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("timetable") / "project")
    (project / "content" / "timetable.yaml").write_text(TIMETABLE, encoding="utf-8")
    found = {}
    for day in ("2026-10-22", "2026-10-29"):
        result = run_build(project, project / f"output-{day}", "-e", f"TIMETABLE_TODAY={day!r}")
        assert result.returncode == 0, result.stderr
        found[day] = result
    return found


@pytest.fixture(scope="module")
def site(builds):
    return builds["2026-10-22"]


def soup(site, rel: str = PAGE) -> BeautifulSoup:
    return BeautifulSoup(site.page(rel), "html.parser")


def _level(page: BeautifulSoup, name: str):
    return page.find("h2", string=name).find_parent("section")


def _sessions(section) -> list[tuple[str, str]]:
    """(date text, what the session offers) for each session listed in a level."""
    rows = []
    for item in section.select(".timetable__session"):
        link = item.select_one("a[data-booking]")
        offer = "book" if link else " ".join(item.select_one(".timetable__note").get_text().split())
        rows.append((item.time.get_text(), offer))
    return rows


def test_the_page_shows_the_weeks_from_this_one_by_level_as_of_the_build_date(site):
    page = soup(site)
    assert " ".join(page.select_one(".timetable__as-of").get_text().split()).startswith(
        "Timetable as of 22 October 2026."
    )
    assert [h.get_text() for h in page.select("main h2")] == [
        "Beginners", "Intermediate", "Add the classes to your calendar",
    ]  # fmt: skip
    beginners = _level(page, "Beginners")
    weeks = [h.get_text() for h in beginners.select(".timetable__week")]
    assert weeks[:3] == ["This week: from Monday 19 October", "Next week: from Monday 26 October",
                         "Week from Monday 2 November"] and len(weeks) == 6  # fmt: skip
    assert _sessions(beginners)[:5] == [
        ("Tuesday 20 October", "This session has taken place."),  # before the build date: no link
        ("Saturday 24 October", "book"),
        ("Tuesday 27 October", "No class on this date."),
        ("Saturday 31 October", "book"),
        ("Tuesday 3 November", "book"),
    ]
    intermediate = _level(page, "Intermediate")
    assert _sessions(intermediate)[0] == ("Thursday 22 October", "book")  # the build's own day
    first = beginners.select(".timetable__session")[1]
    assert first.time["datetime"] == "2026-10-24T09:00:00+01:00"
    assert " ".join(first.select_one(".timetable__when").get_text().split()) == (
        "Saturday 24 October, 9am to 9:45am"
    )


def test_a_week_later_the_past_week_is_gone_and_the_feeds_are_byte_identical(builds):
    later = soup(builds["2026-10-29"])
    beginners = _level(later, "Beginners")
    assert beginners.select_one(".timetable__week").get_text() == "This week: from Monday 26 October"
    assert _sessions(beginners)[:2] == [("Tuesday 27 October", "No class on this date."),
                                        ("Saturday 31 October", "book")]  # fmt: skip
    for name in FEEDS:
        first, second = (b.output / "classes" / "timetable" / name for b in builds.values())
        assert first.read_bytes() == second.read_bytes(), name
    assert (builds["2026-10-22"].page(PAGE)) != builds["2026-10-29"].page(PAGE)


def test_each_bookable_session_links_through_the_booking_rules(site):
    page = soup(site)
    links = page.select("main a[data-booking]")
    bookable = page.select(".timetable__session--bookable")
    assert len(links) == len(bookable) > 10
    utm = pelicanconf.BOOKING_UTM
    for link in links:
        target = pelicanconf.BOOKING_TARGETS[link["data-booking"]]
        assert link["href"].split("?")[0] == target["url"]
        assert link["data-booking-placement"] == "timetable"
        assert link["referrerpolicy"] == "strict-origin"
        query = {k: v[0] for k, v in parse_qs(urlsplit(link["href"]).query).items()}
        assert query == {"utm_source": utm["source"], "utm_medium": utm["medium"],
                         "utm_campaign": link["data-booking"], "utm_content": "timetable"}  # fmt: skip
    beginners = _level(page, "Beginners").select_one("a[data-booking]")
    assert beginners["data-booking"] == "classes-beginners"
    assert " ".join(beginners.get_text().split()) == (
        "Book this session: Beginners, Saturday 24 October, 9am to 9:45am"
    )
    assert not page.select(".timetable__session--past a, .timetable__session--no-class a")


def test_every_page_links_to_the_timetable_in_the_navigation(site):
    for rel in ("index.html", "about/index.html", PAGE):
        nav = soup(site, rel).select_one('nav[aria-label="Main"]')
        link = nav.find("a", string="Class timetable")
        assert link is not None and link["href"].endswith("classes/timetable/"), rel
        assert (link.get("aria-current") == "page") == (rel == PAGE)


def test_the_page_offers_each_calendar_to_subscribe_to_and_to_download(site):
    page = soup(site)
    siteurl = pelicanconf.SITEURL
    subscribe = [a["href"] for a in page.select(".timetable__address")]
    assert subscribe == [f"{siteurl}/classes/timetable/{name}" for name in FEEDS]
    downloads = page.select(".timetable__download a")
    assert [a["href"] for a in downloads] == [f"../../classes/timetable/{name}" for name in FEEDS]
    assert all(a["download"] for a in downloads)
    assert "webcal:" not in site.page(PAGE)  # the site links only to http(s), tel: and mailto:
    alternates = page.select('head link[rel="alternate"][type="text/calendar"]')
    assert [a["href"] for a in alternates] == subscribe
    for name in FEEDS:
        cal = icalendar.Calendar.from_ical((site.output / "classes" / "timetable" / name).read_bytes())
        uids = sorted(str(e["UID"]) for e in cal.walk("VEVENT"))
        assert all(uid.endswith("@127.0.0.1") for uid in uids)
        assert len(uids) == {"beginners.ics": 2, "intermediate.ics": 1, "all-classes.ics": 3}[name]


def test_the_structured_data_is_valid_json_ld_of_courses(site):
    scripts = soup(site).select('script[type="application/ld+json"]')
    data = [json.loads(s.string) for s in scripts]
    (timetable,) = [d for d in data if "@graph" in d]
    courses = timetable["@graph"]
    assert [c["@type"] for c in courses] == ["Course"] * 3
    tuesday = courses[0]
    assert tuesday["name"] == "Strength & Conditioning for runners (Beginners)"
    assert tuesday["provider"]["name"] == pelicanconf.CLINIC["name"]
    (instance,) = tuesday["hasCourseInstance"]
    assert instance["@type"] == "CourseInstance" and instance["location"]["name"].startswith("Studio 1")
    assert instance["courseSchedule"] == {
        "@type": "Schedule", "repeatFrequency": "P1W", "byDay": "https://schema.org/Tuesday",
        "startDate": "2026-09-08", "endDate": "2027-03-30", "startTime": "18:30", "endTime": "19:30",
        "duration": "PT60M", "scheduleTimezone": "Europe/London", "exceptDate": ["2026-10-27", "2026-12-22"],
    }  # fmt: skip


# --- in Chromium ---------------------------------------------------------------------------------

_OVERFLOW = "(w) => Math.max(document.documentElement.scrollWidth, innerWidth) - w"


@pytest.mark.browser
def test_the_page_fits_a_phone_passes_axe_and_prints_without_booking_links(site, browser, serve_static):
    from axe_playwright_python.sync_playwright import Axe

    base = serve_static(site.output)
    problems = []
    for width, scheme in ((320, "light"), (320, "dark"), (375, "light")):
        context = browser.new_context(
            viewport={"width": width, "height": 800}, color_scheme=scheme, is_mobile=True, has_touch=True
        )
        page = context.new_page()
        page.goto(base + "classes/timetable/")
        if (extra := page.evaluate(_OVERFLOW, width)) > 0:
            problems.append(f"{width} px {scheme}: {extra} px wider than the screen")
        book = page.locator("a[data-booking-placement=timetable]").first.bounding_box()
        if book["height"] < 24 or book["x"] + book["width"] > width:
            problems.append(f"{width} px: the first booking link is {book}")
        result = Axe().run(
            page,
            options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}},
        )
        if result.response["violations"]:
            problems.append(result.generate_report())
        if width == 375:
            page.emulate_media(media="print")
            shown = page.locator(".timetable__session:visible").count()
            links = page.locator("a[data-booking-placement=timetable]:visible").count()
            if not shown or links:
                problems.append(f"print: {shown} sessions shown, {links} booking links shown")
        context.close()
    assert not problems, problems
