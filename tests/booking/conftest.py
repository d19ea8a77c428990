"""Fixtures for the booking tests: the shared browser fixtures, and valid demo-like settings to break."""

from __future__ import annotations

import copy

import pytest

SETTINGS = {
    "SITE_ENV": "development",
    "SITEURL": "https://www.example.com",
    "CLINIC": {
        "name": "Example Physio Clinic",
        "street": "1 Example Street",
        "locality": "Exampleton",
        "postcode": "EX1 1AA",
        "country": "GB",
        "phone_display": "01632 960000",
        "phone_tel": "tel:+441632960000",
        "email": "mailto:hello@example.com",
        "opening_hours": ["Mo-Fr 08:00-19:00", "Sa 09:00-13:00"],
    },
    "BOOKING_TARGETS": {
        "assessment": {
            "label": "Book a physiotherapy assessment",
            "url": "https://example-clinic.cliniko.com/bookings?business_id=1",
            "description": "A first appointment with the physio team.",
        },
        "classes": {
            "label": "Book a Strength & Conditioning class",
            "url": "https://calendly.com/example-clinic/classes",
            "new_tab": True,
        },
    },
    "BOOKING_DEFAULT": "assessment",
    "BOOKING_UTM": {"source": "clinic-website", "medium": "referral"},
}


@pytest.fixture
def settings():
    """Valid settings (non-demo URLs, so they also pass in production); tests change one thing."""
    return copy.deepcopy(SETTINGS)
