"""The prose of an HTML page, read once: its blocks of text, words, headings and opening paragraphs.

Pure Python. The one owner of "what a reader reads": reading time, contents and summaries (this
plugin) and the reading age (``clinical.readability``) all count the same words from the same pass.

Left out, with everything inside them: code, scripts and styles, the reference list, citation
previews and links, Book Now blocks, the contents list, visually hidden text and footnotes. A
parenthetical citation ("(Hartvigsen et al., 2018)") is left out of the sentence it sits in; a
narrative one ("Horga et al. (2022) found") is part of the sentence and stays.

One pass of a regular expression over the tags (twice as fast as ``html.parser.HTMLParser``, with
the same results for the site's HTML: a block element ends a block, entities are decoded).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html import unescape

#: Elements left out with everything in them (a reader does not read them as part of the text).
SKIP_TAGS = frozenset({"script", "style", "template", "svg", "pre", "code", "kbd", "samp", "math"})
SKIP_CLASSES = frozenset(
    {
        "references",
        "csl-bib-body",
        "citation-preview",
        "citation-links",
        "citation-backlinks",
        "book-now",
        "toc",
        "visually-hidden",
        "footnote",
    }
)
#: Left out of a heading's text too (the Contents list): a citation there shows its own text only.
HEADING_HIDDEN_CLASSES = frozenset({"citation-preview"})
#: Elements that end a block of text (a sentence ends with them, even without a full stop).
BLOCKS = frozenset(
    {
        "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "blockquote", "figcaption",
        "div", "section", "ul", "ol", "table", "tr", "br", "hr",
    }
)  # fmt: skip
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
#: Block containers whose paragraphs are asides, not the article's opening (for summaries).
ASIDE_CLASSES = frozenset({"admonition", "care-card"})
#: A word: letters or digits, joined by an apostrophe, hyphen or full stop ("don't", "well-known", "e.g").
WORD = re.compile(r"\w+(?:[’'\-.]\w+)*")

#: A tag, comment or declaration; attribute values may hold ">" inside quotes.
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<![^>]*>|<\?[^>]*>"
    r"|<(?P<end>/?)(?P<tag>[a-zA-Z][^\s/>]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)
_ATTR = r"""(?:^|\s){name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""
_CLASS = re.compile(_ATTR.format(name="class"), re.I)
_ID = re.compile(_ATTR.format(name="id"), re.I)
_RAW_TEXT = {"script", "style"}  # their content is text up to the closing tag, never markup
_SPACE_BEFORE_STOP = re.compile(r"\s+([.,;:!?])")


@dataclass
class Heading:
    level: int
    id: str
    text: str


@dataclass
class Reading:
    words: int = 0
    headings: list[Heading] = field(default_factory=list)  # h2/h3 with an id (the reference list's too)
    paragraphs: list[str] = field(default_factory=list)  # top-level <p> outside asides, in order
    blocks: list[str] = field(default_factory=list)  # the prose, one string per block


def _attr(pattern: re.Pattern, attrs: str) -> str | None:
    found = pattern.findall(attrs)
    if not found:
        return None
    return unescape(next((v for v in found[-1] if v), ""))  # the last one wins, as in a dict


class _Pass:
    def __init__(self) -> None:
        self.result = Reading()
        self.skip: list[str] = []  # open elements being left out, innermost last
        self.open: list[tuple[str, bool, int | None]] = []  # (tag, aside, citation start) of the rest
        self.current: list[str] = []
        self.paragraph: list[str] | None = None  # the blocks of the open top-level <p> outside asides
        self.heading: tuple[int, str, str, list[str]] | None = None  # level, id, tag, text
        self.hidden_at: int | None = None  # depth of `skip` where a heading's hidden part began

    def flush(self) -> None:
        text = _SPACE_BEFORE_STOP.sub(r"\1", " ".join(unescape("".join(self.current)).split()))
        self.current.clear()
        if text:
            self.result.blocks.append(text)
            self.result.words += len(WORD.findall(text))
            if self.paragraph is not None:
                self.paragraph.append(text)

    def data(self, text: str) -> None:
        if self.heading and self.hidden_at is None:
            self.heading[3].append(text)
        if not self.skip:
            self.current.append(text)

    def start(self, tag: str, attrs: str) -> None:
        if tag in ("h2", "h3") and (ident := _attr(_ID, attrs)):
            self.heading = (int(tag[1]), ident, tag, [])
        if tag in VOID:
            if tag in BLOCKS and not self.skip:
                self.flush()
            return
        classes = set((_attr(_CLASS, attrs) or "").split())
        if self.skip or tag in SKIP_TAGS or classes & SKIP_CLASSES:
            if self.heading and self.hidden_at is None and classes & HEADING_HIDDEN_CLASSES:
                self.hidden_at = len(self.skip)
            self.skip.append(tag)
            return
        if tag in BLOCKS:
            self.flush()
            self.end_paragraph()
            if tag == "p" and not self.open:
                self.paragraph = []
        aside = bool(classes & ASIDE_CLASSES) or any(a for _, a, _ in self.open)
        self.open.append((tag, aside, len(self.current) if "citation" in classes else None))

    def end(self, tag: str) -> None:
        if self.heading and tag == self.heading[2]:
            level, ident, _, parts = self.heading
            self.result.headings.append(Heading(level, ident, " ".join(unescape("".join(parts)).split())))
            self.heading = None
        if self.skip:
            if tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
                if self.hidden_at is not None and len(self.skip) <= self.hidden_at:
                    self.hidden_at = None
            return
        if not any(t == tag for t, _, _ in self.open):
            if tag in BLOCKS:
                self.flush()
            return
        while self.open:
            open_tag, _, cite = self.open.pop()
            if cite is not None and cite <= len(self.current):
                cited = unescape("".join(self.current[cite:])).strip()
                if cited[:1] in "([":  # a parenthetical citation: not part of the sentence
                    del self.current[cite:]
            if open_tag == tag:
                break
        if tag in BLOCKS:
            self.flush()
            if not self.open:
                self.end_paragraph()

    def end_paragraph(self) -> None:
        if self.paragraph:
            self.result.paragraphs.append(" ".join(self.paragraph))
        self.paragraph = None


def read(fragment: str) -> Reading:
    """The prose of an HTML fragment: blocks, words, headings (h2/h3 with an id), opening paragraphs."""
    source = fragment or ""
    reader = _Pass()
    pos = 0
    while (match := _TOKEN.search(source, pos)) is not None:
        if match.start() > pos:
            reader.data(source[pos : match.start()])
        pos = match.end()
        tag = match.group("tag")
        if tag is None:
            continue  # a comment or declaration
        tag = tag.lower()
        if match.group("end"):
            reader.end(tag)
            continue
        attrs = match.group("attrs")
        reader.start(tag, attrs)
        if attrs.rstrip().endswith("/"):
            reader.end(tag)  # <x/>: a start and an end tag
        elif tag in _RAW_TEXT:
            closing = re.compile(rf"</{tag}\s*>", re.I).search(source, pos)
            reader.data(source[pos : closing.start() if closing else len(source)])
            pos = closing.start() if closing else len(source)
    if pos < len(source):
        reader.data(source[pos:])
    reader.flush()
    reader.end_paragraph()
    return reader.result


def of(content) -> Reading:
    """The prose of a Pelican article or page, read once for its current HTML.

    Kept on the object with the HTML it was read from: the reading plugin and the clinical plugin's
    reading age share one pass, and HTML another plugin changed in between is read again.
    """
    source = getattr(content, "_content", None) or ""
    kept = getattr(content, "_prose", None)
    if kept is not None and kept[0] == source:
        return kept[1]
    result = read(source)
    content._prose = (source, result)
    return result


def plain(text: str) -> str:
    """Plain text as HTML-safe text (for Pelican's summary, which feeds and templates read as HTML)."""
    return html.escape(text, quote=False)
