"""Settings of the images plugin, each declared once (checked at start-up by settings_schema)."""

from __future__ import annotations

from settings_schema import Setting, list_of_whole_numbers, text, whole_number

SETTINGS = (
    Setting(
        "IMAGES_WIDTHS",
        [480, 800, 1200],
        "widths (px) of the resized copies of content images (`srcset`)",
        list_of_whole_numbers(1),
    ),
    Setting(
        "IMAGES_SIZES",
        "(min-width: 46rem) 42rem, 100vw",
        "the `sizes` attribute of content images: the text column's width",
        text(),
    ),
    Setting(
        "IMAGES_MAX_PIXELS",
        40_000_000,
        "larger pictures fail the build (width × height; a 40-megapixel photo is plenty for the web)",
        whole_number(1),
    ),
)
DEFAULTS = {s.name: s.default for s in SETTINGS}
