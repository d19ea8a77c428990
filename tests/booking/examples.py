"""The book_now and clinic_jsonld components' named examples (their examples.yaml), and a gallery."""

from __future__ import annotations

from tests.theme.examples import components, render
from tests.theme.examples import gallery as theme_gallery

#: name -> keyword arguments of the book_now macro (`cta` as plugins/booking's Cta gives its fields)
BOOK_NOW = components()["book_now"]["examples"]
#: name -> the data the clinic_jsonld macro serialises
CLINIC_JSONLD = {name: args["data"] for name, args in components()["clinic_jsonld"]["examples"].items()}
HOSTILE = "</script><script>alert(1)</script><!--"  # in the hostile clinic name


def render_book_now(name: str) -> str:
    return render("book_now", name)


def render_jsonld(name: str) -> str:
    return render("clinic_jsonld", name)


def gallery() -> str:
    """Every book_now example on one page, with the site's CSS (for the browser checks)."""
    return theme_gallery([("book_now", name) for name in BOOK_NOW])
