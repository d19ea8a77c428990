"""Settings of the contentguard plugin, each declared once (checked at start-up by settings_schema)."""

from __future__ import annotations

from settings_schema import Setting, whole_number

SETTINGS = (
    Setting(
        "CONTENT_MAX_FILE_BYTES",
        2 * 1024 * 1024,  # Markdown, bibliographies: about 300,000 words
        "largest file in `content/` outside `STATIC_PATHS` (Markdown, bibliographies)",
        whole_number(1),
    ),
    Setting(
        "CONTENT_MAX_STATIC_BYTES",
        20 * 1024 * 1024,
        "largest file in `STATIC_PATHS` (`content/images/`), copied as it is",
        whole_number(1),
    ),
    Setting(
        "CONTENT_MAX_VIDEO_BYTES",
        30 * 1024 * 1024,  # a one-minute exercise clip at 720p
        "largest video (`.mp4`, `.webm`) in `STATIC_PATHS`, published as it is",
        whole_number(1),
    ),
    Setting(
        "CONTENT_MAX_READ_SECONDS",
        10,
        "longest time reading one Markdown file may take (a line of thousands of `[x](` or `<`)",
        whole_number(1),
    ),
    Setting(
        "CONTENT_MAX_NESTING",
        20,
        "deepest nesting of blockquotes (`>`) and lists in Markdown",
        whole_number(1),
    ),
)
DEFAULTS = {s.name: s.default for s in SETTINGS}
