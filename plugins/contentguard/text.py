"""Text hygiene of one source file: UTF-8, no control characters, no runaway nesting.

Pure Python (no Pelican import). Each check returns ``(line, message)`` pairs, 1-based lines,
naming the first offending line of the file (an editor shows all of them once you look there).
"""

from __future__ import annotations

import re
import unicodedata

UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SAVE_AS_UTF8 = "save the file as UTF-8 (in Notepad: File > Save as, Encoding: UTF-8)"

#: Control characters (Unicode category Cc) except tab, line feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_QUOTE_PREFIX = re.compile(r"^(?:[ ]{0,3}>)+")
#: Every byte but the C0 controls (except tab, LF, CR) and DEL: what `bytes.translate` deletes.
_NOT_C0 = b"\t\n\r" + bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100))
_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")  # U+0080..U+009F in UTF-8


def _may_have_controls(data: bytes) -> bool:
    """A fast test on the raw bytes (a few ms for megabytes): any control character at all?"""
    return bool(data.translate(None, _NOT_C0)) or (b"\xc2" in data and _C1_UTF8.search(data) is not None)


#: Names of common control characters (the Unicode database gives them none).
_CONTROL_NAMES = {
    0x00: "NULL",
    0x08: "BACKSPACE",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}


def char_name(ch: str) -> str:
    """'U+0000 NULL' — how a person (or a search engine) can look a character up."""
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ord(ch), "")
    return f"U+{ord(ch):04X}{' ' + name if name else ''}"


def decode(data: bytes) -> tuple[str | None, list[tuple[int, str]]]:
    """The text of a UTF-8 file (a leading BOM dropped), or None and the problem's line."""
    if data.startswith(_UTF16_BOMS):
        return None, [(1, f"the file is saved as UTF-16, not UTF-8; {_SAVE_AS_UTF8}")]
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start]
        hint = " (e.g. 'é' saved as Latin-1 or Windows-1252)" if byte >= 0x80 else ""
        return None, [
            (
                line,
                f"this line is not UTF-8 text: byte 0x{byte:02X} at column {column}{hint}; {_SAVE_AS_UTF8}",
            )
        ]


def control_characters(text: str) -> list[tuple[int, str]]:
    """The first line holding a control character (NUL, form feed, ESC, C1 ...), with a count."""
    match = _CONTROL.search(text)
    if match is None:
        return []
    start = text.rfind("\n", 0, match.start()) + 1
    number, column, ch = text.count("\n", 0, start) + 1, match.start() - start + 1, match.group()
    lines, line, last = set(), 1, 0
    for found in _CONTROL.finditer(text):
        line += text.count("\n", last, found.start())
        last = found.start()
        lines.add(line)
    lines = len(lines)
    more = f" (and on {lines - 1} more line(s))" if lines > 1 else ""
    return [
        (
            number,
            f"a control character {char_name(ch)} at column {column}{more}; it is invisible in most "
            "editors and breaks the page: delete it (retype the line if you cannot see it)",
        )
    ]


def nesting(text: str, limit: int) -> list[tuple[int, str]]:
    """The first Markdown line nested deeper than `limit`: blockquotes (`>`) or indented lists."""
    # Each level takes at least one leading ' ', tab or '>': a line with fewer cannot be too deep.
    lead = rf"[ \t>]{{{limit + 1}}}"
    if not (re.match(lead, text) or re.search("\n" + lead, text)):  # (no \A alternative: 20x slower)
        return []  # the common case: no line is anywhere near the limit
    in_fence = False
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence:
            continue
        quote = _QUOTE_PREFIX.match(line)
        depth = quote.group(0).count(">") if quote else 0
        if depth > limit:
            return [(number, _too_deep(f"blockquotes ('>') nested {depth} deep", limit))]
        rest = line[quote.end() :] if quote else line
        indent = len(rest.expandtabs(4)) - len(rest.expandtabs(4).lstrip(" "))
        if rest.strip() and indent // 4 > limit:
            return [(number, _too_deep(f"text indented {indent} spaces ({indent // 4} levels)", limit))]
    return []


def _too_deep(what: str, limit: int) -> str:
    return (
        f"{what}, over the limit of {limit} levels (CONTENT_MAX_NESTING); the Markdown reader cannot "
        "read nesting this deep: flatten the lists or quotes"
    )


def unclosed_comment(text: str) -> list[tuple[int, str]]:
    """An HTML comment (`<!-- note to Sam`) never closed: Markdown shows it, and everything after it
    on its line, as text on the page. Fenced code and `code spans` are skipped. One pass."""
    last_close = text.rfind("-->")
    fence, offset = "", 0
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        start, offset = offset, offset + len(line)
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            marker = stripped[:3]
            fence = "" if fence == marker else (fence or marker)
            continue
        column = line.find("<!--")
        if fence or column < 0 or line.count("`", 0, column) % 2:
            continue  # in fenced code or a code span, or no comment here
        if last_close < start + column:
            return [
                (
                    number,
                    "an HTML comment starts here ('<!--') and is never closed with '-->', so readers "
                    "would see it on the page; close it with '-->' or delete it",
                )
            ]
    return []


def check_text(data: bytes, markdown: bool = False, max_nesting: int = 0) -> list[tuple[int, str]]:
    """Every problem of one text file; nesting and comments are checked for Markdown only."""
    text, problems = decode(data)
    if text is None:
        return problems
    problems = control_characters(text) if _may_have_controls(data) else []
    if markdown and max_nesting:
        problems += nesting(text, max_nesting)
    if markdown and "<!--" in text:
        problems += unclosed_comment(text)
    return problems
