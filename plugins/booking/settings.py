"""Settings of the booking plugin, each declared once (checked at start-up by settings_schema).

What a target, the campaign tags and the clinic's contact details must look like is checked by
:func:`booking.config.load`, run here as :func:`check` so that each problem names its line.
"""

from __future__ import annotations

from settings_schema import REQUIRED, Retired, Setting, mapping, one_of, optional

from . import config


def _targets(settings) -> list[str]:
    targets = settings.get("BOOKING_TARGETS")
    return list(targets) if isinstance(targets, dict) else []


SETTINGS = (
    Setting(
        "BOOKING_TARGETS",
        REQUIRED,
        "the booking pages by name, each a dict: `label`, `url` (https:), optional `description`, `new_tab`",
        mapping(),
    ),
    Setting(
        "BOOKING_DEFAULT",
        REQUIRED,
        "the target of the header link, of pages without `booking:` metadata and of a bare `[[book]]`",
        one_of(_targets, "a booking target"),
    ),
    Setting(
        "BOOKING_UTM",
        None,
        "campaign tags on every booking link (`source`, `medium`), or `None` for none",
        optional(mapping()),
    ),
    Retired(
        "BOOKING_URL",
        "move the address into BOOKING_TARGETS (see README.md, section Book Now) and delete BOOKING_URL",
    ),
)


def check(settings) -> list[str]:
    """The rules inside BOOKING_TARGETS, BOOKING_UTM and CLINIC; each message starts with the setting."""
    return config.load(settings)[1]
