"""Reading content/timetable.yaml: what a good file gives, and each mistake at its line with what to do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import demo_values
from tests.timetable.examples import TARGETS, TIMETABLE, line_of
from timetable.load import MAX_BYTES, load
from timetable.model import FIELDS, FILE_FIELDS

ROOT = Path(__file__).resolve().parents[2]


def test_a_good_file_gives_each_class_with_its_sessions():
    timetable, problems = load(TIMETABLE, TARGETS)
    assert problems == []
    tuesday, saturday, thursday = timetable.classes
    assert timetable.levels() == [("Beginners", "beginners"), ("Intermediate", "intermediate")]
    assert (tuesday.weekday_name, tuesday.start, tuesday.end) == ("Tuesday", dt.time(18, 30), dt.time(19, 30))
    assert saturday.start == dt.time(9, 0)  # unquoted 09:00 is not read as a YAML 1.1 number
    assert saturday.description == "" and saturday.capacity == ""
    assert dt.date(2026, 10, 27) not in tuesday.sessions() and dt.date(2026, 10, 20) in tuesday.sessions()
    assert tuesday.sessions()[0] == dt.date(2026, 9, 8) and tuesday.sessions()[-1] == dt.date(2027, 3, 30)
    assert thursday.no_class == () and thursday.line == line_of(TIMETABLE, "id: intermediate-thursday")


def test_the_demo_file_uses_every_field_and_is_marked_demo():
    text = (ROOT / "content" / "timetable.yaml").read_text(encoding="utf-8")
    timetable, problems = load(text, TARGETS)
    assert problems == [] and timetable.demo
    used = {key for cls in timetable.classes for key, _ in cls.lines}
    assert used == {f.key for f in FIELDS}
    assert {f.key for f in FILE_FIELDS} == {"demo", "classes"}


def test_production_lists_the_demo_timetable_with_the_other_demo_values(tmp_path):
    (tmp_path / "timetable.yaml").write_text("# times\ndemo: true\nclasses: []\n", encoding="utf-8")
    settings = {"PLUGINS": ["timetable"], "PATH": str(tmp_path), "TIMETABLE_PATH": "timetable.yaml"}
    (found,) = demo_values.find(settings)
    assert found.line().endswith("timetable.yaml:2 demo = 'true' (fictional class times: enter the real "
                                 "classes, then delete the line)")  # fmt: skip
    (tmp_path / "timetable.yaml").write_text("demo: false\nclasses: []\n", encoding="utf-8")
    assert demo_values.find(settings) == []


def _swap(old: str, new: str, text: str = TIMETABLE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# (case, file text, fragment of the line the error names, message)
BAD = [
    (
        "unknown target",
        _swap("booking: classes-intermediate", "booking: classes-intermediat"),
        "classes-intermediat",
        "unknown booking target 'classes-intermediat' (did you mean 'classes-intermediate'?); the targets in "
        "BOOKING_TARGETS are: assessment, classes, classes-beginners, classes-intermediate",
    ),
    (
        "end before start",
        _swap("term_end: 2027-03-30", "term_end: 2026-03-30"),
        "term_end: 2026-03-30",
        "term_end 2026-03-30 is before term_start 2026-09-08 (line 10); swap them or correct the year",
    ),
    (
        "bad time",
        _swap('time: "18:30"', "time: 6.30pm"),
        "6.30pm",
        "time '6.30pm' is not a time; write it as 24-hour HH:MM in quotes, e.g. time: \"18:30\" for 6:30pm",
    ),
    (
        "unknown weekday",
        _swap("weekday: Tuesday", "weekday: Tusday"),
        "Tusday",
        "unknown weekday 'Tusday' (did you mean 'Tuesday'?); write the day in full: Monday, Tuesday, "
        "Wednesday, Thursday, Friday, Saturday, Sunday",
    ),
    (
        "overlap in one room",
        _swap("    time: 09:00\n    duration: 45\n", '    time: "18:00"\n    duration: 45\n')
        .replace("weekday: Saturday", "weekday: Tuesday")
        .replace("no_class: [2026-12-26]", "no_class: [2026-12-29]"),
        '"18:00"',
        "'beginners-saturday' (18:00–18:45) overlaps 'beginners-tuesday' (line 2, 18:30–19:30) in Studio 1 "
        "on 2026-09-15 and 24 more; change the time, the day or the place",
    ),
    (
        "no-class date on another weekday",
        _swap("- 2026-10-27", "- 2026-10-28"),
        "2026-10-28",
        "no_class date 2026-10-28 is a Wednesday, but the class runs on Tuesdays; give the Tuesday with "
        "no class",
    ),
    (
        "no-class date outside the term",
        _swap("no_class: [2026-12-26]", "no_class: [2027-06-05]"),
        "2027-06-05",
        "no_class date 2027-06-05 is outside the term (2026-09-12 to 2027-03-27); delete it or correct "
        "the date",
    ),
    (
        "unknown key",
        _swap("    place: Studio 2", "    room: Studio 2"),
        "room: Studio 2",
        "unknown key 'room' in a class; the keys of a class are: id, name, level, description, weekday, "
        "time, duration, place, term_start, term_end, no_class, capacity, booking",
    ),
    (
        "misspelt key",
        _swap("    capacity: Up to 10 runners", "    capacty: Up to 10 runners"),
        "capacty",
        "unknown key 'capacty' in a class (did you mean 'capacity'?); the keys of a class are: id, "
        "name, level, "
        "description, weekday, time, duration, place, term_start, term_end, no_class, capacity, booking",
    ),
    (
        "missing key",
        _swap("    duration: 45\n", ""),
        "id: beginners-saturday",
        "the class has no 'duration'; add a line 'duration: 60'. Length in minutes (10 to 300).",
    ),
    (
        "key twice",
        _swap("    place: Studio 2\n", "    place: Studio 2\n    place: Studio 3\n"),
        "Studio 3",
        "'place' is given twice in this class (first on line 36); keep one",
    ),
    (
        "same id twice",
        _swap("id: intermediate-thursday", "id: beginners-tuesday"),
        "level: Intermediate",
        "",  # checked below: the id line is the one before
    ),
    (
        "a level written two ways",
        _swap("    level: Beginners\n    weekday: Saturday", "    level: beginners\n    weekday: Saturday"),
        "level: beginners",
        "level 'beginners' is written 'Beginners' on line 4; write a level the same way every time",
    ),
    (
        "a term of more than a year",
        _swap("term_end: 2027-04-01", "term_end: 2028-04-01"),
        "2028-04-01",
        "the term from 2026-09-10 to 2028-04-01 is longer than a year; check the years, or enter the "
        "next term "
        "as another class",
    ),
    (
        "an impossible date",
        _swap("term_start: 2026-09-10", "term_start: 2026-02-30"),
        "2026-02-30",
        "term_start '2026-02-30' is not a date; write it as YYYY-MM-DD, e.g. 2026-09-07",
    ),
    (
        "anchors and aliases",
        "base: &base {weekday: Tuesday}\nclasses:\n  - <<: *base\n",
        "base:",
        "YAML anchors (&name) and aliases (*name) are not used in the timetable; write each class out "
        "in full "
        "(copy the lines of a class to start a new one)",
    ),
    (
        "a billion laughs",
        "a: [x, x]\nb: &b [x, x, x, x, x, x, x, x, x]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
        "b: &b",
        "YAML anchors (&name) and aliases (*name) are not used",
    ),
    (
        "a Python tag",
        "classes: !!python/object/apply:os.system ['id']\n",
        "classes:",
        "the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not used in the timetable; "
        "remove it "
        "and write the value as plain text",
    ),
    (
        "nesting",
        "classes: " + "[" * 10 + "]" * 10 + "\n",
        "classes:",
        "nested more than 6 levels deep; the timetable is a list of classes, each a set of 'key: value' "
        "lines "
        "(see docs/writing.md)",
    ),
    (
        "nesting 10,000 deep",
        "classes: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "classes:",
        "nested more than 6 levels deep",
    ),
    (
        "not YAML",
        "classes:\n  - id: x\n   name: y\n",
        "   name: y",
        "this is not valid YAML (did not find expected '-' indicator); check the indentation (two spaces per "
        "level, no tabs) and put a text with ':' or '#' in quotes",
    ),
    (
        "two documents",
        "classes: []\n---\nclasses: []\n",
        "---",
        "a second YAML document ('---'); the timetable is one document: delete it",
    ),
    (
        "empty",
        "# nothing yet\n",
        "# nothing yet",
        "the timetable file is empty; add 'classes:' and one entry per class (see docs/writing.md)",
    ),
]


@pytest.mark.parametrize(("text", "fragment", "message"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_each_mistake_is_reported_at_its_line_with_what_to_do(text, fragment, message):
    timetable, problems = load(text, TARGETS)
    assert timetable is None
    if not message:  # the same id twice: at the second class's id line
        line = line_of(text, fragment) - 2
        assert problems == [(line, "id 'beginners-tuesday' is also the id of the class on line 2; give each "
                                   "class its own id")]  # fmt: skip
        return
    at = line_of(text, fragment)
    assert any(line == at and said.startswith(message) for line, said in problems), problems


def test_the_size_is_checked_before_the_yaml_is_read():
    text = "classes: []\n" + "# " + "x" * MAX_BYTES + "\n"
    said = "the timetable file is 256 KiB, over the limit of 256 KiB; it should hold only the weekly classes"
    assert load(text, TARGETS) == (None, [(1, said + " (a few KiB)")])


def test_an_empty_list_of_classes_is_a_timetable_without_classes():
    timetable, problems = load("demo: false\nclasses:\n", TARGETS)
    assert problems == [] and timetable.classes == () and not timetable.demo
