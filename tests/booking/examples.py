"""Named examples of the book_now and clinic_jsonld components: test fixtures and a gallery."""

from __future__ import annotations

from pathlib import Path

from booking.links import Cta
from tests.theme_env import theme_env

ROOT = Path(__file__).resolve().parents[2]

_BASE = dict(
    target="assessment",
    label="Book a physiotherapy assessment",
    href="https://example-clinic.cliniko.com/bookings?utm_content=header",
    description="A first appointment with the physio team.",
    new_tab=False,
    phone_display="01632 960000",
    phone_tel="tel:+441632960000",
)

#: name -> (Cta, keyword arguments of the book_now macro)
BOOK_NOW = {
    "header": (Cta(placement="header", **_BASE), {"variant": "compact"}),
    "article-end": (Cta(placement="article-end", **_BASE), {}),
    "inline": (Cta(placement="inline", **_BASE), {"variant": "inline"}),
    "new-tab": (
        Cta(
            **{
                **_BASE,
                "placement": "article-end",
                "target": "classes",
                "new_tab": True,
                "label": "Book a Strength & Conditioning class",
                "description": "",
            }
        ),
        {},
    ),
    "no-phone": (Cta(placement="booking-page", **_BASE), {"phone": False}),
    "hostile-text": (
        Cta(
            **{
                **_BASE,
                "placement": "inline",
                "label": '<img src=x onerror="alert(1)"> Book',
                "description": "</div><script>alert(2)</script>",
                "phone_display": "<b>01632</b>",
            }
        ),
        {},
    ),
}

HOSTILE = "</script><script>alert(1)</script><!--"
CLINIC_JSONLD = {
    "plain": {
        "@context": "https://schema.org",
        "@type": ["Physiotherapy", "MedicalClinic"],
        "name": "Example Physio",
    },
    "hostile": {
        "@context": "https://schema.org",
        "@type": ["Physiotherapy", "MedicalClinic"],
        "name": f"Example {HOSTILE} Physio",
        "address": {"streetAddress": "1 <!-- Street & 'Lane'"},
    },
}


def render_book_now(name: str) -> str:
    cta, kwargs = BOOK_NOW[name]
    return str(theme_env().get_template("components/book_now/book_now.html").module.book_now(cta, **kwargs))


def render_jsonld(name: str) -> str:
    macro = theme_env().get_template("components/clinic_jsonld/clinic_jsonld.html").module.clinic_jsonld
    return str(macro(CLINIC_JSONLD[name]))


def gallery() -> str:
    """Every book_now example on one page, with the site's CSS (for the browser checks)."""
    css = (ROOT / "theme" / "static" / "css" / "site.css").read_text(encoding="utf-8")
    parts = [f'<section data-example="{name}">{render_book_now(name)}</section>' for name in BOOK_NOW]
    return (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>book_now examples</title>'
        f'<style>{css}</style></head><body><main class="wrap prose">{"".join(parts)}</main></body></html>'
    )
