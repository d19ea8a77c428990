"""The timetable page's content: this week and the coming weeks, by level, as of one date.

Pure Python: everything the template shows, already in words ("Tuesday 8 December", "6:30pm to
7:30pm"), so the template only lays it out. The build's date decides what is past: a session
before it is never offered for booking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from .model import WEEKDAYS, Timetable, TimetableClass

BOOKABLE, PAST, NO_CLASS = "bookable", "past", "no-class"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip


def clock(t: dt.time) -> str:
    """18:30 -> '6:30pm', 09:00 -> '9am', 12:00 -> '12 noon' (UK style, as the opening hours)."""
    if (t.hour, t.minute) == (12, 0):
        return "12 noon"
    suffix = "am" if t.hour < 12 else "pm"
    hour = t.hour % 12 or 12
    return f"{hour}{suffix}" if t.minute == 0 else f"{hour}:{t.minute:02d}{suffix}"


def day_text(day: dt.date, today: dt.date | None = None, weekday: bool = True) -> str:
    """'Tuesday 8 December' ('… 2027' when not the year of `today`)."""
    text = f"{day.day} {MONTHS[day.month - 1]}"  # English whatever the machine's locale
    text = f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text
    return text if today is not None and day.year == today.year else f"{text} {day.year}"


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Session:
    cls: TimetableClass
    day: dt.date
    status: str  # BOOKABLE, PAST or NO_CLASS
    date_text: str  # "Tuesday 8 December"
    time_text: str  # "6:30pm to 7:30pm"
    start_iso: str  # "2026-12-08T18:30:00+00:00" (local time with its UTC offset)
    cta: Any = None  # the booking link (bookable sessions only)


@dataclass(frozen=True)
class Week:
    start: dt.date
    heading: str  # "This week: from Monday 30 November", "Week from Monday 14 December"
    sessions: tuple[Session, ...]


@dataclass(frozen=True)
class ClassView:
    cls: TimetableClass
    when_text: str  # "Tuesdays, 6:30pm to 7:30pm (60 minutes)"
    term_text: str  # "8 September 2026 to 30 March 2027"


@dataclass(frozen=True)
class Level:
    name: str
    slug: str
    classes: tuple[ClassView, ...]
    weeks: tuple[Week, ...]
    feed: Any = None


@dataclass(frozen=True)
class Page:
    as_of: dt.date
    as_of_text: str  # "2 December 2026"
    levels: tuple[Level, ...]
    demo: bool
    ended: bool  # every term has ended: nothing to show


def _start(cls: TimetableClass, day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, cls.start, tzinfo=zone)


def view(
    timetable: Timetable,
    today: dt.date,
    weeks: int,
    zone: ZoneInfo,
    ctas: dict[str, Any] | None = None,
    feeds: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Page:
    """The page as of `today`: `weeks` weeks from this week's Monday, each level's sessions in order.
    With `now` (the build's moment), a session that has started by then is past too."""
    first = monday(today)
    last = first + dt.timedelta(days=7 * weeks - 1)
    ctas, feeds = ctas or {}, feeds or {}
    levels = []
    for name, slug in timetable.levels():
        classes = [c for c in timetable.classes if c.level_slug == slug]
        by_week: dict[dt.date, list[Session]] = {first + dt.timedelta(days=7 * n): [] for n in range(weeks)}
        for cls in classes:
            for day in cls.dates():
                if not first <= day <= last:
                    continue
                if day in cls.no_class:
                    status = NO_CLASS
                elif day < today or (now is not None and _start(cls, day, zone) <= now):
                    status = PAST
                else:
                    status = BOOKABLE
                by_week[monday(day)].append(
                    Session(
                        cls,
                        day,
                        status,
                        day_text(day, today),
                        f"{clock(cls.start)} to {clock(cls.end)}",
                        _start(cls, day, zone).isoformat(),
                        ctas.get(cls.booking) if status == BOOKABLE else None,
                    )
                )
        week_list = []
        for n, (start, sessions) in enumerate(by_week.items()):
            label = ("This week: from", "Next week: from")[n] if n < 2 else "Week from"
            heading = f"{label} Monday {day_text(start, today, weekday=False)}"
            sessions.sort(key=lambda s: (s.day, s.cls.start, s.cls.name))
            week_list.append(Week(start, heading, tuple(sessions)))
        views = tuple(
            ClassView(
                c,
                f"{c.weekday_name}s, {clock(c.start)} to {clock(c.end)} ({c.duration} minutes)",
                f"{day_text(c.term_start, weekday=False)} to {day_text(c.term_end, weekday=False)}",
            )
            for c in classes
        )
        levels.append(Level(name, slug, views, tuple(week_list), feeds.get(slug)))
    ended = all(c.term_end < today for c in timetable.classes)
    return Page(today, day_text(today, weekday=False), tuple(levels), timetable.demo, ended)
