"""An exercise card's text, read and checked (pure Python: no Pelican, no HTML beyond inline links).

:func:`parse` turns the lines of one ``exercise`` block into an :class:`Exercise` and a list of
(line, message) problems. :func:`inline` renders the little Markdown a field may hold (a link, to
the care-card rules for instance), escaping everything else.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field

FIELDS = ("name", "photo", "video", "steps", "sets", "reps", "hold", "frequency", "feel", "stop")
DOSAGE = (("sets", "Sets"), ("reps", "Repetitions"), ("hold", "Hold"), ("frequency", "How often"))
REPEATABLE = ("photo",)
_FIELD_RE = re.compile(r"^(?P<key>[A-Za-z_-]+)\s*:\s*(?P<value>.*)$")
_STEP_RE = re.compile(r"^(?P<number>\d+)[.)]\s+(?P<text>\S.*)$")
_LINK_RE = re.compile(r"\[([^\[\]]+)\]\(([^()\s]+)\)")
_SAFE_URL = re.compile(r"^(?:https://|/|#|\{filename\}|\{static\}|[A-Za-z0-9._-]+(?:/|$|#))", re.I)
TODO_RE = re.compile(r"\bTODO\b")
EXAMPLE = "```exercise\\nname: Calf raise\\nsteps:\\n1. ...\\nstop: ...\\n```"


@dataclass
class Photo:
    src: str  # {static}/... for the images plugin
    alt: str
    line: int


@dataclass
class Exercise:
    name: str = ""
    photos: list[Photo] = field(default_factory=list)
    video: str = ""  # the text of a video marker (the video plugin checks and draws it)
    video_line: int = 0
    steps: list[str] = field(default_factory=list)
    dosage: dict[str, str] = field(default_factory=dict)
    feel: str = ""
    stop: str = ""
    todos: list[tuple[int, str]] = field(default_factory=list)  # (line, field) still marked TODO


def parse(lines: list[str], first_line: int) -> tuple[Exercise, list[tuple[int, str]]]:
    """The exercise in `lines` (the block's text; `first_line` is the line of its opening fence)."""
    card = Exercise()
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    in_steps = False
    for offset, raw in enumerate(lines, 1):
        number = first_line + offset
        text = raw.strip()
        if not text:
            continue
        step = _STEP_RE.match(text)
        if in_steps and step:
            expected = len(card.steps) + 1
            if int(step.group("number")) != expected:
                problems.append(
                    (
                        number,
                        f"step {step.group('number')} should be step {expected}: "
                        "number the steps 1, 2, 3 ...",
                    )
                )
            card.steps.append(step.group("text").strip())
            problems += [(number, m) for m in link_problems(card.steps[-1])]
            if TODO_RE.search(text):
                card.todos.append((number, f"step {expected}"))
            continue
        match = _FIELD_RE.match(text)
        key = match.group("key").lower() if match else ""
        if not match or key not in FIELDS:
            close = difflib.get_close_matches(key or text.split(":")[0].lower(), FIELDS, n=1)
            hint = f" (did you mean '{close[0]}:'?)" if close else ""
            what = (
                f"'{key}:' is not a field of an exercise card{hint}"
                if match
                else f"'{text[:50]}' is not a field"
            )
            follows = not match and offset > 1 and lines[offset - 2].strip()
            problems.append(
                (
                    number,
                    f"{what}; write one field per line as 'name: value' ({', '.join(FIELDS)}), "
                    "the steps as numbered lines after 'steps:'"
                    + ("; if it goes on from the line above, join the two lines" if follows else ""),
                )
            )
            in_steps = in_steps and not match  # a wrapped step: the next numbered lines are still steps
            continue
        value = match.group("value").strip()
        in_steps = key == "steps"
        if key in seen and key not in REPEATABLE:
            problems.append((number, f"'{key}:' is given twice (first on line {seen[key]}); keep one"))
            continue
        seen.setdefault(key, number)
        if TODO_RE.search(value):
            card.todos.append((number, key))
        if key == "steps":
            if value:
                problems.append(
                    (number, "write the steps on the lines after 'steps:', one numbered line each: 1. ...")
                )
            continue
        if not value:
            problems.append((number, f"'{key}:' is empty; write its text, or leave the line out"))
            continue
        if key == "name":
            card.name = value
        elif key == "photo":
            path, alt, note = ([p.strip() for p in value.split("|")] + ["", ""])[:3]
            if note and not TODO_RE.search(note):
                problems.append(
                    (
                        number,
                        f"write a photo as 'photo: {path} | what the photo shows' "
                        "(a third part may only be a TODO note)",
                    )
                )
                continue
            if re.match(r"^\s*[a-z][a-z0-9+.-]*:|^\s*//", path, re.I):
                problems.append(
                    (
                        number,
                        f"the photo '{path[:60]}' must be a picture in content/images/ "
                        "(e.g. images/NAME.jpg), not an address",
                    )
                )
                continue
            if not alt:
                problems.append(
                    (
                        number,
                        f"the photo '{path}' has no alt text: write 'photo: {path} | what the photo shows'",
                    )
                )
                continue
            src = "{static}/" + re.sub(r"^[{|](static|attach|filename)[}|]", "", path).lstrip("/")
            card.photos.append(Photo(src, alt, number))
        elif key == "video":
            card.video, card.video_line = value, number
        elif key in ("feel", "stop"):
            setattr(card, key, value)
            problems += [(number, m) for m in link_problems(value)]
        else:
            card.dosage[key] = value
    start = first_line
    if not card.name:
        problems.append((start, "the exercise card has no name: add a line 'name: The exercise's name'"))
    if not card.steps:
        problems.append(
            (start, "the exercise card has no steps: add 'steps:' and then numbered lines 1. ... 2. ...")
        )
    if not card.stop:
        problems.append(
            (
                start,
                "the exercise card does not say when to stop: add 'stop: ...' (with a link to the page's "
                "care card, e.g. [when to get help](#...))",
            )
        )
    return card, problems


def link_problems(text: str) -> list[str]:
    return [
        f"the link '{url[:60]}' is not allowed in an exercise card: use https://, a path on this site, "
        "{filename}/... or a #fragment"
        for _, url in _LINK_RE.findall(text)
        if not _SAFE_URL.match(url) or url.lower().startswith(("javascript", "data", "vbscript"))
    ]


def inline(text: str) -> str:
    """`text` escaped, with [links](url) made links (only URLs :func:`link_problems` accepts)."""
    out, at = [], 0
    for match in _LINK_RE.finditer(text):
        out.append(html.escape(text[at : match.start()]))
        label, url = match.groups()
        if link_problems(match.group(0)):
            out.append(html.escape(match.group(0)))
        else:
            out.append(f'<a href="{html.escape(url)}">{html.escape(label)}</a>')
        at = match.end()
    out.append(html.escape(text[at:]))
    return "".join(out)


def howto(card: Exercise) -> dict:
    """schema.org HowTo for one exercise (the JSON-LD a search engine reads)."""
    data = {
        "@context": "https://schema.org",
        "@type": "HowTo",
        "name": card.name,
        "step": [
            {"@type": "HowToStep", "position": i, "text": _LINK_RE.sub(r"\1", s)}  # a link's words only
            for i, s in enumerate(card.steps, 1)
        ],
    }
    if card.dosage.get("frequency"):
        data["description"] = f"How often: {card.dosage['frequency']}"
    return data
