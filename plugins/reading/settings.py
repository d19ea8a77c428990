"""Settings of the reading plugin, each declared once (checked at start-up by settings_schema)."""

from __future__ import annotations

from settings_schema import Setting, whole_number

SETTINGS = (
    Setting(
        "READING_WORDS_PER_MINUTE",
        200,  # a comfortable pace for health information read on a phone
        'reading time ("4 min read") = words ÷ this, rounded up',
        whole_number(1),
    ),
    Setting(
        "READING_TOC_MIN_HEADINGS",
        4,
        'a "Contents" list on articles and pages with at least this many `##` headings',
        whole_number(1),
    ),
)
DEFAULTS = {s.name: s.default for s in SETTINGS}
