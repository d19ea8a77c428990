"""Read the finished HTML of an article as a reader would: its words, its headings, its first paragraphs.

Pure Python (the standard library's HTML parser). What is not the article's own prose is left out:
the reference list, citation previews and their links, Book Now blocks, scripts, and anything the
site adds around the text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Classes whose whole element is not prose (a reader does not read them as part of the text).
SKIP_CLASSES = frozenset(
    {"references", "citation-preview", "citation-links", "citation-backlinks", "book-now", "toc"}
)
SKIP_TAGS = frozenset({"script", "style", "template", "svg"})
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
#: Block containers whose paragraphs are asides, not the article's opening (for summaries).
ASIDE_CLASSES = frozenset({"admonition", "care-card"})
_WORD = re.compile(r"\w+(?:[’'\-.]\w+)*")


@dataclass
class Heading:
    level: int
    id: str
    text: str


@dataclass
class Reading:
    words: int = 0
    headings: list[Heading] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)  # plain text of top-level <p>, in order


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool, bool]] = []  # (tag, skipped, aside, parenthetical cite)
        self.text: list[str] = []
        self.result = Reading()
        self._heading: tuple[int, str, list[str]] | None = None
        self._para: list[str] | None = None
        self._cite_start: int | None = None

    @property
    def skipping(self) -> bool:
        return any(s for _, s, _, _ in self.stack)

    @property
    def in_aside(self) -> bool:
        return any(a for _, _, a, _ in self.stack)

    @property
    def in_parenthetical(self) -> bool:
        return any(c for _, _, _, c in self.stack)

    def handle_starttag(self, tag, attrs) -> None:
        if tag in VOID:
            return
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        skipped = tag in SKIP_TAGS or bool(classes & SKIP_CLASSES)
        aside = bool(classes & ASIDE_CLASSES)
        cite = "citation" in classes
        self.stack.append((tag, skipped, aside, cite))
        if cite:
            self._cite_start = len(self._para) if self._para is not None else None
        if tag in ("h2", "h3") and attributes.get("id"):  # the reference list's heading too
            self._heading = (int(tag[1]), attributes["id"], [])
        elif self.skipping:
            return
        elif tag == "p" and not self.in_aside and len(self.stack) == 1:
            self._para = []

    def handle_endtag(self, tag) -> None:
        if tag in VOID or not any(t == tag for t, *_ in self.stack):
            return
        while self.stack:
            open_tag, _, _, cite = self.stack.pop()
            if cite and self._para is not None and self._cite_start is not None:
                cited = "".join(self._para[self._cite_start :]).strip()
                if cited[:1] in "([":  # a parenthetical citation: not part of the sentence
                    del self._para[self._cite_start :]
            if open_tag == tag:
                break
        if self._heading and tag == f"h{self._heading[0]}":
            level, ident, parts = self._heading
            self.result.headings.append(Heading(level, ident, " ".join("".join(parts).split())))
            self._heading = None
        elif tag == "p" and self._para is not None and not self.stack:
            text = " ".join("".join(self._para).split())
            text = re.sub(r"\s+([.,;:!?])", r"\1", text)
            if text:
                self.result.paragraphs.append(text)
            self._para = None

    def handle_data(self, data) -> None:
        if self._heading:
            self._heading[2].append(data)
        if self.skipping:
            return
        self.result.words += len(_WORD.findall(data))
        if self._para is not None:
            self._para.append(data)


def read(fragment: str) -> Reading:
    """The words, headings (h2/h3 with an id) and top-level paragraphs of an HTML fragment."""
    reader = _Reader()
    reader.feed(fragment or "")
    reader.close()
    return reader.result


def plain(text: str) -> str:
    """Plain text as HTML-safe text (for Pelican's summary, which feeds and templates read as HTML)."""
    return html.escape(text, quote=False)
