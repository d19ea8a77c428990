"""Real-looking replacements for every shipped demo value, for production builds in tests.

Fiction too (the NHS's ZZ99 pseudo-postcode, Ofcom's 020 7946 0xxx drama range, RFC 2606 `.test`
for the site and e-mail, a booking host that is never contacted), but none of them a demo value,
so `plugins/demo_values.py` finds nothing: a production build gets as far as the content checks.
"""

from __future__ import annotations

from pathlib import Path

#: Each demo setting with a real-looking value, in the order the demo report lists them.
REAL = {
    "CLINIC": {
        "name": "Riverside Physio Clinic",
        "street": "2 Riverside Walk",
        "locality": "Testbury",
        "postcode": "ZZ99 9ZZ",
        "country": "GB",
        "phone_display": "020 7946 0000",
        "phone_tel": "tel:+442079460000",
        "email": "mailto:hello@riverside-physio.test",
        "opening_hours": ["Mo-Fr 08:00-19:00"],
    },
    "PEOPLE": {
        "alex-example": {
            "name": "Alex Example",
            "role": "Physiotherapist",
            "credentials": ["MCSP"],
            "registration": {"body": "HCPC", "number": "PH123456"},
        },
        "sam-sample": {
            "name": "Sam Sample",
            "role": "Clinical Lead Physiotherapist",
            "credentials": ["MCSP"],
            "registration": {"body": "HCPC", "number": "PH654321"},
        },
    },
    "BOOKING_TARGETS": {
        name: {"label": f"Book {name}", "url": f"https://riverside-physio.cliniko.com/bookings?t={name}"}
        for name in ("assessment", "classes", "classes-beginners", "classes-intermediate")
    },
    "SITEURL": "https://www.riverside-physio.test",
}

REALCONF = "realconf.py"


def write_realconf(project: Path, **overrides) -> str:
    """Write `realconf.py` (publishconf.py with the real-looking values, then `overrides`) into
    `project`, mark the project's timetable as real; return its name for `run_build(..., settings=...)`."""
    values = {**REAL, **overrides}
    lines = [
        "import os, sys",
        "sys.path.append(os.curdir)",
        "from publishconf import *  # noqa: F403",
        *(f"{name} = {value!r}" for name, value in values.items()),
        "FEED_DOMAIN = SITEURL",
        'SITENAME = AUTHOR = CLINIC["name"]',
    ]
    (project / REALCONF).write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The shipped timetable's class times are demo values too (content/timetable.yaml says `demo: true`).
    timetable = project / "content" / "timetable.yaml"
    if timetable.is_file():
        text = timetable.read_text(encoding="utf-8")
        timetable.write_text(text.replace("\ndemo: true\n", "\ndemo: false\n"), encoding="utf-8")
    return REALCONF
