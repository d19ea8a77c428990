"""Settings of the related plugin, each declared once (checked at start-up by settings_schema)."""

from __future__ import annotations

from settings_schema import Setting, whole_number

SETTINGS = (
    Setting(
        "RELATED_MAX_ARTICLES",
        3,
        "related articles under an article (most shared tags, then same topic, then newest); 0: none",
        whole_number(0),
    ),
)
DEFAULTS = {s.name: s.default for s in SETTINGS}
