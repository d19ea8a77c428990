"""Care cards and callouts from Python-Markdown's admonition syntax.

    !!! urgent "Ask for an urgent GP appointment or get help from NHS 111 if:"
        - you have ...

Types: ``immediate``, ``urgent``, ``non-urgent`` (the NHS care-card levels) and the callouts
``note`` and ``key-points`` (``card_types`` owns the list). Any other type (``warning``, a typo such
as ``urgnet``) is an error, as is a ``!!`` line Markdown would not read as a box (``card_checks``).

Two steps, so that the markup lives in one place, the Jinja macro in
``theme/templates/components/care_card/care_card.html``:

1. While Markdown is parsed, :class:`CareCardTreeprocessor` replaces each card's ``<div>`` with its
   body between two comment markers that carry the type, the heading text and the heading level::

       <!--clinical:care-card 0 {"type":"urgent","heading":"...","level":2}-->
       body
       <!--/clinical:care-card 0-->

   This is what Pelican stores in its content cache, so a change to the macro shows on the next
   build without re-reading any Markdown.
   The markers go through ``md.htmlStash`` (as raw HTML does), so other tree processors such as
   ``toc`` only ever see ordinary elements.
2. After reading, :func:`fill` swaps each marked span for the macro's output (``render`` callback).
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown import util
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from rawhtml.core import problem_comment

from .card_checks import StructurePreprocessor, example
from .card_types import CARD_TYPES, NO_BOOKING

_START = "clinical:care-card"
_MARKED = re.compile(
    r"<!--clinical:care-card (?P<id>\d+) (?P<attrs>\{[^<>]*?\})-->"
    r"(?P<body>.*?)"
    r"<!--/clinical:care-card (?P=id)-->",
    re.S,
)
_HEADING = re.compile(r"^h([1-6])$")
TITLE_CLASS = "care-card-title"
#: A title with citations at the start of a card's body: plain text and citation placeholders only.
_TITLE = re.compile(
    rf'<p class="{TITLE_CLASS}">((?:[^<>]|<span class="citation" data-cites="[^"<>]*" data-cluster="[0-9]+">'
    r"[^<>]*</span>)*)</p>"
)
_STASHED = util.HTML_PLACEHOLDER_RE


def _comment_json(data: dict) -> str:
    """JSON that is safe inside an HTML comment (no '<', '>', '&' or '--')."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    for char in "<>&-":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


class CareCardTreeprocessor(Treeprocessor):
    """Marks admonitions of the card types (see the module docstring)."""

    def run(self, root: etree.Element) -> None:
        self._count = 0
        self._walk(root, 1)

    def _walk(self, parent: etree.Element, level: int) -> int:
        """Process `parent`'s children in document order; return the last heading level seen."""
        index = 0
        while index < len(parent):
            child = parent[index]
            match = _HEADING.match(child.tag) if isinstance(child.tag, str) else None
            if match:
                level = int(match.group(1))
            card_type = self._card_type(child)
            if card_type:
                card_level = min(level + 1, 6)
                self._walk(child, card_level)
                replacement = self._mark(child, card_type, card_level)
                parent.remove(child)
                for offset, node in enumerate(replacement):
                    parent.insert(index + offset, node)
                index += len(replacement)
                continue
            if len(child):
                self._walk(child, level)
            index += 1
        return level

    @staticmethod
    def _card_type(element: etree.Element) -> str | None:
        if element.tag != "div":
            return None
        classes = (element.get("class") or "").split()
        if "admonition" not in classes:
            return None
        return next((c for c in classes if c in CARD_TYPES), None)

    def _mark(self, div: etree.Element, card_type: str, level: int) -> list[etree.Element]:
        children = list(div)
        heading = ""
        if children and children[0].tag == "p" and "admonition-title" in (children[0].get("class") or ""):
            title = children.pop(0)
            heading = self._plain("".join(title.itertext()))
            cited = self._cited_title(title)
            if cited is not None:
                children.insert(0, cited)
        number = self._count
        self._count += 1
        heading = " ".join(heading.split()) or CARD_TYPES[card_type].heading
        notes = [] if children else self._empty(card_type, heading)
        attrs = _comment_json({"type": card_type, "heading": heading, "level": level})
        start = self._raw(f"<!--{_START} {number} {attrs}-->")
        end = self._raw(f"<!--/{_START} {number}-->")
        (notes[-1] if notes else end).tail = div.tail
        return [start, *children, end, *notes]

    def _empty(self, card_type: str, heading: str) -> list[etree.Element]:
        """A card Markdown gave no body where :func:`structure_problems` cannot see it (e.g. in a
        list item): reported here, at the first `!!! type` line of the source that fits."""
        structure = self.md.preprocessors["clinical_card_structure"]
        if structure.reported:
            return []  # the build fails already, with the line of each box written wrongly
        line = next(
            (n for n, text in enumerate(structure.lines, 1) if text.strip().startswith(f"!!! {card_type}")),
            None,
        )
        message = (
            f"the '!!! {card_type}' box '{heading}' has no text, so it would show a heading and nothing "
            f"else; {example(card_type, self.md.tab_length)}, further than the '!!!' line"
        )
        return [self._raw(problem_comment(line, message, "clinical"))]

    def _cited_title(self, title: etree.Element) -> etree.Element | None:
        """A title holding citations as ``<p class="care-card-title">`` (plain text and the citation
        placeholders), kept at the start of the body so the citations plugin numbers and formats
        them; :func:`fill` moves it into the heading. None for a title without citations."""

        def is_cite(node: etree.Element) -> bool:
            return (
                node.tag == "span"
                and node.get("class") == "citation"
                and node.get("data-cluster") is not None
            )

        if not any(is_cite(node) for node in title.iter()):
            return None
        out = etree.Element("p", {"class": TITLE_CLASS})
        out.text, last = "", None

        def add(text: str | None) -> None:
            if not text:
                return
            if last is None:
                out.text += self._plain(text)
            else:
                last.tail = (last.tail or "") + self._plain(text)

        def walk(node: etree.Element) -> None:
            nonlocal last
            add(node.text)
            for child in node:
                if is_cite(child):
                    copy = etree.SubElement(out, "span", dict(child.attrib))
                    copy.text = child.text
                    last = copy
                else:
                    walk(child)
                add(child.tail)

        walk(title)
        return out

    def _plain(self, text: str) -> str:
        """A title as plain text: raw HTML tags dropped, entities and backslash escapes resolved."""
        stash = self.md.htmlStash.rawHtmlBlocks

        def stashed(match: re.Match) -> str:
            index = int(match.group(1))
            return str(stash[index]) if index < len(stash) else ""

        text = _STASHED.sub(stashed, text)
        if "unescape" in self.md.treeprocessors:
            text = self.md.treeprocessors["unescape"].unescape(text)
        return html.unescape(re.sub(r"<[^>]*>", "", text))

    def _raw(self, html: str) -> etree.Element:
        """A block of raw HTML (a marker comment) that later tree processors see as a plain paragraph."""
        paragraph = etree.Element("p")
        paragraph.text = self.md.htmlStash.store(html)
        return paragraph


class CareCardExtension(Extension):
    """Registers the treeprocessor after inline parsing (so headings are plain text), before prettify."""

    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(CareCardTreeprocessor(md), "clinical_care_cards", 18)
        # After whitespace is normalised (30), before booking markers (28), `meta` (27) and fenced
        # code (25) change the lines, so line numbers are the file's.
        md.preprocessors.register(StructurePreprocessor(md), "clinical_card_structure", 29.5)


def makeExtension(**kwargs):
    return CareCardExtension(**kwargs)


Render = Callable[[str, str, int, str], str]


def fill(html: str, render: Render) -> tuple[str, list[dict]]:
    """Replace each marked card with ``render(type, heading, level, body_html)``.

    Returns the new HTML and the cards found (type, heading, body), outermost first, so the
    caller can check them (for example, that no urgent card holds a booking link).
    """
    cards: list[dict] = []

    def replace(match: re.Match) -> str:
        body = match.group("body").strip("\n")
        card = marker_data(match.group("attrs"))
        if card is None or not body.strip():
            return body  # not a marker this plugin wrote (the Markdown check reports how to write it)
        heading = card["heading"]
        title = _TITLE.match(body)
        if title:  # a title with citations (see CareCardTreeprocessor._cited_title)
            heading, body = Markup(title.group(1)), body[title.end() :].lstrip("\n")
        card["body"] = body
        cards.append(card)
        return render(card["type"], heading, card["level"], card["body"])

    previous = None
    while previous != html:  # nested cards: the outer one first, then those inside it
        previous = html
        html = _MARKED.sub(replace, html)
    return html, cards


def marker_data(text: str) -> dict | None:
    """The type, heading and level a care-card marker carries, or None unless they are exactly what
    :class:`CareCardTreeprocessor` writes: a known type, a one-line heading, a level 2-6."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or set(data) != {"type", "heading", "level"}:
        return None
    card_type, heading, level = data["type"], data["heading"], data["level"]
    if card_type not in CARD_TYPES or not isinstance(heading, str) or not heading.strip():
        return None
    if "\n" in heading:
        return None
    if type(level) is not int or not 2 <= level <= 6:
        return None
    return {"type": card_type, "heading": heading, "level": level}


def booking_problems(found: list[dict], booking_urls) -> list[tuple[str, str]]:
    """(heading, message) for each card of a NO_BOOKING type that holds a booking link."""
    return [
        (
            card["heading"],
            f"a booking link inside the {card['type']} care card '{card['heading']}'; people who need "
            "urgent care must not be sent to book a routine appointment: move the link out of the card",
        )
        for card in found
        if card["type"] in NO_BOOKING and booking_links(card["body"], booking_urls)
    ]


def booking_links(body_html: str, booking_urls) -> list[str]:
    """The links in a card's body that go to a booking page (or are Book Now action links)."""
    found = []
    for match in re.finditer(r"<a\b[^>]*>", body_html):
        tag = match.group(0)
        href = re.search(r'href="([^"]*)"', tag)
        url = href.group(1).replace("&amp;", "&") if href else ""
        if any(url.startswith(b) for b in booking_urls if b) or "action-link" in tag:
            found.append(url)
    return found
