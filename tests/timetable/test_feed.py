"""The calendars as a calendar app reads them: parsed back by vobject, expanded by recurring-ical-events.

The two clock changes of the test timetable's terms: Sunday 25 October 2026 (BST → GMT) and Sunday
28 March 2027 (GMT → BST). A class at 6:30pm must stay at 6:30pm on the wall clock either side, so
its time in UTC moves by an hour.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import recurring_ical_events
import vobject

from tests.timetable.examples import TARGETS, TIMETABLE
from timetable.ical import feed
from timetable.load import load

CLINIC = {"name": "Example Physio Clinic", "street": "1 Example Street", "locality": "Exampleton",
          "postcode": "EX1 1AA"}  # fmt: skip
UTC = dt.UTC


def _feed(text: str = TIMETABLE, level: str | None = None) -> bytes:
    timetable, problems = load(text, TARGETS)
    assert problems == []
    classes = [c for c in timetable.classes if level in (None, c.level_slug)]
    return feed(
        classes,
        name="Example Physio Clinic: All classes",
        zone_name="Europe/London",
        uid_domain="www.example.com",
        page_url="https://www.example.com/classes/timetable/",
        clinic=CLINIC,
    )


def _expanded(data: bytes, start: dt.date, end: dt.date) -> list[tuple[str, dt.datetime]]:
    """(UID, start) of every occurrence from `start` up to `end`, as recurring-ical-events expands them."""
    events = recurring_ical_events.of(icalendar.Calendar.from_ical(data)).between(start, end)
    return sorted(((str(e["UID"]), e["DTSTART"].dt) for e in events), key=lambda x: x[1])


def _row(uid: str, start: dt.datetime) -> tuple[str, str, str]:
    """("beginners-tuesday", "Tue 20 Oct 18:30 BST", "17:30Z"): the class, the wall clock, UTC."""
    return uid.split("@")[0], start.strftime("%a %d %b %H:%M %Z"), start.astimezone(UTC).strftime("%H:%MZ")


def test_a_dst_week_in_october_keeps_the_wall_clock_time():
    found = _expanded(_feed(level="beginners"), dt.date(2026, 10, 19), dt.date(2026, 11, 4))
    shown = [_row(uid, start) for uid, start in found]
    assert shown == [
        ("beginners-tuesday", "Tue 20 Oct 18:30 BST", "17:30Z"),
        ("beginners-saturday", "Sat 24 Oct 09:00 BST", "08:00Z"),
        # Sunday 25 October: the clocks go back. Tuesday 27 October is a no-class date (half term).
        ("beginners-saturday", "Sat 31 Oct 09:00 GMT", "09:00Z"),
        ("beginners-tuesday", "Tue 03 Nov 18:30 GMT", "18:30Z"),
    ]


def test_a_dst_week_in_march_keeps_the_wall_clock_time_and_ends_with_the_term():
    found = _expanded(_feed(), dt.date(2027, 3, 22), dt.date(2027, 4, 6))
    shown = [_row(uid, start) for uid, start in found]
    assert shown == [
        ("beginners-tuesday", "Tue 23 Mar 18:30 GMT", "18:30Z"),
        ("intermediate-thursday", "Thu 25 Mar 18:30 GMT", "18:30Z"),
        ("beginners-saturday", "Sat 27 Mar 09:00 GMT", "09:00Z"),  # its term's last day
        # Sunday 28 March: the clocks go forward.
        ("beginners-tuesday", "Tue 30 Mar 18:30 BST", "17:30Z"),  # its term's last day
        ("intermediate-thursday", "Thu 01 Apr 18:30 BST", "17:30Z"),  # its term's last day
    ]


def test_a_second_parser_reads_the_same_occurrences():
    """vobject (a different implementation) agrees: rules, exception dates, the time zone."""
    cal = vobject.readOne(_feed().decode("utf-8"))
    assert cal.vtimezone.tzid.value == "Europe/London"
    by_uid = {ev.uid.value: ev for ev in cal.vevent_list}
    assert set(by_uid) == {f"{n}@www.example.com" for n in ("beginners-tuesday", "beginners-saturday",
                                                             "intermediate-thursday")}  # fmt: skip
    tuesday = by_uid["beginners-tuesday@www.example.com"]
    assert tuesday.rrule.value == "FREQ=WEEKLY;UNTIL=20270330T225959Z"
    start = tuesday.dtstart.value
    assert (start.date(), start.hour, start.minute, str(start.tzinfo)) == (
        dt.date(2026, 9, 8),
        18,
        30,
        "Europe/London",
    )
    # vobject 0.9.9 expands with the UTC offset of DTSTART frozen (pytz), so its occurrences after a clock
    # change carry the wrong offset and miss the EXDATEs; compare wall-clock times, which it gets right.
    exdates = {d.replace(tzinfo=None) for d in tuesday.exdate.value}
    assert exdates == {dt.datetime(2026, 10, 27, 18, 30), dt.datetime(2026, 12, 22, 18, 30)}
    wall = [d.replace(tzinfo=None) for d in tuesday.getrruleset(addRDate=True)]
    sessions = [d for d in wall if d not in exdates]
    assert len(wall) == 30 and len(sessions) == 28  # 30 Tuesdays in the term, two with no class
    assert {(d.hour, d.minute) for d in sessions} == {(18, 30)}
    assert (sessions[0].date(), sessions[-1].date()) == (dt.date(2026, 9, 8), dt.date(2027, 3, 30))
    assert tuesday.location.value == "Studio 1, Example Physio Clinic, 1 Example Street, Exampleton EX1 1AA"
    assert tuesday.summary.value == "Strength & Conditioning for runners (Beginners)"


def test_the_same_timetable_gives_the_same_bytes_and_uids_name_the_class_not_the_time():
    first = _feed()
    assert _feed() == first  # no clock, no random: an unchanged timetable is an unchanged feed
    moved = TIMETABLE.replace('time: "18:30"', 'time: "19:00"', 1).replace("place: Studio 1", "place: Gym", 1)
    changed = _feed(moved)
    assert changed != first
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(first).walk("VEVENT")]
    assert uids == [str(e["UID"]) for e in icalendar.Calendar.from_ical(changed).walk("VEVENT")]
    text = first.decode()
    assert "DTSTAMP:20260908T000000Z" in text  # the term's start, never the build's time
    assert "RRULE:FREQ=WEEKLY;UNTIL=20270330T225959Z" in text  # the end of 30 March, BST
    assert "EXDATE;TZID=Europe/London:20261027T183000,20261222T183000" in text
    assert all(len(line) <= 75 for line in first.split(b"\r\n"))  # RFC 5545 line folding
