"""What the timetable file holds: its fields, declared once, and the classes read from it.

Pure Python. :data:`FIELDS` (each class's keys) and :data:`FILE_FIELDS` (the file's top-level
keys) are the one declaration of the file's schema: the loader checks against them, the README
and docs/writing.md describe them, and an editor (a CMS form) can be generated from them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One key of the timetable file."""

    key: str
    kind: str  # id, text, long-text, level, weekday, time, minutes, date, dates, target, yes-no, classes
    required: bool
    meaning: str
    example: str  # as written in the file


#: The keys of one class, in the order the file and the docs give them.
FIELDS: tuple[Field, ...] = (
    Field(
        "id",
        "id",
        True,
        "A short name for the class that never changes (lower-case words joined by hyphens): calendars "
        "recognise the class by it when its details change.",
        "beginners-tuesday",
    ),
    Field(
        "name",
        "text",
        True,
        "The class's name, as shown on the page and in calendars.",
        "Strength & Conditioning",
    ),
    Field(
        "level",
        "level",
        True,
        "The level: the page groups classes by it, with one calendar per level.",
        "Beginners",
    ),
    Field(
        "description", "long-text", False, "One or two sentences about the class, in the clinic's words.", ""
    ),
    Field("weekday", "weekday", True, "The day of the week it runs, in full.", "Tuesday"),
    Field("time", "time", True, "Start time, 24-hour HH:MM, in quotes (UK time).", '"18:30"'),
    Field("duration", "minutes", True, "Length in minutes (10 to 300).", "60"),
    Field(
        "place", "text", True, "The room; two classes may not be in one room at the same time.", "Studio 1"
    ),
    Field("term_start", "date", True, "First day of the term, YYYY-MM-DD.", "2026-09-07"),
    Field(
        "term_end",
        "date",
        True,
        "Last day of the term, YYYY-MM-DD (at most a year after the start).",
        "2026-12-18",
    ),
    Field(
        "no_class",
        "dates",
        False,
        "Dates in the term with no class (bank holidays, breaks), one per line as '- YYYY-MM-DD'; each on "
        "the class's weekday.",
        "[2026-10-27]",
    ),
    Field("capacity", "text", False, "How many places a class has, in words.", "Up to 10 runners"),
    Field(
        "booking",
        "target",
        True,
        "Where the class is booked: a target name in BOOKING_TARGETS.",
        "classes-beginners",
    ),
)

#: The top-level keys of the file.
FILE_FIELDS: tuple[Field, ...] = (
    Field(
        "demo",
        "yes-no",
        False,
        "true while the times are fictional demo values: a production build refuses the file until it is "
        "removed or says false.",
        "false",
    ),
    Field(
        "classes", "classes", True, "The weekly classes: a list, one entry (the keys above) per class.", ""
    ),
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: The slug of the calendar of all classes (no level may have it).
ALL_SLUG = "all-classes"


@dataclass(frozen=True)
class TimetableClass:
    """One weekly class, checked."""

    id: str
    name: str
    level: str
    level_slug: str
    description: str
    weekday: int  # 0 = Monday, as datetime.date.weekday()
    start: dt.time
    duration: int  # minutes
    place: str
    term_start: dt.date
    term_end: dt.date
    no_class: tuple[dt.date, ...]
    capacity: str
    booking: str
    line: int  # where the class starts in the file
    lines: tuple[tuple[str, int], ...] = ()  # (key, line) of each key given

    def line_of(self, key: str) -> int:
        return dict(self.lines).get(key, self.line)

    @property
    def weekday_name(self) -> str:
        return WEEKDAYS[self.weekday]

    @property
    def end(self) -> dt.time:
        minutes = self.start.hour * 60 + self.start.minute + self.duration
        return dt.time(minutes // 60, minutes % 60) if minutes < 24 * 60 else dt.time(23, 59)

    def dates(self) -> list[dt.date]:
        """Every date of the term on the class's weekday, no-class dates included."""
        first = self.term_start + dt.timedelta(days=(self.weekday - self.term_start.weekday()) % 7)
        out = []
        day = first
        while day <= self.term_end:
            out.append(day)
            day += dt.timedelta(days=7)
        return out

    def sessions(self) -> list[dt.date]:
        """The dates the class runs."""
        skip = set(self.no_class)
        return [day for day in self.dates() if day not in skip]


@dataclass(frozen=True)
class Timetable:
    classes: tuple[TimetableClass, ...]
    demo: bool = False
    demo_line: int | None = None

    def levels(self) -> list[tuple[str, str]]:
        """(level, slug) in the order the file first names them."""
        seen: dict[str, str] = {}
        for cls in self.classes:
            seen.setdefault(cls.level_slug, cls.level)
        return [(name, slug) for slug, name in seen.items()]
