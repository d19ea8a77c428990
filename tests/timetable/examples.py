"""A timetable of our own for the tests (the demo file in content/ may change): three classes whose
terms cross both clock changes of 2026-27 (Sunday 25 October 2026 and Sunday 28 March 2027)."""

from __future__ import annotations

TARGETS = ["assessment", "classes", "classes-beginners", "classes-intermediate"]

TIMETABLE = """\
classes:
  - id: beginners-tuesday
    name: Strength & Conditioning for runners
    level: Beginners
    description: Devised to train the key components for successful running.
    weekday: Tuesday
    time: "18:30"
    duration: 60
    place: Studio 1
    term_start: 2026-09-08
    term_end: 2027-03-30
    no_class:
      - 2026-10-27
      - 2026-12-22
    capacity: Up to 10 runners
    booking: classes-beginners

  - id: beginners-saturday
    name: Strength & Conditioning for runners
    level: Beginners
    weekday: Saturday
    time: 09:00
    duration: 45
    place: Studio 1
    term_start: 2026-09-12
    term_end: 2027-03-27
    no_class: [2026-12-26]
    booking: classes-beginners

  - id: intermediate-thursday
    name: Strength & Conditioning for runners
    level: Intermediate
    weekday: Thursday
    time: "18:30"
    duration: 60
    place: Studio 2
    term_start: 2026-09-10
    term_end: 2027-04-01
    booking: classes-intermediate
"""


def line_of(text: str, fragment: str) -> int:
    """1-based line of the first line containing `fragment`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)
