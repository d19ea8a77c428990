"""Hostile and broken class timetables (content/timetable.yaml): refused at their line, or shown inert.

Each case is one sandbox build (``box``): a refused one exits non-zero with
``content/timetable.yaml:LINE: error: …``, no traceback, output/ byte-identical and nothing else
changed; an accepted one writes hostile text only as text.
"""

from __future__ import annotations

import json
import os

from bs4 import BeautifulSoup

TIMETABLE = "content/timetable.yaml"
HOSTILE = '<img src=x onerror="alert(1)">'
CLASS = """\
  - id: {id}
    name: {name}
    level: {level}
    description: {description}
    weekday: {weekday}
    time: "{time}"
    duration: 60
    place: {place}
    term_start: 2026-09-08
    term_end: 2026-12-15
    capacity: {capacity}
    booking: {booking}
"""


def a_class(**given) -> str:
    values = {"id": "beginners", "name": "Strength", "level": "Beginners", "description": "Strength.",
              "weekday": "Tuesday", "time": "18:30", "place": "Studio 1", "capacity": "Ten",
              "booking": "classes-beginners", **given}  # fmt: skip
    return CLASS.format(**values)


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_every_mistake_is_refused_at_its_line_in_one_build(box):
    text = "classes:\n" + a_class() + a_class(id="clash", time="19:00", booking="clases")
    text += a_class(id="late", weekday="Tusday", place="Studio 2")
    box.write(TIMETABLE, text)
    result = box.rejects(TIMETABLE, line_of(text, "booking: clases"), "unknown booking target 'clases'")
    errors = [ln for ln in result.stderr.splitlines() if ": error: " in ln]
    assert errors == [
        f"{TIMETABLE}:{line_of(text, 'booking: clases')}: error: unknown booking target 'clases' (did you "
        "mean 'classes'?); the targets in BOOKING_TARGETS are: assessment, classes, classes-beginners, "
        "classes-intermediate",
        f"{TIMETABLE}:{line_of(text, 'Tusday')}: error: unknown weekday 'Tusday' (did you mean 'Tuesday'?); "
        "write the day in full: Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday",
    ]
    # With the target fixed, the clash in Studio 1 is the next thing said.
    box.write(TIMETABLE, text.replace("clases", "classes").replace("Tusday", "Tuesday"))
    box.rejects(
        TIMETABLE,
        line_of(text, '"19:00"'),
        "'clash' (19:00–20:00) overlaps 'beginners' (line 2, 18:30–19:30) in Studio 1 on 2026-09-08 and 14 "
        "more; change the time, the day or the place",
    )


def test_a_yaml_alias_bomb_is_refused_before_it_expands(box):
    laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for name, prev in zip("bcdefghi", "abcdefgh", strict=True):
        laughs += f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
    box.write(TIMETABLE, laughs + "classes: *i\n")
    box.rejects(TIMETABLE, 1, "YAML anchors (&name) and aliases (*name) are not used in the timetable")


def test_a_timetable_outside_the_content_folder_is_never_read(box):
    os.remove(box.project / TIMETABLE)
    os.symlink("../../outside/secret.txt", box.project / TIMETABLE)
    box.rejects(TIMETABLE, None, "a symlink to")
    os.remove(box.project / TIMETABLE)
    box.rejects(
        "-e TIMETABLE_PATH",
        None,
        "TIMETABLE_PATH = '../outside/secret.txt' must be a path inside the content folder, without '..'",
        "-e",
        "TIMETABLE_PATH='../outside/secret.txt'",
    )


def test_hostile_text_in_every_field_is_shown_as_text(box):
    text = "classes:\n" + a_class(
        name=f"'{HOSTILE}'",
        level=f"'{HOSTILE}'",
        description="'</script><script>alert(1)</script><!--'",
        place=f"'{HOSTILE}'",
        capacity=f"'{HOSTILE}'",
    )
    box.write(TIMETABLE, text)
    box.accepts("-e", "TIMETABLE_TODAY='2026-10-01'")
    html = (box.output / "classes" / "timetable" / "index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert not page.select("main img") and "<script>alert" not in html
    assert "&lt;img src=x onerror=" in html
    (script,) = [s for s in page.select('script[type="application/ld+json"]') if "@graph" in s.string]
    assert "</script" not in script.string and "<!--" not in script.string
    course = json.loads(script.string)["@graph"][0]
    assert course["description"] == "</script><script>alert(1)</script><!--"
    assert course["name"] == f"{HOSTILE} ({HOSTILE})"
    assert page.select_one("main h2").get_text() == HOSTILE
    feeds = sorted(p.name for p in (box.output / "classes" / "timetable").glob("*.ics"))
    assert feeds == ["all-classes.ics", "img-src-x-onerror-alert-1.ics"]
