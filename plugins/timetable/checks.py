"""The timetable's rules: each class's fields, and the rules between classes, each problem at its line.

Pure Python, over the line-keeping tree of `yamltree`. Every check appends `(line, "what is wrong;
what to do")` to `problems` and goes on, so one save shows every mistake in the file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Collection

from .model import ALL_SLUG, FIELDS, WEEKDAYS, TimetableClass
from .yamltree import Map, Scalar, Seq

#: A term longer than this is almost always a typing slip in a year.
MAX_TERM_DAYS = 366
DURATION = (10, 300)
YEARS = (2000, 2100)
LIMITS = {"name": 80, "level": 40, "place": 80, "capacity": 120, "description": 600, "id": 60}

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TRUE, _FALSE = ("true", "yes", "on"), ("false", "no", "off")
_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))

Problem = tuple[int, str]


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word.casefold(), [c.casefold() for c in choices], n=1, cutoff=0.6)
    if not close:
        return ""
    original = next(c for c in choices if c.casefold() == close[0])
    return f" (did you mean {original!r}?)"


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def _date(node: Scalar, what: str, problems: list[Problem]) -> dt.date | None:
    match = _DATE.match(node.value.strip())
    if match:
        try:
            day = dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            day = None
        if day and YEARS[0] <= day.year <= YEARS[1]:
            return day
    problems.append(
        (node.line, f"{what} {node.value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-09-07")
    )
    return None


def _text(key: str, node, problems: list[Problem], multiline: bool = False) -> str | None:
    if not isinstance(node, Scalar):
        problems.append(
            (node.line, f"'{key}' must be text, not a list or a set of keys; write it on one line")
        )
        return None
    value = node.value
    if any(c in _BIDI for c in value) or any(
        unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value
    ):
        problems.append(
            (node.line, f"'{key}' contains invisible control characters; retype it as plain text")
        )
        return None
    if not multiline and "\n" in value.strip():
        problems.append((node.line, f"'{key}' must be one line; shorten it"))
        return None
    value = " ".join(value.split())
    if len(value) > LIMITS.get(key, 200):
        problems.append(
            (node.line, f"'{key}' is {len(value)} characters long, over {LIMITS[key]}; shorten it")
        )
        return None
    return value


def check_class(node, targets: Collection[str], problems: list[Problem]) -> TimetableClass | None:
    if not isinstance(node, Map):
        problems.append(
            (
                node.line,
                "each entry under 'classes:' must be a class: lines of 'key: value' starting with "
                "'- id: ...' (see docs/writing.md)",
            )
        )
        return None
    before = len(problems)
    keys = {f.key: f for f in FIELDS}
    given: dict[str, object] = {}
    for key_node, value in node.items:
        key = key_node.value
        if key not in keys:
            problems.append(
                (
                    key_node.line,
                    f"unknown key '{key}' in a class{did_you_mean(key, list(keys))}; the keys of a class "
                    f"are: {', '.join(keys)}",
                )
            )
            continue
        if key in given:
            problems.append(
                (
                    key_node.line,
                    f"'{key}' is given twice in this class (first on line {given[key].line}); keep one",
                )
            )
            continue
        given[key] = value
    for f in FIELDS:
        empty = f.key not in given or (isinstance(given[f.key], Scalar) and given[f.key].empty)
        if f.required and empty:
            where = given[f.key].line if f.key in given else node.line
            problems.append(
                (where, f"the class has no '{f.key}'; add a line '{f.key}: {f.example}'. {f.meaning}")
            )
    if len(problems) > before:
        return None

    def scalar(key: str) -> Scalar | None:
        value = given.get(key)
        return value if isinstance(value, Scalar) and not value.empty else None

    values = {}
    for key in ("id", "name", "level", "place", "capacity", "description", "weekday", "time", "duration"):
        if key in given:
            values[key] = _text(key, given[key], problems, multiline=key == "description") or ""
    if len(problems) > before:
        return None
    if "capacity" in given and not scalar("capacity"):
        values["capacity"] = ""
    if "description" in given and not scalar("description"):
        values["description"] = ""

    ident = values["id"]
    if not _ID.match(ident):
        problems.append(
            (
                given["id"].line,
                f"id {ident!r} is not a plain name; use lower-case letters, digits and hyphens, e.g. "
                "'beginners-tuesday'",
            )
        )
    weekday_text = values["weekday"].capitalize()
    weekday = WEEKDAYS.index(weekday_text) if weekday_text in WEEKDAYS else None
    if weekday is None:
        problems.append(
            (
                given["weekday"].line,
                f"unknown weekday {values['weekday']!r}{did_you_mean(values['weekday'], WEEKDAYS)}; "
                f"write the day in full: {', '.join(WEEKDAYS)}",
            )
        )
    match = _TIME.match(values["time"])
    start = dt.time(int(match.group(1)), int(match.group(2))) if match else None
    if start is None:
        problems.append(
            (
                given["time"].line,
                f"time {values['time']!r} is not a time; write it as 24-hour HH:MM in quotes, e.g. "
                'time: "18:30" for 6:30pm',
            )
        )
    duration = int(values["duration"]) if values["duration"].isdigit() else None
    if duration is None or not DURATION[0] <= duration <= DURATION[1]:
        problems.append(
            (
                given["duration"].line,
                f"duration {values['duration']!r} is not a number of minutes from {DURATION[0]} to "
                f"{DURATION[1]}; write e.g. duration: 60",
            )
        )
        duration = None
    if start and duration and start.hour * 60 + start.minute + duration > 24 * 60:
        problems.append(
            (
                given["duration"].line,
                f"a {duration}-minute class starting at {values['time']} ends after midnight",
            )
        )
    level_slug = slugify(values["level"])
    if not level_slug:
        problems.append(
            (
                given["level"].line,
                f"level {values['level']!r} has no letters or digits; name it, e.g. Beginners",
            )
        )
    elif level_slug == ALL_SLUG:
        problems.append(
            (
                given["level"].line,
                f"level {values['level']!r} would share its calendar with the one of all classes "
                f"('{ALL_SLUG}'); name the level differently",
            )
        )
    target = values.get("booking") or (given["booking"].value if isinstance(given["booking"], Scalar) else "")
    target = target.strip()
    if target not in targets:
        hint = did_you_mean(target, list(targets))
        problems.append(
            (
                given["booking"].line,
                f"unknown booking target {target!r}{hint}; the targets in BOOKING_TARGETS are: "
                f"{', '.join(targets)}",
            )
        )
    term_start = _date(given["term_start"], "term_start", problems) if scalar("term_start") else None
    term_end = _date(given["term_end"], "term_end", problems) if scalar("term_end") else None
    if term_start and term_end:
        if term_end < term_start:
            problems.append(
                (
                    given["term_end"].line,
                    f"term_end {term_end.isoformat()} is before term_start {term_start.isoformat()} (line "
                    f"{given['term_start'].line}); swap them or correct the year",
                )
            )
            term_start = term_end = None  # no_class dates cannot be checked against it
        elif (term_end - term_start).days > MAX_TERM_DAYS:
            problems.append(
                (
                    given["term_end"].line,
                    f"the term from {term_start.isoformat()} to {term_end.isoformat()} is longer than a "
                    "year; check the years, or enter the next term as another class",
                )
            )
    no_class: list[dt.date] = []
    raw = given.get("no_class")
    if raw is not None and not (isinstance(raw, Scalar) and raw.empty):
        items = raw.items if isinstance(raw, Seq) else [raw]
        seen: dict[dt.date, int] = {}
        for item in items:
            if not isinstance(item, Scalar):
                problems.append((item.line, "each no_class entry is one date, written '- YYYY-MM-DD'"))
                continue
            day = _date(item, "no_class date", problems)
            if day is None:
                continue
            if day in seen:
                problems.append(
                    (item.line, f"no_class date {day.isoformat()} is listed twice (line {seen[day]})")
                )
                continue
            seen[day] = item.line
            if weekday is not None and day.weekday() != weekday:
                problems.append(
                    (
                        item.line,
                        f"no_class date {day.isoformat()} is a {WEEKDAYS[day.weekday()]}, but the class runs "
                        f"on {WEEKDAYS[weekday]}s; give the {WEEKDAYS[weekday]} with no class",
                    )
                )
            elif term_start and term_end and not term_start <= day <= term_end:
                problems.append(
                    (
                        item.line,
                        f"no_class date {day.isoformat()} is outside the term ({term_start.isoformat()} to "
                        f"{term_end.isoformat()}); delete it or correct the date",
                    )
                )
            no_class.append(day)
    if len(problems) > before:
        return None
    cls = TimetableClass(
        id=ident,
        name=values["name"],
        level=values["level"],
        level_slug=level_slug,
        description=values.get("description", ""),
        weekday=weekday,
        start=start,
        duration=duration,
        place=values["place"],
        term_start=term_start,
        term_end=term_end,
        no_class=tuple(sorted(no_class)),
        capacity=values.get("capacity", ""),
        booking=target,
        line=node.line,
        lines=tuple((k.value, k.line) for k, _ in node.items),
    )
    if not cls.sessions():
        problems.append(
            (
                node.line,
                f"the class has no session: no {cls.weekday_name} from {term_start.isoformat()} to "
                f"{term_end.isoformat()} without a no_class date; check the weekday and the term dates",
            )
        )
        return None
    return cls


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _clock(t: dt.time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def check_across(classes: list[TimetableClass], problems: list[Problem]) -> None:
    """Rules between classes: one id each, one spelling per level, one class per room at a time."""
    ids: dict[str, TimetableClass] = {}
    levels: dict[str, TimetableClass] = {}
    for cls in classes:
        if cls.id in ids:
            problems.append(
                (
                    cls.line_of("id"),
                    f"id '{cls.id}' is also the id of the class on line {ids[cls.id].line}; give each class "
                    "its own id",
                )
            )
        ids.setdefault(cls.id, cls)
        first = levels.setdefault(cls.level_slug, cls)
        if first.level != cls.level:
            problems.append(
                (
                    cls.line_of("level"),
                    f"level {cls.level!r} is written {first.level!r} on line {first.line_of('level')}; write "
                    "a level the same way every time",
                )
            )
    for index, cls in enumerate(classes):
        for other in classes[:index]:
            if cls.weekday != other.weekday or " ".join(cls.place.casefold().split()) != " ".join(
                other.place.casefold().split()
            ):
                continue
            if _minutes(cls.start) >= _minutes(other.end) or _minutes(other.start) >= _minutes(cls.end):
                continue
            common = sorted(set(cls.sessions()) & set(other.sessions()))
            if not common:
                continue
            more = f" and {len(common) - 1} more" if len(common) > 1 else ""
            problems.append(
                (
                    cls.line_of("time"),
                    f"'{cls.id}' ({_clock(cls.start)}–{_clock(cls.end)}) overlaps '{other.id}' (line "
                    f"{other.line}, {_clock(other.start)}–{_clock(other.end)}) in {cls.place} on "
                    f"{common[0].isoformat()}{more}; change the time, the day or the place",
                )
            )


def yes_no(node, problems: list[Problem]) -> bool:
    value = node.value.strip().casefold() if isinstance(node, Scalar) else ""
    if value in _TRUE:
        return True
    if value in _FALSE or (isinstance(node, Scalar) and node.empty):
        return False
    problems.append((node.line, "demo must be true or false"))
    return False
