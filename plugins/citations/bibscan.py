"""One linear scan of a BibTeX/BibLaTeX text: every entry's key and line, and its crossref/xdata links.

pandoc converts ``.bib`` files; this scan only finds what pandoc does not report well: where each
entry starts (for messages), and the links between entries that pandoc follows when it resolves
inheritance. ``crossref`` and ``xdata`` are followed within one file, by exact key; on a cycle pandoc
never stops (two entries that crossref each other made it grow to 24 GB), and a link to a missing
entry silently drops the inherited fields. :func:`check_links` reports both, before pandoc runs.

Every character is looked at a bounded number of times (an entry without links is skipped whole
once its braces balance; otherwise regular expressions jump between braces and quotes; line numbers
are counted as the scan moves forward), so a 100,000-entry file (17 MB) scans in about two seconds.
The scan is forgiving: on text it cannot read it moves on to the next ``@`` and leaves the exact
complaint to pandoc.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

# Blanks are Unicode blanks (\s), no-break spaces included, as pandoc's reader takes them.
_TYPE_RE = re.compile(r"\s*([A-Za-z][\w-]*)\s*([{(])")
_KEY_RE = re.compile(r"\s*([^,\s{}()\"#=]*)\s*")
_KEY_IN_BRACES_RE = re.compile(r"\s*([^,\s{}\"#=]*)\s*")  # @book{key(2022), ...}: parentheses allowed
_FIELD_RE = re.compile(r"[\s,]*([^\s=,{}()\"#]+)\s*=\s*")
_SPACE_RE = re.compile(r"\s*")
_BARE_RE = re.compile(r"[^\s,#{}()\"=]+")
_BRACE_RE = re.compile(r"[{}]")
_QUOTE_RE = re.compile(r'[{}"]')
_PAREN_RE = re.compile(r"[{})]")
_LINK_FIELD_RE = re.compile(r"[Cc][Rr][Oo][Ss][Ss][Rr][Ee][Ff]|[Xx][Dd][Aa][Tt][Aa]")  # a hint only
_SKIP_TYPES = {"comment", "preamble"}
LINKS = ("crossref", "xdata")


@dataclass
class BibEntry:
    key: str
    type: str
    line: int
    links: list[tuple[str, str, int]] = field(default_factory=list)  # (field, target key, line)


@dataclass
class Scan:
    entries: list[BibEntry] = field(default_factory=list)

    def first_lines(self) -> dict[str, int]:
        """key → line of its first entry."""
        out: dict[str, int] = {}
        for entry in self.entries:
            out.setdefault(entry.key, entry.line)
        return out

    def all_lines(self) -> dict[str, list[int]]:
        """key → the line of each of its entries (a duplicated key has several)."""
        out: dict[str, list[int]] = {}
        for entry in self.entries:
            out.setdefault(entry.key, []).append(entry.line)
        return out


class _Stop(Exception):
    """The text cannot be read further at this point."""


def _balanced(text: str, pos: int, pattern: re.Pattern, closer: str) -> int:
    """Index after the `closer` that ends the group opened just before `pos` (braces nest)."""
    depth = 0
    for match in pattern.finditer(text, pos):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}" and depth > 0:
            depth -= 1
        elif char == closer and depth == 0:
            return match.end()
    raise _Stop("eof")  # never closed: nothing after it can be read either


def _value(text: str, pos: int, strings: dict[str, str]) -> tuple[str | None, int]:
    """One field value (pieces joined by '#') → (its text if known, index after it)."""
    parts: list[str | None] = []
    while True:
        pos = _SPACE_RE.match(text, pos).end()
        char = text[pos : pos + 1]
        if char == "{":
            end = _balanced(text, pos + 1, _BRACE_RE, "}")
            parts.append(text[pos + 1 : end - 1])
        elif char == '"':
            end = _balanced(text, pos + 1, _QUOTE_RE, '"')
            parts.append(text[pos + 1 : end - 1])
        else:
            bare = _BARE_RE.match(text, pos)
            if bare is None:
                raise _Stop
            end = bare.end()
            word = bare.group()
            parts.append(word if word.isdigit() else strings.get(word.lower()))
        pos = _SPACE_RE.match(text, end).end()
        if text[pos : pos + 1] != "#":
            break
        pos += 1
    if any(part is None for part in parts):
        return None, pos
    return "".join(parts), pos  # type: ignore[arg-type]


def scan(text: str) -> Scan:
    """Every entry of a .bib text, in order (``@string``/``@comment``/``@preamble`` are not entries)."""
    counted = [0, 1]  # position, its line: the scan only moves forward, so lines are counted once

    def line(pos: int) -> int:
        if pos >= counted[0]:
            counted[1] += text.count("\n", counted[0], pos)
        else:  # back to an "@" inside an entry that could not be read
            counted[1] -= text.count("\n", pos, counted[0])
        counted[0] = pos
        return counted[1]

    result, strings, pos = Scan(), {}, 0
    while (at := text.find("@", pos)) != -1:
        pos = at + 1
        head = _TYPE_RE.match(text, pos)
        if head is None:
            continue
        kind, closer = head.group(1).lower(), ")" if head.group(2) == "(" else "}"
        pos = head.end()
        try:
            if kind in _SKIP_TYPES:
                pos = _balanced(text, pos, _BRACE_RE if closer == "}" else _PAREN_RE, closer)
                continue
            if kind == "string":
                name = _FIELD_RE.match(text, pos)
                if name is None:
                    raise _Stop
                value, pos = _value(text, name.end(), strings)
                if value is not None and len(value) <= 1000:  # no expansion of macro bombs here
                    strings[name.group(1).lower()] = value
                pos = _SPACE_RE.match(text, pos).end()
                if text[pos : pos + 1] == closer:
                    pos += 1
                continue
            key = (_KEY_IN_BRACES_RE if closer == "}" else _KEY_RE).match(text, pos)
            entry = BibEntry(key.group(1), kind, line(at))
            result.entries.append(entry)
            pos = key.end()
            # Fast path (most entries): up to the next "@" at the start of a line, braces balance
            # and no field links to another entry: nothing more to learn from this entry.
            following = text.find("\n@", pos)
            following = len(text) if following == -1 else following + 1
            if (
                closer == "}"
                and text.count("{", pos, following) + 1 == text.count("}", pos, following)
                and not _LINK_FIELD_RE.search(text, pos, following)
            ):
                pos = following
                continue
            while True:
                pos = _SPACE_RE.match(text, pos).end()
                while text[pos : pos + 1] == ",":
                    pos = _SPACE_RE.match(text, pos + 1).end()
                if text[pos : pos + 1] == closer:
                    pos += 1
                    break
                name = _FIELD_RE.match(text, pos)
                if name is None:
                    raise _Stop
                value, pos = _value(text, name.end(), strings)
                field_name = name.group(1).lower()
                if field_name in LINKS and value is not None:
                    for target in value.split(",") if field_name == "xdata" else [value]:
                        if target.strip():
                            entry.links.append((field_name, target.strip(), line(name.start())))
        except _Stop as stop:
            if stop.args == ("eof",):
                break
            continue  # pos is after the "@": look for the next entry
    return result


def check_links(result: Scan) -> list[tuple[int, str]]:
    """(line, message) for each crossref/xdata link to a missing entry and for the first cycle."""
    entries: dict[str, BibEntry] = {}
    for entry in result.entries:
        entries.setdefault(entry.key, entry)
    problems: list[tuple[int, str]] = []
    by_lower = {key.lower(): key for key in entries}
    for entry in entries.values():
        for name, target, line in entry.links:
            if target not in entries:
                near = [by_lower[target.lower()]] if target.lower() in by_lower else []
                near = near or difflib.get_close_matches(target, list(entries), n=1)
                hint = f" (did you mean '{near[0]}'?)" if near else ""
                problems.append(
                    (
                        line,
                        f"entry '{entry.key}': {name} '{target}' is not an entry in this file{hint}; "
                        f"pandoc would silently drop what '{entry.key}' inherits from it",
                    )
                )
    cycle = _find_cycle(entries)
    if cycle:
        kinds = sorted({name for name, _ in cycle})
        label = "/".join(kinds)
        chain = " → ".join(f"'{key}' (line {entries[key].line})" for _, key in cycle)
        first = min(entries[key].line for _, key in cycle)
        problems.append(
            (
                first,
                f"{label} cycle: {chain} → '{cycle[0][1]}'; pandoc would never finish resolving it: "
                f"remove the {label} field of one of these entries",
            )
        )
    return problems


def _find_cycle(entries: dict[str, BibEntry]) -> list[tuple[str, str]] | None:
    """The first cycle as [(field that leads to the key, key), ...], or None (iterative DFS)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in entries:
        if root in state:
            continue
        path: list[tuple[str, str]] = [("", root)]
        stack = [iter(entries[root].links)]
        state[root] = 1
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                state[path.pop()[1]] = 2
                continue
            name, target, _ = step
            if target not in entries or state.get(target) == 2:
                continue
            if state.get(target) == 1:
                at = next(i for i, (_, key) in enumerate(path) if key == target)
                keys = [key for _, key in path[at:]]
                names = [n for n, _ in path[at + 1 :]] + [name]
                return list(zip(names, keys, strict=True))
            state[target] = 1
            path.append((name, target))
            stack.append(iter(entries[target].links))
    return None
