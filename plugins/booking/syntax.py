"""The inline Book Now marker as a Python-Markdown extension (syntax only: no settings, no HTML).

A writer puts the marker on a line of its own::

    [[book]]                the default target (BOOKING_DEFAULT)
    [[book: classes]]       a named target from BOOKING_TARGETS

Double square brackets around the word ``book`` do not occur in ordinary prose or in Markdown
links, and a line of its own cannot split a sentence. Inside a note box (an admonition) the marker
is indented like the box's text. Markers in fenced or indented code are left as they are.

Each marker becomes a placeholder, which Pelican's content cache keeps with the HTML::

    <!-- booking:inline {"line": 57, "target": null, "boxes": [], "malformed": false} -->

``line`` is the line in the source file, ``target`` the name written (None: the default),
``boxes`` the admonitions around the marker as ``[["urgent"], 12]`` (classes, opening line),
innermost last. The plugin core checks the target and the boxes against the settings and puts the
``book_now`` component in its place (:func:`replace`), after the cache, so a changed setting always
shows. A line that looks like a marker but is not one (``[[book classes]]``, a marker in the middle
of a sentence) becomes a placeholder with ``"malformed": true`` and is reported there too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

#: The marker: a line of its own, `[[book]]` or `[[book: name]]` (any case, spaces allowed).
MARKER_RE = re.compile(r"^\[\[\s*book\s*(?::\s*(?P<target>[A-Za-z0-9_-]+)\s*)?\]\]\s*$", re.I)
#: Something a writer meant as a marker: `[[book` anywhere in a line.
LOOKS_LIKE_RE = re.compile(r"\[\[\s*book\b", re.I)
_CODE_SPAN_RE = re.compile(r"(`+).+?\1")
_FENCE_RE = re.compile(r"^(`{3,}|~{3,})")
# Python-Markdown's admonition opener: `!!! type [more classes] ["Title"]`.
_ADMONITION_RE = re.compile(r'^!!! ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *$')
PLACEHOLDER_RE = re.compile(r"<!-- booking:inline (\{[^<>]*?\}) -->")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_NAME_RE = re.compile(r"^[a-z0-9_-]+$")


@dataclass(frozen=True)
class Marker:
    line: int
    target: str | None  # None: the default target
    boxes: tuple[tuple[tuple[str, ...], int], ...] = ()  # enclosing admonitions: (classes, opening line)
    malformed: bool = False

    def placeholder(self) -> str:
        data = {"line": self.line, "target": self.target, "boxes": self.boxes, "malformed": self.malformed}
        return f"<!-- booking:inline {json.dumps(data, separators=(', ', ': '))} -->"

    @classmethod
    def from_json(cls, text: str) -> Marker:
        """The marker a placeholder carries; ValueError unless it has exactly the shape that
        :meth:`placeholder` writes (a placeholder typed into an article is reported by the rawhtml
        plugin, and must not reach a template even without it)."""
        data = json.loads(text)
        if not isinstance(data, dict) or set(data) != {"line", "target", "boxes", "malformed"}:
            raise ValueError(f"not a Book Now placeholder: {text[:60]}")
        line, target, boxes, malformed = data["line"], data["target"], data["boxes"], data["malformed"]
        if type(line) is not int or line < 1 or type(malformed) is not bool:
            raise ValueError(f"not a Book Now placeholder: {text[:60]}")
        if target is not None and not (isinstance(target, str) and _NAME_RE.match(target)):
            raise ValueError(f"not a Book Now placeholder: {text[:60]}")
        if not isinstance(boxes, list) or not all(_is_box(box) for box in boxes):
            raise ValueError(f"not a Book Now placeholder: {text[:60]}")
        return cls(line, target, tuple((tuple(classes), opened) for classes, opened in boxes), malformed)


def _is_box(box) -> bool:
    """`[["urgent"], 12]`: an admonition's classes and the line that opened it."""
    return (
        isinstance(box, list)
        and len(box) == 2
        and isinstance(box[0], list)
        and all(isinstance(c, str) for c in box[0])
        and type(box[1]) is int
    )


def _parse(text: str) -> Marker | None:
    try:
        return Marker.from_json(text)
    except ValueError:
        return None


def scan(lines: list[str], tab_length: int = 4) -> tuple[list[str], list[tuple[int, Marker]]]:
    """Find the markers in Markdown source lines: (lines, [(index, marker)]), line numbers 1-based.

    Tracks top-level fenced code (skipped) and admonitions by indentation, as Python-Markdown
    nests them: the text of a box is indented one tab stop further than its `!!!` line.
    """
    found: list[tuple[int, Marker]] = []
    fence: str | None = None
    boxes: list[tuple[int, tuple[str, ...], int]] = []  # (indent of the !!! line, classes, line)
    for index, line in enumerate(lines):
        number = index + 1
        if fence is not None:
            if line.rstrip() == fence:
                fence = None
            continue
        if not line.strip():
            continue  # a blank line neither opens nor closes a box
        indent = len(line) - len(line.lstrip(" "))
        while boxes and indent < boxes[-1][0] + tab_length:
            boxes.pop()
        base = boxes[-1][0] + tab_length if boxes else 0
        if indent > base + tab_length - 1:
            continue  # indented code (or a list's continuation): not a place for a marker
        text = line.strip()
        if indent == 0:
            fenced = _FENCE_RE.match(text)
            if fenced:
                fence = fenced.group(1)
                continue
        opener = _ADMONITION_RE.match(text) if indent == base else None
        if opener:
            boxes.append((indent, tuple(opener.group(1).lower().split()), number))
            continue
        enclosing = tuple((classes, opened) for _, classes, opened in boxes)
        marker = MARKER_RE.match(text)
        if marker:
            target = marker.group("target")
            found.append((index, Marker(number, target.lower() if target else None, enclosing)))
        elif LOOKS_LIKE_RE.search(_CODE_SPAN_RE.sub("", text)):
            found.append((index, Marker(number, None, enclosing, malformed=True)))
    return lines, found


class BookingPreprocessor(Preprocessor):
    """Replaces each marker line with a stashed placeholder in a paragraph of its own."""

    def run(self, lines: list[str]) -> list[str]:
        lines, found = scan(lines, self.md.tab_length)
        if not found:
            return lines
        out = list(lines)
        for index, marker in reversed(found):
            line = lines[index]
            block = [
                "",
                line[: len(line) - len(line.lstrip(" "))] + self.md.htmlStash.store(marker.placeholder()),
                "",
            ]
            if marker.malformed:  # keep the writer's text (the build fails on it); the placeholder follows
                out[index + 1 : index + 1] = block
            else:
                out[index : index + 1] = block
        return out


class BookingExtension(Extension):
    """`[[book]]` / `[[book: name]]` on a line of its own → a placeholder the booking plugin fills."""

    def extendMarkdown(self, md) -> None:
        md.registerExtension(self)
        # 28: after whitespace is normalised (30), before `meta` (27) removes the header lines, so
        # the line numbers are the file's; fenced code is not stashed yet (25), so scan() skips it.
        md.preprocessors.register(BookingPreprocessor(md), "booking_marker", 28)


def markers(html: str) -> list[Marker]:
    """The markers' placeholders in converted HTML, in document order (malformed ones left out)."""
    return [marker for m in PLACEHOLDER_RE.finditer(html) if (marker := _parse(m.group(1)))]


def ends_with_marker(html: str) -> bool:
    """True when the last marker's placeholder is the last block of `html`: only white space and
    HTML comments (such as the citations plugin's reference-list placeholder) follow it."""
    found = [m for m in PLACEHOLDER_RE.finditer(html) if _parse(m.group(1))]
    return bool(found) and not _COMMENT_RE.sub("", html[found[-1].end() :]).strip()


def replace(html: str, render: Callable[[Marker], str]) -> str:
    """`html` with each placeholder replaced by render(marker) (one that is not a marker this
    extension wrote is removed)."""

    def one(match: re.Match) -> str:
        marker = _parse(match.group(1))
        return render(marker) if marker else ""

    return PLACEHOLDER_RE.sub(one, html)


def makeExtension(**kwargs) -> BookingExtension:
    return BookingExtension(**kwargs)
