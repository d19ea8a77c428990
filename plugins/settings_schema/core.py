"""Settings declared once, checked once, reported with the file and line that set them.

Pure Python (no Pelican import). A plugin declares each of its settings in ``<plugin>/settings.py``::

    SETTINGS = (
        Setting("RELATED_MAX_ARTICLES", 3, "related articles under an article; 0: none", whole_number(0)),
    )

and the build runner checks every declared setting before Pelican starts (``settings_schema.read``).
This module has the parts: the :class:`Setting` declaration, the checks and "did you mean"
(``source`` finds the line where a setting is assigned). A check returns the rest of a sentence
that starts with the setting as written, e.g. ``CITATIONS_STYLE = 'harvad'`` + `` is not a citation
style ...``; None when the value is good.
"""

from __future__ import annotations

import ast
import difflib
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class _Required:
    def __repr__(self) -> str:
        return "required"


#: The default of a setting that has none: a site must set it.
REQUIRED: Any = _Required()

#: (value, the setting, all settings) -> the problem as the end of a sentence, or None.
Check = Callable[[Any, "Setting", Mapping[str, Any]], "str | None"]


@dataclass(frozen=True)
class Setting:
    """One setting of a plugin: its name, default (or REQUIRED), one-line meaning and check."""

    name: str
    default: Any
    meaning: str
    check: Check | None = None

    def problem(self, value: Any, settings: Mapping[str, Any]) -> str | None:
        """The whole message for a bad value, or None."""
        if self.check is None:
            return None
        found = self.check(value, self, settings)
        return f"{self.name} = {shown(value)} {found}" if found else None


@dataclass(frozen=True)
class Retired:
    """A setting that is no longer read: setting it is an error that says what replaced it."""

    name: str
    instead: str


@dataclass(frozen=True)
class Problem:
    """A bad setting: its name, the keys inside its value the problem is about, the message."""

    name: str
    message: str
    keys: tuple = ()


def shown(value: Any, limit: int = 60) -> str:
    """A value as Python would write it, cut short when long."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def literal(value: Any) -> str:
    """A default as the README writes it: Python, with double-quoted strings."""
    if value is REQUIRED:
        return "required"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def did_you_mean(word: Any, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """' (did you mean 'x'?)' for a near miss among `choices`, else ''."""
    word = str(word).casefold()
    best, score = "", cutoff
    for choice in choices:
        # 'harvad' is near 'harvard-cite-them-right' by its first word, not as a whole
        head = re.split(r"[-_ ]", choice, maxsplit=1)[0]
        ratio = max(_ratio(word, choice.casefold()), _ratio(word, head.casefold()))
        if ratio > score:
            best, score = choice, ratio
    return f" (did you mean {best!r}?)" if best else ""


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


# --- checks ---------------------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def whole_number(minimum: int = 0) -> Check:
    """A whole number of at least `minimum` (True/False are not numbers here)."""

    def check(value, setting, settings):
        if not _is_int(value):
            return f"is not a whole number; write one without quotes, e.g. {literal(setting.default)}"
        if value < minimum:
            return f"is too small: it must be {minimum} or more, e.g. {literal(setting.default)}"
        return None

    return check


def number(above: float = 0, at_least: str = "") -> Check:
    """A number greater than `above`, and not below the setting named `at_least` (when that is a number)."""

    def check(value, setting, settings):
        if not isinstance(value, int | float) or isinstance(value, bool):
            return f"is not a number; write one without quotes, e.g. {literal(setting.default)}"
        if value <= above:
            return f"is too small: it must be more than {above}, e.g. {literal(setting.default)}"
        other = settings.get(at_least) if at_least else None
        if isinstance(other, int | float) and not isinstance(other, bool) and value < other:
            return f"is less than {at_least} ({other}); make it {other} or more"
        return None

    return check


def text(empty: bool = False, contains: str = "") -> Check:
    """A string (non-empty unless `empty`), holding `contains` when given."""

    def check(value, setting, settings):
        if not isinstance(value, str):
            return f"is not text; write it in quotes, e.g. {literal(setting.default)}"
        if not empty and not value.strip():
            return f"is empty; e.g. {literal(setting.default)}"
        if contains and contains not in value:
            return f"does not contain {contains}; e.g. {literal(setting.default)}"
        return None

    return check


def folder() -> Check:
    """A path: text or a ``pathlib.Path``, not empty."""

    def check(value, setting, settings):
        if not isinstance(value, str | os.PathLike) or not str(value).strip():
            return f"is not a folder; write its path in quotes, e.g. {literal(setting.default)}"
        return None

    return check


def optional(inner: Check) -> Check:
    """None, or a value `inner` accepts."""

    def check(value, setting, settings):
        return None if value is None else inner(value, setting, settings)

    return check


def list_of_whole_numbers(minimum: int = 0) -> Check:
    def check(value, setting, settings):
        if not isinstance(value, list | tuple) or not all(_is_int(v) and v >= minimum for v in value):
            return (
                f"is not a list of whole numbers ({minimum} or more); write e.g. {literal(setting.default)}"
            )
        return None

    return check


def list_of_text() -> Check:
    def check(value, setting, settings):
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            return "is not a list of texts; write e.g. ['Back pain']"
        return None

    return check


def mapping() -> Check:
    """A dict (what goes inside it is checked by the plugin's own rules)."""

    def check(value, setting, settings):
        return None if isinstance(value, dict) else "is not a dict; write it as {'key': value, ...}"

    return check


def one_of(choices: Sequence[str] | Callable[[Mapping[str, Any]], Sequence[str]], what: str) -> Check:
    """One of `choices` (or of what `choices(settings)` returns), with "did you mean" for a near miss."""

    def check(value, setting, settings):
        names = list(choices(settings) if callable(choices) else choices)
        if isinstance(value, str) and value in names:
            return None
        hint = did_you_mean(value, names) if isinstance(value, str) else ""
        return f"is not {what}{hint}; choose one of: {', '.join(names)}"

    return check


# --- checking a whole set of settings -------------------------------------------------------------


def check(settings: Mapping[str, Any], declared: Iterable[Setting | Retired]) -> list[Problem]:
    """Every problem with the declared settings' values (defaults for those not set)."""
    declared = list(declared)
    defaults = {i.name: i.default for i in declared if isinstance(i, Setting) and i.default is not REQUIRED}
    settings = {**defaults, **settings}  # a check that compares with another setting sees its default
    problems = []
    for item in declared:
        if isinstance(item, Retired):
            if item.name in settings:
                problems.append(Problem(item.name, f"{item.name} is no longer used: {item.instead}"))
            continue
        value = settings.get(item.name, item.default)
        if value is REQUIRED:
            problems.append(Problem(item.name, f"{item.name} is not set; it is required: {item.meaning}"))
            continue
        message = item.problem(value, settings)
        if message:
            problems.append(Problem(item.name, message))
    return problems


def prefix(name: str) -> str:
    return name.split("_", 1)[0] if "_" in name else ""


def unknown(names: Iterable[str], declared: Iterable[str], known: Iterable[str] = ()) -> list[Problem]:
    """Names that look like a plugin's setting (their first word is, or is close to, a plugin's prefix,
    e.g. CITATION_ for CITATIONS_) but that no plugin declares: a misspelt setting is silently ignored."""
    declared = sorted(set(declared))
    known = set(known) | set(declared)
    prefixes = {prefix(n) for n in declared} - {""}
    problems = []
    for name in sorted(set(names) - known):
        head = prefix(name)
        if not head or not any(
            head == p or difflib.SequenceMatcher(None, head, p).ratio() >= 0.9 for p in prefixes
        ):
            continue
        hint = did_you_mean(name, declared, cutoff=0.7).replace("'", "")
        problems.append(
            Problem(name, f"{name} is not a setting of any plugin{hint}; as written it is ignored")
        )
    return problems


_SUBJECT = re.compile(r"^([A-Z][A-Z0-9_]*)((?:\[[^\[\]]*\])*)")


def subject(message: str) -> tuple[str, tuple]:
    """The setting a message is about, and the keys inside it: "X['a']['b'] ..." -> ("X", ("a", "b"))."""
    match = _SUBJECT.match(message)
    if not match:
        return "", ()
    keys = []
    for raw in re.findall(r"\[([^\[\]]*)\]", match.group(2)):
        try:
            keys.append(ast.literal_eval(raw))
        except (ValueError, SyntaxError):
            break
    return match.group(1), tuple(keys)
