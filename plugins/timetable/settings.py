"""Settings of the timetable plugin, each declared once (checked at start-up by settings_schema)."""

from __future__ import annotations

import datetime as dt

from settings_schema import Setting, optional, text, whole_number


def _date(value, setting, settings):
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return "is not a date; write it as 'YYYY-MM-DD' in quotes, or None for the build's date"
    return None


def _inside(value, setting, settings):
    problem = text()(value, setting, settings)
    if problem:
        return problem
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "\\")) or ".." in parts or (len(value) > 1 and value[1] == ":"):
        return "must be a path inside the content folder, without '..', e.g. 'timetable.yaml'"
    return None


def _weeks(value, setting, settings):
    return whole_number(1)(value, setting, settings) or (
        "is too many: the page shows at most 26 weeks (half a year)" if value > 26 else None
    )


SETTINGS = (
    Setting(
        "TIMETABLE_PATH", "timetable.yaml", "the timetable file, inside the content folder (`PATH`)", _inside
    ),
    Setting("TIMETABLE_URL", "classes/timetable/", "URL of the timetable page", text()),
    Setting(
        "TIMETABLE_SAVE_AS", "classes/timetable/index.html", "where the timetable page is written", text()
    ),
    Setting(
        "TIMETABLE_FEED_SAVE_AS",
        "classes/timetable/{slug}.ics",
        "where each calendar is written: `{slug}` is a level's (e.g. `beginners`) or `all-classes`",
        text(contains="{slug}"),
    ),
    Setting("TIMETABLE_WEEKS", 6, "weeks the page shows, this week included (1 to 26)", _weeks),
    Setting(
        "TIMETABLE_TODAY",
        None,
        "the date the page is \"as of\" (`'YYYY-MM-DD'`); `None`: the day of the build, in `TIMEZONE`",
        optional(_date),
    ),
)
DEFAULTS = {s.name: s.default for s in SETTINGS}
