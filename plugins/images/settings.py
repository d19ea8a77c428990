"""Settings of the images plugin, each declared once (checked at start-up by settings_schema)."""

from __future__ import annotations

from settings_schema import Setting, list_of_whole_numbers, text, whole_number


def _formats(value, setting, settings):
    allowed = ("avif", "webp")
    if (
        not isinstance(value, list | tuple)
        or not all(v in allowed for v in value)
        or len(set(value)) != len(value)
    ):
        return (
            "is not a list of modern image formats; write e.g. ['webp'] or ['avif', 'webp'] (or [] for none)"
        )
    return None


SETTINGS = (
    Setting(
        "IMAGES_WIDTHS",
        [343, 686, 1008, 1344],
        "widths (px) of the resized copies of content images (`srcset`): the text column on a 375 px "
        "phone at 1x and 2x, and on a laptop at 1.5x and 2x; no copy is wider than the largest",
        list_of_whole_numbers(1),
    ),
    Setting(
        "IMAGES_SIZES",
        "(min-width: 46rem) 42rem, (min-width: 40rem) calc(100vw - 4rem), calc(100vw - 2rem)",
        "the `sizes` attribute of content images: the text column's width",
        text(),
    ),
    Setting(
        "IMAGES_FORMATS",
        ["webp"],
        "modern formats offered before the JPEG/PNG copy in `<picture>` (`avif`, `webp`), best first",
        _formats,
    ),
    Setting(
        "IMAGES_MAX_PIXELS",
        40_000_000,
        "larger pictures fail the build (width × height; a 40-megapixel photo is plenty for the web)",
        whole_number(1),
    ),
)
DEFAULTS = {s.name: s.default for s in SETTINGS}
