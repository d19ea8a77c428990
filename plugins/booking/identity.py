"""The clinic as schema.org JSON-LD, from the same CLINIC setting the header and footer show.

Pure Python: returns a dict. The ``clinic_jsonld`` component serialises it with Jinja's ``tojson``,
which escapes ``<``, ``>``, ``&`` and ``'`` as ``\\u003c`` ..., so no value (``</script>``, ``<!--``)
can end the ``<script type="application/ld+json">`` element early.
"""

from __future__ import annotations

import re


def clinic_jsonld(clinic: dict, siteurl: str) -> dict:
    """A Physiotherapy / MedicalClinic node: name, url, telephone, e-mail, address, opening hours."""
    data = {
        "@context": "https://schema.org",
        "@type": ["Physiotherapy", "MedicalClinic"],
        "name": clinic["name"],
        "url": siteurl.rstrip("/") + "/",
        "telephone": clinic["phone_tel"].removeprefix("tel:"),
        "email": clinic["email"].removeprefix("mailto:"),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": clinic["street"],
            "addressLocality": clinic["locality"],
            "postalCode": clinic["postcode"],
            "addressCountry": clinic["country"],
        },
    }
    if clinic.get("opening_hours"):
        data["openingHours"] = list(clinic["opening_hours"])
    return data


_DAYS = {"Mo": "Monday", "Tu": "Tuesday", "We": "Wednesday", "Th": "Thursday", "Fr": "Friday",
         "Sa": "Saturday", "Su": "Sunday"}  # fmt: skip
_HOURS = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


def _clock(hour: str, minute: str) -> str:
    """'08', '00' -> '8am'; '19', '30' -> '7:30pm'; '12', '00' -> '12 noon' (UK style)."""
    h, m = int(hour), int(minute)
    if (h, m) == (12, 0):
        return "12 noon"
    if h in (0, 24) and m == 0:
        return "midnight"
    suffix = "am" if h < 12 else "pm"
    h = h % 12 or 12
    return f"{h}{suffix}" if m == 0 else f"{h}:{m:02d}{suffix}"


def _days(spec: str) -> str | None:
    parts = []
    for chunk in spec.split(","):
        first, _, last = chunk.partition("-")
        if first not in _DAYS or (last and last not in _DAYS):
            return None
        parts.append(f"{_DAYS[first]} to {_DAYS[last]}" if last else _DAYS[first])
    return ", ".join(parts)


def opening_hours(spec: str) -> tuple[str, str] | None:
    """One schema.org opening-hours entry in words: 'Mo-Fr 08:00-19:00' -> ('Monday to Friday',
    '8am to 7pm'); None when it is not in that form (days, a space, HH:MM-HH:MM)."""
    days, _, hours = spec.strip().partition(" ")
    match = _HOURS.match(hours.strip())
    named = _days(days)
    if not match or not named:
        return None
    start, end = _clock(*match.group(1, 2)), _clock(*match.group(3, 4))
    return named, f"{start} to {end}"
