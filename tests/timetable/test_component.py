"""The timetable macro rendered from its named examples (components/timetable/examples.yaml)."""

from __future__ import annotations

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.theme.examples import COMPONENTS
from tests.theme.examples import render as render_example

EXAMPLES = yaml.safe_load((COMPONENTS / "timetable" / "examples.yaml").read_text(encoding="utf-8"))


def render(name: str) -> BeautifulSoup:
    return BeautifulSoup(render_example("timetable", name), "html.parser")


@pytest.mark.parametrize("name", list(EXAMPLES["examples"]))
def test_no_example_lets_markup_from_data_through(name):
    html = str(render(name))
    assert "<img" not in html and "<script" not in html
    if name.startswith("hostile"):
        assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 10


def test_only_bookable_sessions_link_to_booking_and_each_link_says_what_it_books():
    page = render("one-level")
    assert [" ".join(li.get_text().split()) for li in page.select(".timetable__session")] == [
        "Tuesday 20 October, 6:30pm to 7:30pm Strength & Conditioning for runners, Studio 1 This session has "
        "taken place.",
        "Tuesday 27 October, 6:30pm to 7:30pm Strength & Conditioning for runners, Studio 1 No class on this "
        "date.",
        "Tuesday 3 November, 6:30pm to 7:30pm Strength & Conditioning for runners, Studio 1 Book this "
        "session: "
        "Beginners, Tuesday 3 November, 6:30pm to 7:30pm",
    ]
    (link,) = page.select("a[data-booking]")
    assert (link["data-booking"], link["data-booking-placement"]) == ("classes-beginners", "timetable")
    assert page.select_one(".timetable__none").get_text() == "No Beginners classes this week."
    downloads = [a["href"] for a in page.select(".timetable__download a")]
    assert downloads == ["../../classes/timetable/beginners.ics", "../../classes/timetable/all-classes.ics"]


def test_a_timetable_with_every_term_ended_says_so_and_marks_demo_times():
    text = " ".join(render("ended-demo").get_text().split())
    assert "Demo timetable: these classes and times are fictional examples." in text
    assert "No classes are scheduled at the moment." in text
