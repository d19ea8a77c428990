"""The care-card and callout types: the one owner of their labels and of the no-booking rule.

The Markdown extension (``cards``), its writing checks (``card_checks``), the theme's ``care_card``
macro (as the Jinja global ``CARE_CARD_TYPES``) and the booking plugin's marker check all read
this table; nothing else lists the types.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CardType:
    prefix: str  # visually hidden, announced by a screen reader before the heading
    heading: str  # the heading of a card written without one (`!!! note ""`)
    booking: bool  # may the card hold a booking link? Not where the advice is to call 999 or NHS 111


#: Type -> labels, in the order the docs list them (the NHS care-card levels, then the callouts).
CARD_TYPES: dict[str, CardType] = {
    "immediate": CardType("Immediate action required:", "Immediate action required", booking=False),
    "urgent": CardType("Urgent advice:", "Urgent advice", booking=False),
    "non-urgent": CardType("Non-urgent advice:", "Non-urgent advice", booking=True),
    "note": CardType("Note:", "Note", booking=True),
    "key-points": CardType("Key points:", "Key points", booking=True),
}
#: Cards that must never contain a booking link or a Book Now marker: someone who needs urgent care
#: must not be sent to book a routine appointment.
NO_BOOKING = tuple(name for name, card in CARD_TYPES.items() if not card.booking)
TYPE_LIST = ", ".join(CARD_TYPES)
