"""Where a setting is set: the file and line of each assignment in a settings file, and a readable
message for a settings file Python cannot read.

Pure Python (:mod:`ast` and :mod:`tokenize`; no Pelican import). :class:`Source` follows
``from pelicanconf import *`` so that publishconf.py's settings are found where they are written.
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

# --- where a setting is set -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Assignment:
    path: Path
    line: int
    value: ast.AST | None  # the assigned expression, when the whole name is assigned


class Source:
    """Where each setting of a settings file is assigned, following ``from <module> import *``
    (and ``from <module> import NAME``) of modules beside it, as ``publishconf.py`` imports
    ``pelicanconf.py``. The last assignment wins, as when Python runs the file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._where = self._scan(self.path, set())

    def locate(self, name: str, keys: tuple = ()) -> tuple[Path, int] | None:
        """(file, line) of the assignment of `name`, or of `keys` inside its dict literal."""
        found = self._where.get(name)
        if found is None:
            return None
        line = found.line
        node = found.value
        for key in keys:
            if not isinstance(node, ast.Dict):
                break
            match = next(
                (
                    (k, v)
                    for k, v in zip(node.keys, node.values, strict=True)
                    if isinstance(k, ast.Constant) and k.value == key
                ),
                None,
            )
            if match is None:
                break
            line, node = match[0].lineno, match[1]
        return found.path, line

    def _scan(self, path: Path, seen: set[Path]) -> dict[str, _Assignment]:
        where: dict[str, _Assignment] = {}
        path = path.resolve()
        if path in seen:
            return where
        seen.add(path)
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        except (OSError, SyntaxError, ValueError):
            return where
        for stmt in _statements(tree.body):
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    for name, whole in _targets(target):
                        where[name] = _Assignment(path, stmt.lineno, stmt.value if whole else None)
            elif isinstance(stmt, ast.AnnAssign | ast.AugAssign):
                for name, whole in _targets(stmt.target):
                    if isinstance(stmt, ast.AnnAssign) and whole:
                        where[name] = _Assignment(path, stmt.lineno, stmt.value)
                    else:
                        where[name] = _Assignment(path, stmt.lineno, None)
            elif isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
                module = _module_file(stmt.module, path.parent)
                if module is None:
                    continue
                theirs = self._scan(module, seen)
                seen.discard(module.resolve())
                for alias in stmt.names:
                    if alias.name == "*":
                        where.update({n: a for n, a in theirs.items() if not n.startswith("_")})
                    elif alias.name in theirs:
                        where[alias.asname or alias.name] = theirs[alias.name]
        return where


def _module_file(name: str, folder: Path) -> Path | None:
    """The file of a settings module that a settings file imports: beside it, or on the import path
    within the working directory (a test's settings importing the project's)."""
    rel = name.replace(".", "/") + ".py"
    here = Path.cwd().resolve()
    for base in (folder, *(Path(entry or ".").resolve() for entry in sys.path)):
        candidate = base / rel
        if candidate.is_file() and (base == folder or candidate.is_relative_to(here)):
            return candidate
    return None


def _statements(body: list[ast.stmt]):
    """Module-level statements, in order, including those inside if/else and try blocks."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from _statements(stmt.body)
            yield from _statements(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            for block in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse, stmt.finalbody):
                yield from _statements(block)


def _targets(target: ast.AST):
    """(name, whether the whole name is assigned) for each name an assignment target sets or changes."""
    if isinstance(target, ast.Name):
        yield target.id, True
    elif isinstance(target, ast.Tuple | ast.List):
        for item in target.elts:
            for name, _ in _targets(item):
                yield name, False
    elif isinstance(target, ast.Subscript | ast.Attribute):
        base = target
        while isinstance(base, ast.Subscript | ast.Attribute):
            base = base.value
        if isinstance(base, ast.Name):
            yield base.id, False


# --- a settings file Python cannot read -----------------------------------------------------------

_ENDS = {tokenize.STRING, tokenize.NUMBER, tokenize.NAME}
_SKIP = {tokenize.NL, tokenize.COMMENT, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}


def syntax_error(exc: SyntaxError, source: str) -> tuple[int | None, str]:
    """(line, message) for a SyntaxError in a settings file: the line to fix and what to do there.

    A missing comma between two entries of a dict or list is the usual slip. Python reports it at
    the start of the first entry ("Perhaps you forgot a comma?"), or, between two texts on separate
    lines (which Python joins into one), at the line after them; either way, name the line that
    should end with a comma.
    """
    msg = (exc.msg or "invalid syntax").rstrip(".")
    comma = "forgot a comma" in msg
    if comma:
        end = (exc.end_lineno or exc.lineno or 0, (exc.end_offset or exc.offset or 1) - 1)
    else:
        end = (exc.lineno or 0, (exc.offset or 1) - 1)
    before = [t for t in _tokens(source) if t.start < end]
    if comma or msg == "invalid syntax":
        for first, second in zip(reversed(before[:-1]), reversed(before), strict=False):
            if second.start[0] < (exc.lineno or 0) - 1:
                break
            two_texts = first.type == second.type == tokenize.STRING and first.end[0] < second.start[0]
            if two_texts or (comma and _ends_entry(first) and _starts_entry(second)):
                place = "at the end of this line, " if first.end[0] < second.start[0] else ""
                return first.end[0], (
                    f"invalid syntax (a missing comma between two entries?): add a comma {place}"
                    f"after {first.string!r}"
                )
    hints = {
        "was never closed": "every {, [ and ( needs its closing }, ] or )",
        "unterminated string": "a text needs its closing quote on the same line",
        "does not match": "the brackets are nested the wrong way round",
        "unmatched": "a closing bracket has no opening one",
        "indent": "settings start at the beginning of the line; inside brackets, indent as you like",
        "invalid syntax": "look for a missing comma, bracket or quote on this line or the one before",
    }
    hint = next((h for key, h in hints.items() if key in msg), "")
    return exc.lineno, f"{msg}; {hint}" if hint else msg


def _tokens(source: str) -> list[tokenize.TokenInfo]:
    """The significant tokens of `source`, as far as Python can split it."""
    found = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type not in _SKIP:
                found.append(token)
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def _ends_entry(token: tokenize.TokenInfo) -> bool:
    return token.type in _ENDS or token.string in (")", "]", "}")


def _starts_entry(token: tokenize.TokenInfo) -> bool:
    return token.type in (tokenize.STRING, tokenize.NUMBER) or token.string in ("{", "[", "(")
