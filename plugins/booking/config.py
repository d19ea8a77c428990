"""The booking settings inside their dicts, checked once at start-up: targets, campaign tags, the clinic.

Pure Python (no Pelican import). :func:`load` turns the settings into a :class:`BookingConfig` or a
list of problems, each naming the setting to fix; nothing bad is silently replaced by a default.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .identity import opening_hours

#: Metadata values with a meaning of their own, so never target names.
RESERVED = {"default": "use BOOKING_DEFAULT", "none": "no booking block on this page"}
#: Keys a target may have; ``label`` and ``url`` are required.
TARGET_KEYS = ("label", "url", "description", "new_tab", "short_label")
#: Keys of BOOKING_UTM; utm_campaign (the target) and utm_content (the placement) are added per link.
UTM_KEYS = ("source", "medium")
#: Hosts that can only serve a local stand-in booking page (allowed in development builds only).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TOKEN = re.compile(r"^[A-Za-z0-9._-]+$")
_TEL = re.compile(r"^tel:\+?[0-9][0-9().-]*$")
_MAILTO = re.compile(r"^mailto:[^@\s?]+@[^@\s?]+\.[^@\s?]+$")
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f<>\"']")
#: The CLINIC keys the header, the booking blocks and the JSON-LD read.
CLINIC_KEYS = ("name", "street", "locality", "postcode", "country", "phone_display", "phone_tel", "email")

EXAMPLE_URL = "https://your-clinic.cliniko.com/bookings"
#: Settings that repeat the clinic's name (derived from CLINIC['name'] in pelicanconf.py).
IDENTITY_SETTINGS = ("SITENAME", "AUTHOR")


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    url: str
    description: str = ""
    new_tab: bool = False
    short_label: str = ""  # the site header's label on phones-first layouts; "" means `label`


@dataclass(frozen=True)
class BookingConfig:
    targets: dict[str, Target]
    default: str
    utm: dict[str, str] | None  # {"source": ..., "medium": ...} or None (no campaign tags)
    phone_display: str
    phone_tel: str

    def suggest(self, name: str) -> str:
        """' (did you mean 'x'?)' for a near miss, else ''."""
        close = difflib.get_close_matches(name, list(self.targets) + list(RESERVED), n=1, cutoff=0.6)
        return f" (did you mean '{close[0]}'?)" if close else ""

    def known(self) -> str:
        return ", ".join(self.targets)


def check_url(value, setting: str, *, allow_loopback_http: bool = False) -> str | None:
    """A problem with a booking URL, or None when it is an https: address of a booking page."""
    if not isinstance(value, str) or not value.strip():
        return f"{setting} is empty; give the address of the booking page, e.g. {EXAMPLE_URL!r}"
    parts = urlsplit(value.strip())
    scheme = parts.scheme.lower()
    if scheme in ("https", "http") and _UNSAFE.search(value):
        return f"{setting} = {value!r} contains spaces, quotes or control characters; give a plain https: URL"
    if scheme == "https" and parts.hostname:
        return None
    if scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
        if allow_loopback_http:
            return None
        return (
            f"{setting} = {value!r} is a local stand-in booking page; it is allowed in development builds "
            "only, never when publishing"
        )
    if scheme == "https":
        return f"{setting} = {value!r} has no host name; give a full address such as {EXAMPLE_URL!r}"
    shown = f"'{scheme}:'" if scheme else "no scheme"
    return (
        f"{setting} = {value!r} uses {shown}; a booking URL must start with https:// (e.g. {EXAMPLE_URL!r})"
    )


def _check_target(name, raw, allow_loopback_http: bool, problems: list[str]) -> Target | None:
    where = f"BOOKING_TARGETS[{name!r}]"
    if not isinstance(name, str) or not _NAME.match(name):
        problems.append(
            f"BOOKING_TARGETS: the target name {name!r} is not a plain name; use lower-case letters, "
            "digits and hyphens, e.g. 'classes-beginners'"
        )
        return None
    if name in RESERVED:
        problems.append(
            f"BOOKING_TARGETS: {name!r} cannot be a target name: 'booking: {name}' means {RESERVED[name]}"
        )
        return None
    if not isinstance(raw, dict):
        problems.append(f"{where} must be a dict with 'label' and 'url', e.g. {{'label': ..., 'url': ...}}")
        return None
    before = len(problems)
    for key in raw:
        if key not in TARGET_KEYS:
            close = difflib.get_close_matches(str(key), TARGET_KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(
                f"{where} has an unknown key {key!r}{hint}; the keys are {', '.join(TARGET_KEYS)}"
            )
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        problems.append(
            f"{where}['label'] is missing or empty; give the visible link text, "
            "e.g. 'Book a physiotherapy assessment'"
        )
    url_problem = check_url(raw.get("url"), f"{where}['url']", allow_loopback_http=allow_loopback_http)
    if url_problem:
        problems.append(url_problem)
    description = raw.get("description", "")
    if not isinstance(description, str):
        problems.append(f"{where}['description'] must be text")
    new_tab = raw.get("new_tab", False)
    if not isinstance(new_tab, bool):
        problems.append(f"{where}['new_tab'] must be True or False (default False: same tab)")
    short_label = raw.get("short_label", "")
    if not isinstance(short_label, str) or len(short_label) > 24:
        problems.append(
            f"{where}['short_label'] must be text of at most 24 characters (it must fit one line of a "
            "320 px phone screen), e.g. 'Book an assessment'"
        )
    if len(problems) > before:
        return None
    return Target(
        name,
        " ".join(label.split()),
        raw["url"],
        " ".join(description.split()),
        new_tab,
        " ".join(short_label.split()),
    )


def _check_clinic(clinic, problems: list[str]) -> None:
    if not isinstance(clinic, dict):
        problems.append("CLINIC must be a dict with the clinic's name, address, phone and e-mail")
        return
    for key in CLINIC_KEYS:
        value = clinic.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"CLINIC[{key!r}] is missing or empty")
    tel = clinic.get("phone_tel")
    if isinstance(tel, str) and tel and not _TEL.match(tel):
        problems.append(
            f"CLINIC['phone_tel'] = {tel!r} is not a tel: link; write it as 'tel:+441632960000' "
            "(international form, digits only)"
        )
    email = clinic.get("email")
    if isinstance(email, str) and email and not _MAILTO.match(email):
        problems.append(
            f"CLINIC['email'] = {email!r} is not a mailto: link; write it as 'mailto:hello@example.com'"
        )
    hours = clinic.get("opening_hours", [])
    if not isinstance(hours, list | tuple) or not all(isinstance(h, str) and h.strip() for h in hours):
        problems.append(
            "CLINIC['opening_hours'] must be a list of schema.org opening hours, e.g. ['Mo-Fr 08:00-19:00']"
        )
    else:
        for spec in hours:
            if opening_hours(spec) is None:
                problems.append(
                    f"CLINIC['opening_hours'] entry {spec!r} is not of the form 'Mo-Fr 08:00-19:00' "
                    "(days Mo Tu We Th Fr Sa Su, ranges with '-', lists with ','; a space; HH:MM-HH:MM)"
                )


def _check_identity(settings, problems: list[str]) -> None:
    """The clinic's name is set once, in CLINIC['name']: SITENAME and AUTHOR must not say otherwise."""
    name = settings.get("CLINIC", {}).get("name") if isinstance(settings.get("CLINIC"), dict) else None
    if not isinstance(name, str) or not name.strip():
        return
    for setting in IDENTITY_SETTINGS:
        value = settings.get(setting)
        if value is not None and value != name:
            problems.append(
                f"{setting} = {value!r} is not CLINIC['name'] = {name!r}; the clinic's name is set once, in "
                f"CLINIC['name'] (pelicanconf.py sets {setting} = CLINIC[\"name\"]), so the header, footer, "
                "feeds and JSON-LD agree: remove the other value"
            )


def load(settings) -> tuple[BookingConfig | None, list[str]]:
    """The booking configuration from Pelican settings (a dict), or None and the problems to fix."""
    problems: list[str] = []
    production = settings.get("SITE_ENV") == "production"
    raw_targets = settings.get("BOOKING_TARGETS")
    targets: dict[str, Target] = {}
    if not isinstance(raw_targets, dict) or not raw_targets:
        problems.append(
            "BOOKING_TARGETS is missing or empty; name at least one booking page, e.g. "
            "{'assessment': {'label': 'Book a physiotherapy assessment', 'url': 'https://...'}}"
        )
    else:
        for name, raw in raw_targets.items():
            target = _check_target(name, raw, not production, problems)
            if target:
                targets[name] = target
    labels: dict[str, str] = {}
    for target in targets.values():
        other = labels.setdefault(target.label.casefold(), target.name)
        if other != target.name:
            problems.append(
                f"BOOKING_TARGETS[{other!r}] and [{target.name!r}] have the same label {target.label!r}; "
                "links to different pages need different names (say what is being booked)"
            )
    default = settings.get("BOOKING_DEFAULT")  # one of the targets: declared in booking.settings
    utm = settings.get("BOOKING_UTM")
    if utm is not None:
        if not isinstance(utm, dict):
            problems.append(
                "BOOKING_UTM must be None (no campaign tags) or a dict with 'source' and 'medium'"
            )
        else:
            for key, value in utm.items():
                if key not in UTM_KEYS:
                    problems.append(
                        f"BOOKING_UTM has an unknown key {key!r}; only 'source' and 'medium' are set here "
                        "(the target and the placement are added to each link, never the page's topic)"
                    )
                elif not isinstance(value, str) or not _TOKEN.match(value):
                    problems.append(
                        f"BOOKING_UTM[{key!r}] = {value!r} must be a short plain word, e.g. 'clinic-website'"
                    )
            utm = {key: utm[key] for key in UTM_KEYS if key in utm} or None
    clinic = settings.get("CLINIC")
    _check_clinic(clinic, problems)
    _check_identity(settings, problems)
    if problems:
        return None, problems
    return BookingConfig(targets, default, utm, clinic["phone_display"], clinic["phone_tel"]), []
