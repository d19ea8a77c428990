"""The shipped demo values, found in one place: what must be replaced before the site is published.

Not a plugin (nothing to register) and pure Python (no Pelican import). Three callers use it: the
booking plugin refuses a production build (publishconf.py) with one error listing every demo value;
the clinical plugin marks demo people; `invoke publish` refuses before it builds. All three say the
same thing because they read the same list.

    >>> [d.line() for d in find({"SITEURL": "https://www.example.com"})]
    ["SITEURL = 'https://www.example.com' (a reserved example domain)"]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

#: Reserved example domains (RFC 2606): the demo site's address and e-mail are on these.
EXAMPLE_DOMAINS = ("example.com", "example.net", "example.org")
#: Reserved top-level names (RFC 2606 / 6761): never a real booking page either.
RESERVED_TLDS = (".example", ".test", ".invalid", ".localhost")
#: Ofcom's drama range the demo phone number is in (01632 960000-960999): never a real line.
DEMO_PHONE_PREFIX = "01632960"
#: The demo postcode (written in any spacing or case).
DEMO_POSTCODE = "EX11AA"
#: A person's details containing this (e.g. an HCPC number "PH000000 (demo)") mark a demo person.
DEMO_MARK = "(demo)"
#: Text that only the demo values put on a page: `invoke publish` refuses a built site showing any
#: (a prebuilt `--site`, or demo details a writer copied into an article).
PAGE_MARKERS = ("01632 960", "+441632960", "example.com", "example.org", "example.net")
#: The class timetable (plugins/timetable) says `demo: true` at the top while its times are fictional.
_TIMETABLE_DEMO = re.compile(r"^demo:[ \t]*(?:true|yes|on)[ \t]*(?:#.*)?$", re.I | re.M)
#: The demo clinic's name, street and town all contain this word.
_DEMO_WORD = re.compile(r"example", re.I)


@dataclass(frozen=True)
class DemoValue:
    setting: str  # e.g. "CLINIC['postcode']"
    value: str  # the value as set
    why: str  # what makes it a demo value

    def line(self) -> str:
        return f"{self.setting} = {self.value!r} ({self.why})"


def _host(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def is_example_domain(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host in EXAMPLE_DOMAINS or host.endswith(tuple("." + d for d in EXAMPLE_DOMAINS))


def is_demo_url(url: str) -> bool:
    """A booking page on a reserved domain (example.com, *.test ...): a placeholder, never a real page."""
    host = _host(url)
    return is_example_domain(host) or host.endswith(RESERVED_TLDS)


def is_demo_phone(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    return digits.startswith(DEMO_PHONE_PREFIX)


def is_demo_person(entry) -> bool:
    """A PEOPLE entry marked `"demo": True`, or with "(demo)" in any of its details."""
    if not isinstance(entry, dict):
        return False
    return entry.get("demo") is True or DEMO_MARK in _all_text(entry)


def _all_text(value) -> str:
    if isinstance(value, dict):
        return " ".join(_all_text(v) for v in value.values())
    if isinstance(value, list | tuple):
        return " ".join(_all_text(v) for v in value)
    return value if isinstance(value, str) else ""


def _clinic(clinic) -> list[DemoValue]:
    if not isinstance(clinic, dict):
        return []
    found = []

    def text(key: str) -> str:
        value = clinic.get(key)
        return value if isinstance(value, str) else ""

    named = (("name", "the demo clinic's name"), ("street", "the demo street"), ("locality", "the demo town"))
    for key, what in named:
        if _DEMO_WORD.search(text(key)):
            found.append(DemoValue(f"CLINIC[{key!r}]", text(key), what))
    if re.sub(r"\s", "", text("postcode")).upper() == DEMO_POSTCODE:
        found.append(DemoValue("CLINIC['postcode']", text("postcode"), "the demo postcode"))
    for key in ("phone_display", "phone_tel"):
        if is_demo_phone(text(key)):
            found.append(DemoValue(f"CLINIC[{key!r}]", text(key), "Ofcom's drama range 01632 960xxx"))
    email = text("email")
    if email and is_example_domain(email.rpartition("@")[2]):
        found.append(DemoValue("CLINIC['email']", email, "a reserved example domain"))
    return found


def find(settings: dict) -> list[DemoValue]:
    """Every demo value still in `settings`: the clinic's identity, demo people, booking pages, SITEURL,
    and the class timetable file while it says `demo: true`."""
    found = _clinic(settings.get("CLINIC"))
    people = settings.get("PEOPLE")
    if isinstance(people, dict):
        for key, entry in people.items():
            if is_demo_person(entry):
                name = entry.get("name", key) if isinstance(entry.get("name"), str) else key
                found.append(DemoValue(f"PEOPLE[{key!r}]", name, "a fictional demo person"))
    booking_url = settings.get("BOOKING_URL")
    if isinstance(booking_url, str) and is_demo_url(booking_url):
        found.append(DemoValue("BOOKING_URL", booking_url, "a demo booking page"))
    targets = settings.get("BOOKING_TARGETS")
    if isinstance(targets, dict):
        for name, target in targets.items():
            url = target.get("url") if isinstance(target, dict) else None
            if isinstance(url, str) and is_demo_url(url):
                found.append(DemoValue(f"BOOKING_TARGETS[{name!r}]['url']", url, "a demo booking page"))
    siteurl = settings.get("SITEURL")
    if isinstance(siteurl, str) and is_example_domain(_host(siteurl)):
        found.append(DemoValue("SITEURL", siteurl, "a reserved example domain"))
    return found + _timetable(settings)


def _timetable(settings: dict) -> list[DemoValue]:
    """The class timetable file, when the timetable plugin is used and the file says `demo: true`."""
    if "timetable" not in (settings.get("PLUGINS") or ()):
        return []
    path = Path(settings.get("PATH") or "content") / str(settings.get("TIMETABLE_PATH") or "timetable.yaml")
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            text = fh.read(256 * 1024)
    except OSError:
        return []
    match = _TIMETABLE_DEMO.search(text)
    if not match:
        return []
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = str(path)
    line = text.count("\n", 0, match.start()) + 1
    return [
        DemoValue(
            f"{shown}:{line} demo",
            "true",
            "fictional class times: enter the real classes, then delete the line",
        )
    ]


def report(found: list[DemoValue]) -> str:
    """The one message listing every demo value (several lines: the summary, then one per value)."""
    lines = [
        f"the site still has {len(found)} demo value(s); replace each with the clinic's real details in "
        "pelicanconf.py (SITEURL: in publishconf.py or the SITEURL environment variable) before publishing:"
    ]
    lines += [f"  {d.line()}" for d in found]
    return "\n".join(lines)
