"""Which Book Now links one page gets: its end-of-page target and its inline markers, checked.

Pure Python. Rules:

- ``booking:`` metadata names the target that ends the page; ``default`` or no field means
  BOOKING_DEFAULT; ``none`` means no block at the end (the header link stays).
- An inline marker names a target or uses the default.
- An unknown name fails the build naming the known targets; so does a marker inside an
  ``immediate`` or ``urgent`` care card, where the right advice is to call 999 or NHS 111.
- No block twice in a row: when the page's last block is already an inline marker for the same
  target as the end block, the end block is left out (the marker's block ends the page).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clinical.card_types import NO_BOOKING

from .config import BookingConfig
from .links import ARTICLE_END, INLINE, Cta, make_cta
from .syntax import Marker


@dataclass
class PageBooking:
    end: Cta | None  # the block that ends the page, None with `booking: none` or when a marker ends it
    inline: list[Cta | None] = field(default_factory=list)  # per marker, in order; None where wrong
    problems: list[tuple[int | None, str]] = field(default_factory=list)  # (line, message)


def _unknown(config: BookingConfig, name: str, where: str, also: str = "") -> str:
    return (
        f"unknown booking target '{name}' in {where}{config.suggest(name)}; "
        f"the targets in BOOKING_TARGETS are: {config.known()}{also}"
    )


def _marker_cta(config: BookingConfig, marker: Marker, problems: list) -> Cta | None:
    if marker.malformed:
        problems.append(
            (
                marker.line,
                "this looks like a Book Now marker but is not one: put [[book]] (the default target) "
                f"or [[book: NAME]] on a line of its own, NAME one of: {config.known()}",
            )
        )
        return None
    for classes, opened in marker.boxes:
        care = next((c for c in classes if c in NO_BOOKING), None)
        if care:
            problems.append(
                (
                    marker.line,
                    f"a Book Now marker inside the '{care}' care card opened on line {opened}: "
                    "where the advice is to call 999 or NHS 111, do not offer an appointment; "
                    "move the marker out of the box",
                )
            )
            return None
    name = marker.target or config.default
    if name not in config.targets:
        problems.append((marker.line, _unknown(config, name, f"the marker '[[book: {name}]]'")))
        return None
    return make_cta(config, name, INLINE)


def resolve(
    config: BookingConfig,
    metadata_value: str | None,
    metadata_line: int | None,
    markers: list[Marker],
    ends_with_marker: bool = False,
) -> PageBooking:
    """The booking links of one page, and the problems (with source lines) to report.

    `ends_with_marker`: the last marker is the page's last block (nothing but the reference list follows).
    """
    problems: list[tuple[int | None, str]] = []
    value = (metadata_value or "default").strip().lower()
    end: Cta | None = None
    if value == "default":
        end = make_cta(config, config.default, ARTICLE_END)
    elif value != "none":
        if value in config.targets:
            end = make_cta(config, value, ARTICLE_END)
        else:
            problems.append(
                (
                    metadata_line,
                    _unknown(config, value, f"'booking: {metadata_value}'", " (or 'none': no block)"),
                )
            )
    inline = [_marker_cta(config, marker, problems) for marker in markers]
    if end and ends_with_marker and inline and inline[-1] and inline[-1].target == end.target:
        end = None  # the marker's block already ends the page with the same link
    return PageBooking(end, inline, problems)
