"""Exercise cards as a Python-Markdown extension (syntax only: no settings, no HTML).

A physio writes one exercise as a fenced block named ``exercise``::

    ```exercise
    name: Run-walk intervals
    photo: images/run-walk-walk.png | A person walking briskly
    steps:
    1. Walk for 2 minutes.
    2. Run for 15 seconds.
    frequency: TODO: how often (the clinic fills this in)
    stop: Stop and get advice if ... (see [when to get help](/is-running-right-for-you/#red-flags))
    ```

The block becomes a placeholder carrying its first line, its lines as written and the heading level
it sits at (one below the last heading before it), which Pelican's content cache keeps and the
plugin checks and renders after the cache (:mod:`exercise.core`)::

    <!-- exercise:card {"line": 12, "level": 3, "lines": ["name: ...", ...]} -->
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

OPEN_RE = re.compile(r"^(`{3,}|~{3,})\s*\{?\s*\.?exercise\s*\}?\s*$", re.I)
_FENCE_RE = re.compile(r"^(`{3,}|~{3,})")
_HEADING_RE = re.compile(r"^(#{1,6})\s")
PLACEHOLDER_RE = re.compile(r"<!-- exercise:card (\{[^<>]*?\}) -->")


@dataclass(frozen=True)
class Block:
    line: int  # the line of the opening fence
    level: int  # the card's heading level (2-6)
    lines: tuple[str, ...]
    closed: bool = True

    def placeholder(self) -> str:
        data = {"line": self.line, "level": self.level, "lines": list(self.lines), "closed": self.closed}
        text = json.dumps(data, ensure_ascii=True)
        for char in "<>&-":
            text = text.replace(char, f"\\u{ord(char):04x}")
        return f"<!-- exercise:card {text} -->"

    @classmethod
    def from_json(cls, text: str) -> Block:
        data = json.loads(text)
        if not isinstance(data, dict) or set(data) != {"line", "level", "lines", "closed"}:
            raise ValueError("not an exercise placeholder")
        line, level, lines, closed = data["line"], data["level"], data["lines"], data["closed"]
        if type(line) is not int or line < 1 or type(level) is not int or not 2 <= level <= 6:
            raise ValueError("not an exercise placeholder")
        if (
            not isinstance(lines, list)
            or not all(isinstance(x, str) for x in lines)
            or type(closed) is not bool
        ):
            raise ValueError("not an exercise placeholder")
        return cls(line, level, tuple(lines), closed)


def scan(lines: list[str]) -> list[tuple[int, int, Block]]:
    """The exercise blocks in Markdown source lines: [(first index, last index, block)]."""
    found = []
    fence = None
    last_heading = 1  # the page title is the h1
    index = 0
    while index < len(lines):
        text = lines[index].rstrip()
        opening = text.lstrip(" ")
        # in a note or a list item (indented up to 7 spaces, as video markers), else code
        if fence is None and len(text) - len(opening) < 8 and OPEN_RE.match(opening):
            marker = OPEN_RE.match(opening).group(1)
            end = index + 1
            while end < len(lines) and lines[end].strip() != marker:
                end += 1
            closed = end < len(lines)
            body = tuple(lines[index + 1 : end])
            found.append(
                (index, min(end, len(lines) - 1), Block(index + 1, min(last_heading + 1, 6), body, closed))
            )
            index = end + 1
            continue
        if fence is not None:
            if text.strip() == fence:
                fence = None
        elif fenced := _FENCE_RE.match(text):
            fence = fenced.group(1)
        elif heading := _HEADING_RE.match(text):
            last_heading = len(heading.group(1))
        index += 1
    return found


class ExercisePreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        found = scan(lines)
        out = list(lines)
        for first, last, block in reversed(found):
            indent = lines[first][: len(lines[first]) - len(lines[first].lstrip(" "))]
            out[first : last + 1] = ["", indent + self.md.htmlStash.store(block.placeholder()), ""]
        return out


class ExerciseExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.registerExtension(self)
        # 29: before [[book]]/[[video]] (28) and fenced code (25); line numbers are still the file's
        md.preprocessors.register(ExercisePreprocessor(md), "exercise_card", 29)


def replace(html: str, render: Callable[[Block], str]) -> str:
    def one(match: re.Match) -> str:
        try:
            block = Block.from_json(match.group(1))
        except ValueError:
            return ""
        return render(block)

    return PLACEHOLDER_RE.sub(one, html)
