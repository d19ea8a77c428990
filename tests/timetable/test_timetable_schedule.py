"""The timetable page's sessions as of the build's moment (timetable.schedule, pure Python)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tests.timetable.examples import TARGETS, TIMETABLE
from timetable.load import load
from timetable.schedule import BOOKABLE, PAST, view

LONDON = ZoneInfo("Europe/London")


def statuses(page, day: dt.date) -> list[str]:
    return [s.status for level in page.levels for w in level.weeks for s in w.sessions if s.day == day]


def test_a_class_that_started_earlier_today_is_no_longer_bookable():
    """A build at 8pm (a publish, a CI run) offered 'Book this session' for the 6:30pm class that day."""
    timetable, _ = load(TIMETABLE, TARGETS)
    tuesday = dt.date(2026, 11, 3)  # the Beginners class, 6:30pm
    evening = view(timetable, tuesday, 2, LONDON, now=dt.datetime(2026, 11, 3, 20, 0, tzinfo=LONDON))
    morning = view(timetable, tuesday, 2, LONDON, now=dt.datetime(2026, 11, 3, 9, 0, tzinfo=LONDON))
    assert statuses(evening, tuesday) == [PAST] and statuses(morning, tuesday) == [BOOKABLE]
    assert statuses(view(timetable, tuesday, 2, LONDON), tuesday) == [BOOKABLE]  # a date alone: the day
