"""Writing checks for care cards: a `!!!` box Python-Markdown would not read as the writer meant.

Pure Python, run as a Markdown preprocessor (:class:`StructurePreprocessor`) before the box is
parsed, so each problem is reported at its own line of the file (see :func:`structure_problems`).
"""

from __future__ import annotations

import difflib
import re

from markdown.preprocessors import Preprocessor

from rawhtml.core import problem_comment

from .card_types import CARD_TYPES, TYPE_LIST

# Python-Markdown's admonition opener: `!!! type [more classes] ["Title"]`.
_OPENER = re.compile(r'^!!! ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *$')
_FENCE = re.compile(r"^(`{3,}|~{3,})")
# What a writer may have meant as a box heading: `!!` or more at the start of a line.
_BANGS = re.compile(r"^(!{2,})( *)(.*)$")
_QUOTES = "\"\u201c\u201d\u201e\u201f'\u2018\u2019\u201a\u201b\u00ab\u00bb\u2039\u203a`"
_CURLY = "\u201c\u201d\u201e\u201f\u2018\u2019\u201a\u201b\u00ab\u00bb\u2039\u203a"


def example(card_type: str, tab: int) -> str:
    first = {"immediate": "- you have chest pain", "urgent": "- you have numbness in both legs"}.get(
        card_type, "- the main point"
    )
    return (
        f'write it as: !!! {card_type} "Heading" then each line of its text indented by {tab} spaces '
        f'("{" " * tab}{first}")'
    )


def _suggest(word: str) -> str | None:
    """The card type `word` most likely means (`Urgent`, `urgnet` -> `urgent`), or None."""
    if word.lower() in CARD_TYPES:
        return word.lower()
    found = difflib.get_close_matches(word.lower(), list(CARD_TYPES), n=1, cutoff=0.6)
    return found[0] if found else None


def _heading_of(rest: str) -> tuple[str, list[str]]:
    """The heading a writer meant in the text after a box's type, and what is wrong with how it is
    quoted: curly or single quotes, no quotes, text after the closing quote."""
    rest = rest.strip()
    if not rest:
        return "", []
    if rest[0] not in _QUOTES:
        return rest.strip(_QUOTES), ["the heading is not in quotes"]
    closing = max(rest.rfind(q) for q in _QUOTES)
    if closing == 0:
        heading, after = rest[1:], ""
    else:
        heading, after = rest[1:closing], rest[closing + 1 :].strip()
    reasons = []
    used = rest[0] + (rest[closing] if closing else "")
    if any(q in _CURLY for q in used):
        reasons.append("the heading is in curly quotes")
    elif any(q in "'`" for q in used):
        reasons.append("the heading is in single quotes")
    elif closing == 0:
        reasons.append("the heading has no closing quote")
    if after:
        reasons.append("there is text after the closing quote")
        joined = after if not after[0].isalnum() else " " + after
        heading = heading.rstrip() + joined
    return heading.strip(), reasons


def _header_problem(text: str, shift: int) -> str:
    """Why a line starting with `!!` (`text`, without its indent) is not a box heading Markdown
    reads, and how to write it; `shift` is how far it is indented past where a heading goes."""
    bangs, spaces, rest = _BANGS.match(text).groups()
    reasons = []
    if len(bangs) != 3:
        reasons.append(f"it starts with {len(bangs)} '!' instead of 3")
    if shift:
        reasons.append(f"it is indented by {shift} space{'s' * (shift > 1)}")
    if len(spaces) > 1:
        reasons.append("there is more than one space after '!!!'")
    word = re.match(r"[\w\-]+", rest)
    card_type = _suggest(word.group(0)) if word else None
    if word and card_type != word.group(0):
        reasons.append(f"'{word.group(0)}' is not a type of box")
    elif not word:
        reasons.append("the type is missing")
    heading, quoting = _heading_of(rest[word.end() :] if card_type else rest)
    reasons += quoting
    fix = f'!!! {card_type or "type"} "{heading or "Heading"}"'
    return (
        f"'{text.strip()}' is not a box heading Markdown reads ({'; '.join(reasons) or 'see below'}), "
        "so it would show as plain text, with no card around the lines under it; write it as: "
        + fix
        + ("" if card_type else f" (the types are {TYPE_LIST})")
    )


def _opener_problem(classes: list[str], title: str | None) -> str | None:
    """What is wrong with a box heading Markdown reads (`!!! type [words] ["Title"]`), or None."""
    written = classes[0]
    if written not in CARD_TYPES:
        card_type = _suggest(written)
        heading = " ".join([*classes[1:], *([title] if title else [])]) or "Heading"
        mean = f" (did you mean '{card_type}'?)" if card_type else ""
        return (
            f"'{written}' is not a type of box{mean}, so it would show as a plain box without a care "
            f"card's colour or the label a screen reader reads; the types are {TYPE_LIST}; "
            f'write it as: !!! {card_type or "type"} "{heading}"'
        )
    if len(classes) > 1:
        words = " ".join(classes[1:])
        heading = f"{words} {title}" if title else words
        shown = "" if title else f", and the card would be headed just '{written.capitalize()}'"
        return (
            f"the words after '!!! {written}' are not in quotes, so Markdown takes them for style names"
            f"{shown}; put the heading in straight double quotes: "
            f'!!! {written} "{heading}"'
        )
    return None


def structure_problems(lines: list[str], tab_length: int = 4) -> list[tuple[int, str]]:
    """Boxes (`!!! type`) whose text Python-Markdown would not take as their body: (line, message).

    `lines` are the file's lines as Python-Markdown normalised them (tabs expanded). The text of a
    box is every line after its `!!!` line indented one tab stop (4 spaces) further. A line indented
    by less (1-3 spaces), or not indented right after the text without a blank line, is put *after*
    the box, so a card would show its heading with the symptoms outside it; a box without text
    would show an empty card; a box whose first line of text is indented by 8 spaces or more would
    show it as code. Each of these is reported at the box's `!!!` line.

    A line starting with `!!` (after at most 3 spaces) that is not a box heading as Markdown's
    admonition extension reads it (curly or single quotes, `!!`, text after the quote) would be
    plain text, and a heading of an unknown type (`urgnet`) or with unquoted words a plain or
    wrongly headed box: each is reported at its own line.
    """
    problems: list[tuple[int, str]] = []
    boxes: list[dict] = []  # open boxes, innermost last: indent, line, type, has_text
    fence: str | None = None
    blank_before = False
    previous_in_box = False  # the last non-blank line was text of the innermost box

    def close(box: dict) -> None:
        if not box["has_text"]:
            problems.append(
                (
                    box["line"],
                    f"the '!!! {box['type']}' box has no text, so it would show a heading and "
                    f"nothing else; {example(box['type'], tab_length)}",
                )
            )

    for index, line in enumerate(lines):
        number = index + 1
        if fence is not None:
            if line.strip() == fence:
                fence = None
            continue
        if not line.strip():
            blank_before = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        while boxes and indent < boxes[-1]["indent"] + tab_length:
            box = boxes[-1]
            short = indent - box["indent"]
            if short > 0:
                problems.append(
                    (
                        box["line"],
                        f"line {number} is indented by {short} space{'s' * (short > 1)}, so "
                        f"Markdown puts it after the '!!! {box['type']}' box, not in it; "
                        f"{example(box['type'], tab_length)}",
                    )
                )
                box["has_text"] = True  # one message for this box is enough
            elif not blank_before and previous_in_box and boxes[-1] is box:
                problems.append(
                    (
                        box["line"],
                        f"line {number} is not indented and follows the '!!! {box['type']}' box's "
                        "text without a blank line, so Markdown puts it after the box; indent it by "
                        f"{tab_length} spaces to keep it in the box, or leave a blank line before it",
                    )
                )
            close(box)
            boxes.pop()
            previous_in_box = False
        base = boxes[-1]["indent"] + tab_length if boxes else 0
        text = line.strip()
        if indent == 0 and _FENCE.match(text):
            fence = _FENCE.match(text).group(1)
            continue
        if boxes:
            box = boxes[-1]
            deep = indent - box["indent"]
            if not box["has_text"] and deep >= 2 * tab_length:
                problems.append(
                    (
                        box["line"],
                        f"line {number} is indented by {deep} spaces, so Markdown shows the "
                        f"'!!! {box['type']}' box's text as code (grey fixed-width text, not a list); "
                        f"indent the first line of the box's text by exactly {tab_length} spaces "
                        f'("{" " * tab_length}{text}")',
                    )
                )
            box["has_text"] = True
        opener = _OPENER.match(text) if indent == base else None
        if opener:
            classes = opener.group(1).split()
            problem = _opener_problem(classes, opener.group(2))
            if problem:
                problems.append((number, problem))
            boxes.append({"indent": indent, "line": number, "type": classes[0], "has_text": False})
        elif base <= indent < base + tab_length and _BANGS.match(text):
            problems.append((number, _header_problem(text, indent - base)))
        previous_in_box = bool(boxes) and not opener
        blank_before = False
    for box in reversed(boxes):
        close(box)
    return problems


class StructurePreprocessor(Preprocessor):
    """Reports boxes that are not written as Markdown reads them (see :func:`structure_problems`)."""

    def __init__(self, md) -> None:
        super().__init__(md)
        self.lines: list[str] = []
        self.reported = False

    def run(self, lines: list[str]) -> list[str]:
        problems = structure_problems(lines, self.md.tab_length)
        self.lines, self.reported = list(lines), bool(problems)
        if not problems:
            return lines
        notes = "".join(problem_comment(line, message, "clinical") for line, message in problems)
        return [*lines, "", self.md.htmlStash.store(notes), ""]
