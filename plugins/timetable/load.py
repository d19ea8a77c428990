"""Read the timetable file safely and check every class, each problem at its line.

Pure Python. The YAML is read as a stream of parser events into a small tree of scalars, lists and
mappings that keeps each value's line; nothing is constructed by PyYAML, so no tag can run code, no
alias can expand (anchors and aliases are refused), values are never guessed into other types
(``18:30`` stays text, ``no`` stays text), a repeated key is an error rather than silently dropped,
and the file's size and nesting are bounded before anything is built.

    >>> timetable, problems = load(text, targets={"classes"})
    >>> problems  # [(line, "what is wrong; what to do"), ...]
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field

import yaml

from .model import ALL_SLUG, FIELDS, FILE_FIELDS, WEEKDAYS, Timetable, TimetableClass

#: The largest timetable file read (a few hundred classes fit in a tenth of this).
MAX_BYTES = 256 * 1024
#: The deepest nesting the file needs is 3 (file → classes → class → no_class); a little room.
MAX_DEPTH = 6
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
_NESTED = (
    f"nested more than {MAX_DEPTH} levels deep; the timetable is a list of classes, each a set of "
    "'key: value' lines (see docs/writing.md)"
)


# --- the YAML tree ---------------------------------------------------------------------------


@dataclass
class Scalar:
    value: str
    line: int
    plain: bool = True  # not quoted: '~', 'null' and '' mean "nothing"

    @property
    def empty(self) -> bool:
        return not self.value.strip() or (self.plain and self.value in ("~", "null", "Null", "NULL"))


@dataclass
class Seq:
    line: int
    items: list = field(default_factory=list)


@dataclass
class Map:
    line: int
    items: list = field(default_factory=list)  # (Scalar key, node) in file order


class _Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def _line(event) -> int:
    return event.start_mark.line + 1 if event.start_mark else 1


def parse(text: str):
    """The document's tree (Scalar/Seq/Map), or raise _Refused naming the line."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    stack: list = []
    root = None
    documents = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _Refused(
                    _line(event),
                    "YAML anchors (&name) and aliases (*name) are not used in the timetable; write each "
                    "class out in full (copy the lines of a class to start a new one)",
                )
            if isinstance(event, yaml.NodeEvent) and getattr(event, "tag", None) not in (None, "!"):
                raise _Refused(
                    _line(event),
                    f"the YAML tag {event.tag!r} is not used in the timetable; remove it and write the "
                    "value as plain text",
                )
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Refused(
                        _line(event),
                        "a second YAML document ('---'); the timetable is one document: delete it",
                    )
                continue
            if isinstance(event, yaml.ScalarEvent):
                node = Scalar(event.value, _line(event), event.style is None)
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise _Refused(_line(event), _NESTED)
                node = Seq(_line(event)) if isinstance(event, yaml.SequenceStartEvent) else Map(_line(event))
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                node = stack.pop()
                _attach(stack, node)
                if not stack:
                    root = node
                continue
            else:
                continue
            if isinstance(node, Scalar):
                if not stack:
                    root = node
                else:
                    _attach(stack, node)
            else:
                stack.append(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "not valid YAML"
        if "nesting depth" in what:  # libyaml stops at 1,000 levels before a single event reaches us
            raise _Refused(line, _NESTED) from None
        raise _Refused(
            line,
            f"this is not valid YAML ({what}); check the indentation (two spaces per level, no tabs) and "
            "put a text with ':' or '#' in quotes",
        ) from None
    except yaml.YAMLError as exc:
        raise _Refused(1, f"this is not valid YAML ({exc}); save the file as UTF-8 text") from None
    return root


_PENDING_KEY = object()


def _attach(stack: list, node) -> None:
    """Put `node` into the collection on top of the stack (a mapping alternates key, value)."""
    if not stack:
        return
    parent = stack[-1]
    if isinstance(parent, Seq):
        parent.items.append(node)
        return
    if parent.items and parent.items[-1][1] is _PENDING_KEY:
        key = parent.items[-1][0]
        parent.items[-1] = (key, node)
        return
    if not isinstance(node, Scalar):
        raise _Refused(
            node.line, "a list or mapping used as a key; write 'key: value' with a plain word as key"
        )
    parent.items.append((node, _PENDING_KEY))


# --- checking ----------------------------------------------------------------------------------


def _did_you_mean(word: str, choices) -> str:
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


def _class(node, targets: Collection[str], problems: list[Problem]) -> TimetableClass | None:
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
                    f"unknown key '{key}' in a class{_did_you_mean(key, list(keys))}; the keys of a class "
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
                f"unknown weekday {values['weekday']!r}{_did_you_mean(values['weekday'], WEEKDAYS)}; "
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
        hint = _did_you_mean(target, list(targets))
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


def _across(classes: list[TimetableClass], problems: list[Problem]) -> None:
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


def _yes_no(node, problems: list[Problem]) -> bool:
    value = node.value.strip().casefold() if isinstance(node, Scalar) else ""
    if value in _TRUE:
        return True
    if value in _FALSE or (isinstance(node, Scalar) and node.empty):
        return False
    problems.append((node.line, "demo must be true or false"))
    return False


def load(text: str, targets: Collection[str]) -> tuple[Timetable | None, list[Problem]]:
    """The timetable in `text`, or None and every problem found, as (line, message)."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        return None, [
            (1, f"the timetable file is {size // 1024} KiB, over the limit of {MAX_BYTES // 1024} KiB; it "
                "should hold only the weekly classes (a few KiB)")
        ]  # fmt: skip
    try:
        root = parse(text)
    except _Refused as exc:
        return None, [(exc.line, exc.message)]
    if root is None or (isinstance(root, Scalar) and root.empty):
        return None, [
            (1, "the timetable file is empty; add 'classes:' and one entry per class (see docs/writing.md)")
        ]
    if not isinstance(root, Map):
        return None, [(root.line, "the timetable must start with 'classes:' (a set of 'key: value' lines)")]
    problems: list[Problem] = []
    top = {f.key: f for f in FILE_FIELDS}
    given: dict[str, object] = {}
    for key_node, value in root.items:
        key = key_node.value
        if key not in top:
            hint = _did_you_mean(key, list(top))
            if not hint and key in {f.key for f in FIELDS}:
                hint = " (a class's key: indent it under '- id: ...' in 'classes:')"
            problems.append(
                (key_node.line, f"unknown key '{key}'{hint}; the file's keys are: {', '.join(top)}")
            )
        elif key in given:
            problems.append(
                (key_node.line, f"'{key}' is given twice (first on line {given[key].line}); keep one")
            )
        else:
            given[key] = value
    demo = _yes_no(given["demo"], problems) if "demo" in given else False
    raw = given.get("classes")
    if raw is None:
        problems.append((root.line, "the file has no 'classes:' list; add it, with one entry per class"))
        return None, problems
    if isinstance(raw, Scalar) and raw.empty:
        entries = []
    elif not isinstance(raw, Seq):
        problems.append((raw.line, "'classes:' must be a list: each class starts with '- id: ...'"))
        return None, problems
    else:
        entries = raw.items
    classes = [cls for entry in entries if (cls := _class(entry, targets, problems))]
    _across(classes, problems)
    if problems:
        return None, sorted(problems)
    demo_line = given["demo"].line if "demo" in given else None
    return Timetable(tuple(classes), demo, demo_line), []
