"""Read YAML safely into a small tree that keeps each value's line.

Pure Python. The YAML is read as a stream of parser events into a tree of scalars, lists and mappings
that keeps each value's line; nothing is constructed by PyYAML, so no tag can run code, no alias can
expand (anchors and aliases are refused), values are never guessed into other types (``18:30`` stays
text, ``no`` stays text), a repeated key is kept for the checks to report rather than silently
dropped, and the nesting is bounded before anything is built.

    >>> root = parse(text)  # Scalar, Seq or Map; raises Refused(line, message)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

#: The deepest nesting the file needs is 3 (file → classes → class → no_class); a little room.
MAX_DEPTH = 6

_NESTED = (
    f"nested more than {MAX_DEPTH} levels deep; the timetable is a list of classes, each a set of "
    "'key: value' lines (see docs/writing.md)"
)


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


class Refused(Exception):
    """The file cannot be read as a timetable: `line` and a message saying what to do."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def _line(event) -> int:
    return event.start_mark.line + 1 if event.start_mark else 1


def parse(text: str):
    """The document's tree (Scalar/Seq/Map), or raise Refused naming the line."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    stack: list = []
    root = None
    documents = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise Refused(
                    _line(event),
                    "YAML anchors (&name) and aliases (*name) are not used in the timetable; write each "
                    "class out in full (copy the lines of a class to start a new one)",
                )
            if isinstance(event, yaml.NodeEvent) and getattr(event, "tag", None) not in (None, "!"):
                raise Refused(
                    _line(event),
                    f"the YAML tag {event.tag!r} is not used in the timetable; remove it and write the "
                    "value as plain text",
                )
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise Refused(
                        _line(event),
                        "a second YAML document ('---'); the timetable is one document: delete it",
                    )
                continue
            if isinstance(event, yaml.ScalarEvent):
                node = Scalar(event.value, _line(event), event.style is None)
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise Refused(_line(event), _NESTED)
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
            raise Refused(line, _NESTED) from None
        raise Refused(
            line,
            f"this is not valid YAML ({what}); check the indentation (two spaces per level, no tabs) and "
            "put a text with ':' or '#' in quotes",
        ) from None
    except yaml.YAMLError as exc:
        raise Refused(1, f"this is not valid YAML ({exc}); save the file as UTF-8 text") from None
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
        raise Refused(
            node.line, "a list or mapping used as a key; write 'key: value' with a plain word as key"
        )
    parent.items.append((node, _PENDING_KEY))
