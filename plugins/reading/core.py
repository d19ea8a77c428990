"""Reading aids for one article or page, from its finished HTML: reading time, contents, summary.

Pure Python. Every function takes the HTML and settings values and returns data for templates.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .text import Heading, Reading, plain, read

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True)
class ReadingTime:
    minutes: int
    words: int

    @property
    def text(self) -> str:
        return f"{self.minutes} min read"


@dataclass(frozen=True)
class TocEntry:
    id: str
    text: str
    children: tuple[TocEntry, ...] = ()


def reading_time(reading: Reading, words_per_minute: int) -> ReadingTime:
    """Whole minutes, at least one."""
    return ReadingTime(max(1, math.ceil(reading.words / words_per_minute)), reading.words)


def table_of_contents(headings: list[Heading], min_headings: int) -> list[TocEntry]:
    """h2 entries with their h3 children, or [] when the text has fewer than `min_headings` h2."""
    if sum(1 for h in headings if h.level == 2) < min_headings:
        return []
    entries: list[tuple[Heading, list[Heading]]] = []
    for heading in headings:
        if heading.level == 2 or not entries:
            entries.append((heading, []))
        else:
            entries[-1][1].append(heading)
    return [
        TocEntry(h.id, h.text, tuple(TocEntry(c.id, c.text) for c in children)) for h, children in entries
    ]


def derived_summary(reading: Reading, max_words: int | None) -> str:
    """A summary from the opening paragraphs: whole sentences up to `max_words` words, else cut with "…".

    Plain text, HTML-escaped: no tags, no parenthetical citations, no booking blocks, no asides.
    """
    words: list[str] = []
    limit = max_words or 40
    for paragraph in reading.paragraphs:
        for sentence in _SENTENCE_END.split(paragraph):
            sentence_words = sentence.split()
            if len(words) + len(sentence_words) > limit:
                if not words:
                    words = sentence_words[:limit]
                    return plain(" ".join(words).rstrip(",;:") + "…")
                return plain(" ".join(words))
            words += sentence_words
    return plain(" ".join(words))


def read_html(fragment: str) -> Reading:
    """The words, headings and opening paragraphs of an HTML fragment (see text.read)."""
    return read(fragment)


def analyse(reading: Reading, words_per_minute: int, min_headings: int) -> tuple[ReadingTime, list[TocEntry]]:
    """(ReadingTime, contents) of a page's prose (see text.read)."""
    return reading_time(reading, words_per_minute), table_of_contents(reading.headings, min_headings)
