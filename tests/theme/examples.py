"""Named examples of the theme's components (toc, article_card, citation, byline, care_card): test
fixtures, and a gallery page that tests/theme/test_theme_components.py checks with axe."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from reading.core import ReadingTime, TocEntry
from tests.theme_env import render_macro, theme_env  # noqa: F401 (theme_env: for the tests)

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '<img src=x onerror="alert(1)">'


@dataclass
class FakeArticle:
    """What article_card reads from a Pelican Article."""

    title: str
    url: str
    summary: str
    category: str = "Back pain"
    date: dt.datetime = dt.datetime(2025, 1, 31)
    locale_date: str = "31 January 2025"
    reading_time: ReadingTime | None = field(default_factory=lambda: ReadingTime(4, 700))


TOC = {
    "flat": [TocEntry("one", "The truth about your spine"), TocEntry("references-title", "References")],
    "nested": [
        TocEntry("start", "Getting started", (TocEntry("week-1", "Week 1"), TocEntry("week-2", "Week 2"))),
        TocEntry("more", "More help"),
    ],
    "hostile-text": [TocEntry('x" onmouseover="alert(1)', HOSTILE)],
}

ARTICLE_CARD = {
    "plain": FakeArticle("Back Pain: How Running Can Help", "articles/back-pain/", "Running can help."),
    "no-reading-time": FakeArticle("Knee pain", "articles/knee/", "Where to start.", reading_time=None),
    "hostile-text": FakeArticle(HOSTILE, "articles/x/", "<b>bold</b> & " + HOSTILE, category=HOSTILE),
}

#: name -> (cite_id, key, link_html (trusted), preview_html (trusted))
CITATION = {
    "harvard": (
        "cite-hartvigsen2018-1",
        "hartvigsen2018",
        "Hartvigsen <em>et al.</em>, 2018",
        "Hartvigsen, J. <em>et al.</em> (2018) ‘What low back pain is and why we need to pay attention’, "
        "<em>The Lancet</em>, 391(10137), pp. 2356–2367.",
    ),
    "numeric": (
        "cite-belavy2017-1",
        "belavy2017",
        "1",
        "1. Belavý DL, et al. Running exercise strengthens the intervertebral disc. Sci Rep. 2017;7:45975.",
    ),
    "hostile-key": ('k"><script>alert(1)</script>-1', 'k"><script>alert(1)</script>', "K, 2020", "K (2020)"),
}


#: name -> CLINIC_HOURS as plugins/booking gives it: (days, hours) pairs in words
OPENING_HOURS = {
    "weekdays-saturday": [("Monday to Friday", "8am to 7pm"), ("Saturday", "9am to 1pm")],
    "hostile-text": [(HOSTILE, HOSTILE)],
}


def render(component: str, example: str) -> str:
    if component == "toc":
        return render_macro("components/toc/toc.html", "toc", TOC[example])
    if component == "article_card":
        card = ARTICLE_CARD[example]
        return render_macro("components/article_card/article_card.html", "article_card", card, "..")
    if component == "citation":
        return render_macro("components/citation.html", "citation_ref", *CITATION[example])
    if component == "opening_hours":
        hours = OPENING_HOURS[example]
        return render_macro("components/opening_hours/opening_hours.html", "opening_hours", hours)
    raise KeyError(component)


EXAMPLES = (
    [("toc", n) for n in TOC]
    + [("article_card", n) for n in ARTICLE_CARD]
    + [("citation", n) for n in CITATION]
    + [("opening_hours", n) for n in OPENING_HOURS]
)


def gallery() -> str:
    """Every example on one valid page (one h1, landmarks), as a visitor's browser would get them."""
    parts = []
    for index, (component, name) in enumerate(EXAMPLES):
        html = render(component, name)
        if component == "toc":  # each example's heading id must be unique on the page
            html = html.replace('id="toc-title"', f'id="toc-title-{index}"').replace(
                'aria-labelledby="toc-title"', f'aria-labelledby="toc-title-{index}"'
            )
        if component == "citation":
            html = f"<p>Cited as {html}.</p>"
        if component == "opening_hours":  # one "opening-hours" id per page
            html = html.replace('id="opening-hours"', f'id="opening-hours-{index}"')
        parts.append(f"<section aria-label='{component} {name}'>{html}</section>")
    css = (ROOT / "theme" / "static" / "css" / "site.css").read_text(encoding="utf-8")
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Components</title>"
        f"<style>{css}</style></head><body><main class='wrap prose'><h1>Components</h1>"
        + "\n".join(parts)
        + "</main></body></html>"
    )
