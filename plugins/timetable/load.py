"""Read the timetable file safely and check every class, each problem at its line.

Pure Python, in two steps: `yamltree.parse` reads the YAML into a tree that keeps each value's line
(nothing is constructed by PyYAML: no tags, no aliases, no guessed types, bounded nesting), and
`checks` holds the rules of a class's fields and between classes. This module bounds the file's size,
reads the file's top-level keys and puts the two together.

    >>> timetable, problems = load(text, targets={"classes"})
    >>> problems  # [(line, "what is wrong; what to do"), ...]
"""

from __future__ import annotations

from collections.abc import Collection

from .checks import (  # noqa: F401  (the loader's rules, named here as before the split)
    DURATION,
    LIMITS,
    MAX_TERM_DAYS,
    YEARS,
    Problem,
    check_across,
    check_class,
    did_you_mean,
    slugify,
    yes_no,
)
from .model import FIELDS, FILE_FIELDS, Timetable
from .yamltree import MAX_DEPTH, Map, Refused, Scalar, Seq, parse  # noqa: F401

#: The largest timetable file read (a few hundred classes fit in a tenth of this).
MAX_BYTES = 256 * 1024


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
    except Refused as exc:
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
            hint = did_you_mean(key, list(top))
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
    demo = yes_no(given["demo"], problems) if "demo" in given else False
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
    classes = [cls for entry in entries if (cls := check_class(entry, targets, problems))]
    check_across(classes, problems)
    if problems:
        return None, sorted(problems)
    demo_line = given["demo"].line if "demo" in given else None
    return Timetable(tuple(classes), demo, demo_line), []
