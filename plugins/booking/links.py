"""One Book Now link: a target shown at one placement, with its campaign tags.

Pure Python. A :class:`Cta` is everything the ``book_now`` macro needs; its ``href`` is built only
from the target's URL, the target's name and the placement, so nothing about the page it sits on
(an article's topic, slug or title, which may name a health condition) can reach the booking site.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .config import BookingConfig

HEADER = "header"  # the compact link in the site header, on every page
ARTICLE_END = "article-end"  # the full block that ends an article or education page
INLINE = "inline"  # where a writer put a [[book]] marker
BOOKING_PAGE = "booking-page"  # the list of every target on the "Book an appointment" page
PLACEMENTS = (HEADER, ARTICLE_END, INLINE, BOOKING_PAGE)


@dataclass(frozen=True)
class Cta:
    """What the book_now macro shows: the link, its label and the phone fallback."""

    target: str  # the target's name: data-booking="..." on the link
    placement: str
    label: str  # the visible text, which is also the link's accessible name
    href: str
    description: str
    new_tab: bool
    phone_display: str
    phone_tel: str


def tagged_url(url: str, utm: dict[str, str] | None, target: str, placement: str) -> str:
    """`url` with utm_source/utm_medium from settings, utm_campaign=target and utm_content=placement.

    Existing query parameters (a Calendly event type, say) are kept; existing utm_* ones are replaced.
    """
    if not utm:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith("utm_")]
    query += [(f"utm_{key}", value) for key, value in utm.items()]
    query += [("utm_campaign", target), ("utm_content", placement)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def make_cta(config: BookingConfig, target: str, placement: str) -> Cta:
    """The link to `target` (a name in config.targets) at `placement` (one of PLACEMENTS)."""
    if placement not in PLACEMENTS:
        raise ValueError(f"unknown placement {placement!r}; one of {', '.join(PLACEMENTS)}")
    t = config.targets[target]
    return Cta(
        target=t.name,
        placement=placement,
        label=(t.short_label or t.label) if placement == HEADER else t.label,
        href=tagged_url(t.url, config.utm, t.name, placement),
        description=t.description,
        new_tab=t.new_tab,
        phone_display=config.phone_display,
        phone_tel=config.phone_tel,
    )
