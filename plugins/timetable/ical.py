"""The timetable as iCalendar (RFC 5545) feeds, made with the `icalendar` library.

Pure Python. Each class is one weekly event: ``DTSTART``/``DTEND`` in local time with a ``TZID``
(so a class at 6:30pm stays at 6:30pm when the clocks change), ``RRULE:FREQ=WEEKLY`` with ``UNTIL``
at the end of the term's last day, one ``EXDATE`` per no-class date, and a ``VTIMEZONE`` generated
from the system's zoneinfo for the years the feed covers.

Every value comes from the timetable, never from the clock: the ``UID`` is the class's id at the
site's host (so a calendar app replaces the event when its time, room or dates change), and
``DTSTAMP`` is midnight UTC at the start of the class's term, so an unchanged timetable gives
byte-identical feeds on every build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar

from .model import TimetableClass


def _location(cls: TimetableClass, clinic: dict) -> str:
    parts = [cls.place, clinic.get("name", ""), clinic.get("street", "")]
    town = " ".join(p for p in (clinic.get("locality", ""), clinic.get("postcode", "")) if p)
    return ", ".join(p for p in [*parts, town] if p)


def event(
    cls: TimetableClass, zone: ZoneInfo, uid_domain: str, page_url: str, clinic: dict
) -> icalendar.Event:
    """The weekly event of one class."""
    first = cls.dates()[0]
    ev = icalendar.Event()
    ev.add("uid", f"{cls.id}@{uid_domain}")
    ev.add("dtstamp", dt.datetime.combine(cls.term_start, dt.time(0, 0), tzinfo=dt.UTC))
    ev.add("dtstart", dt.datetime.combine(first, cls.start, tzinfo=zone))
    ev.add("dtend", dt.datetime.combine(first, cls.end, tzinfo=zone))
    until = dt.datetime.combine(cls.term_end, dt.time(23, 59, 59), tzinfo=zone).astimezone(dt.UTC)
    ev.add("rrule", {"freq": "weekly", "until": until})
    if cls.no_class:
        ev.add("exdate", [dt.datetime.combine(day, cls.start, tzinfo=zone) for day in cls.no_class])
    ev.add("summary", f"{cls.name} ({cls.level})")
    text = [cls.description, cls.capacity, f"Book a place: {page_url}"]
    ev.add("description", "\n\n".join(t for t in text if t))
    ev.add("location", _location(cls, clinic))
    ev.add("url", page_url)
    return ev


def feed(
    classes: Iterable[TimetableClass],
    *,
    name: str,
    zone_name: str,
    uid_domain: str,
    page_url: str,
    clinic: dict,
) -> bytes:
    """One calendar (VCALENDAR) of `classes`, as the bytes to publish."""
    classes = list(classes)
    zone = ZoneInfo(zone_name)
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{clinic.get('name', 'Clinic')}//Class timetable//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", zone_name)
    cal.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    for cls in classes:
        cal.add_component(event(cls, zone, uid_domain, page_url, clinic))
    if classes:
        first = min(c.term_start for c in classes)
        last = max(c.term_end for c in classes)
        cal.add_missing_timezones(dt.date(first.year, 1, 1), dt.date(last.year + 1, 1, 1))
    return cal.to_ical()
