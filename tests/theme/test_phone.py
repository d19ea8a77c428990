"""The visitor on a phone: every page type whole at 320, 375 and 414 px, light and dark, in Chromium.

For each page type and width: the page never scrolls sideways, even with each citation preview
open in turn; every preview box lies inside the screen; every navigation link is visible or one tap
away (the "Menu" disclosure); axe finds nothing. Then the details a patient notices: the header
leaves the first screen to the title, the Book Now link stays on one line, previews use the body's
text size, a reference jumped to is highlighted, a back-link returns to a highlighted citation
without reopening its preview, back-links are at least 24 x 24 px, dates never break, and the
care-card levels differ in dark mode too.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.theme.examples import ROOT
from tests.theme_env import theme_env as env

pytestmark = pytest.mark.browser

ARTICLE = "articles/back-pain-how-running-can-help-not-harm/"
PAGE_TYPES = {
    "home": "",
    "article": ARTICLE,
    "page": "is-running-right-for-you/",
    "booking": "book/",
    "category": "category/back-pain/",
    "tag": "tag/running/",
    "archives": "archives/",
    "topics": "categories/",
    "tags": "tags/",
    "search": "search/",
    "person": "author/alex-example/",
    "404": "404.html",
}
WIDTHS = (320, 375, 414)
SCHEMES = ("light", "dark")

# On a phone the layout viewport grows to fit what overflows (innerWidth too), so both are compared
# with the screen's width, not with innerWidth.
_OVERFLOW = "(w) => Math.max(document.documentElement.scrollWidth, innerWidth) - w"
_PREVIEW_BOX = """(a) => { const r = a.nextElementSibling.getBoundingClientRect();
  return {left: r.left, right: r.right, shown: getComputedStyle(a.nextElementSibling).display,
          page: Math.max(document.documentElement.scrollWidth, innerWidth)}; }"""


@pytest.fixture(scope="module")
def base(site, serve_static):
    return serve_static(site.output)


@pytest.fixture
def phone(browser, request):
    contexts = []

    def open_page(width: int, scheme: str = "light", height: int = 812):
        context = browser.new_context(
            viewport={"width": width, "height": height}, color_scheme=scheme, is_mobile=True, has_touch=True
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _existing(site) -> dict[str, str]:
    found = {}
    for name, rel in PAGE_TYPES.items():
        path = site.output / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)
        assert path.is_file(), f"page type {name}: {path} was not built"
        found[name] = rel
    return found


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_type_fits_the_phone_with_each_preview_open(site, base, phone, width, scheme):
    page = phone(width, scheme)
    problems = []
    for name, rel in _existing(site).items():
        page.goto(base + rel)
        if (extra := page.evaluate(_OVERFLOW, width)) > 0:
            problems.append(f"{name}: the page is {extra} px wider than the screen")
        for index, link in enumerate(page.locator(".citation-ref > a").all()):
            link.focus()
            box = link.evaluate(_PREVIEW_BOX)
            if box["shown"] != "block":
                problems.append(f"{name}: preview {index} does not open on focus")
            if box["left"] < 0 or box["right"] > width or box["page"] > width:
                problems.append(
                    f"{name}: preview {index} spans {box['left']:.0f}-{box['right']:.0f} px, "
                    f"the page {box['page']} px"
                )
        # Every navigation link is visible, or becomes visible with one tap on "Menu".
        links = page.locator('nav[aria-label="Main"] a')
        if not links.first.is_visible():
            page.locator("summary", has_text="Menu").tap()
        hidden = [a.inner_text() or a.get_attribute("href") for a in links.all() if not a.is_visible()]
        if hidden or links.count() < 4:
            problems.append(f"{name}: navigation links not reachable: {hidden}")
        if (extra := page.evaluate(_OVERFLOW, width)) > 0:
            problems.append(f"{name}: with the menu open the page is {extra} px wider than the screen")
    assert not problems, problems


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_type_passes_axe_at_320_px(site, base, phone, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page = phone(320, scheme)
    failures = {}
    for name, rel in _existing(site).items():
        page.goto(base + rel)
        if name == "search":
            page.locator(".pagefind-ui__search-input").wait_for()
        result = Axe().run(
            page,
            options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}},
        )
        if result.response["violations"]:
            failures[name] = result.generate_report()
    assert not failures, failures


def test_the_first_screen_is_for_the_title_and_book_now_fits_one_line(base, phone):
    page = phone(360)
    page.goto(base + ARTICLE)
    header = page.locator("header.site-header").bounding_box()["height"]
    assert header <= 812 * 0.21, f"header and navigation take {header:.0f} px of a 812 px screen"
    cta = page.locator(".site-header .action-link__text")
    assert cta.evaluate("e => e.getClientRects().length") == 1
    line = cta.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || e.offsetHeight")
    assert cta.bounding_box()["height"] <= line * 1.2, "the header's Book Now label wraps"


def test_a_preview_uses_body_text_and_opens_above_near_the_bottom(base, phone):
    page = phone(375, height=600)
    page.goto(base + ARTICLE)
    link = page.locator(".citation-ref > a").first
    body = page.evaluate("() => getComputedStyle(document.body).fontSize")
    assert link.evaluate("a => getComputedStyle(a.closest('p')).fontSize") == body  # a body paragraph
    assert link.evaluate("a => getComputedStyle(a.nextElementSibling).fontSize") == body
    # Put the citation near the bottom edge: the optional script opens the preview above it.
    link.evaluate("a => window.scrollBy(0, a.getBoundingClientRect().top - innerHeight + 60)")
    link.focus()
    preview = link.evaluate(
        "a => { const p = a.nextElementSibling.getBoundingClientRect(); const l = a.getBoundingClientRect();"
        " return {top: p.top, bottom: p.bottom, link: l.top}; }"
    )
    assert preview["bottom"] <= preview["link"] + 1 and preview["top"] >= 0, preview


def test_jumps_between_citation_and_reference_are_highlighted_without_reopening(base, phone):
    page = phone(375)
    page.goto(base + ARTICLE)
    page.locator(".citation-ref > a").first.tap()
    entry = page.locator(".csl-entry:target")
    expect(entry).to_have_count(1)
    assert entry.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    back = entry.locator(".citation-backlinks a").first
    size = back.bounding_box()
    assert size["width"] >= 24 and size["height"] >= 24, size
    back.tap()
    cited = page.locator(".citation-ref > a:target")
    expect(cited).to_have_count(1)
    assert cited.evaluate("a => getComputedStyle(a).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert cited.evaluate("a => getComputedStyle(a.nextElementSibling).display") == "none"


def test_dates_never_break_across_lines(base, phone):
    page = phone(320)
    page.goto(base + ARTICLE)
    times = page.locator("time").all()
    assert times
    assert all(t.evaluate("e => e.getClientRects().length") == 1 for t in times)


def test_care_card_levels_differ_in_dark_mode(phone):
    macro = env().get_template("components/care_card/care_card.html").module.care_card
    cards = "".join(
        str(macro(kind, text="Signs to act on.")) for kind in ("immediate", "urgent", "non-urgent")
    )
    css = (ROOT / "theme" / "static" / "css" / "site.css").read_text(encoding="utf-8")
    for scheme in SCHEMES:
        page = phone(375, scheme)
        page.set_content(f"<style>{css}</style><main>{cards}</main>")
        looks = page.evaluate(
            """() => [...document.querySelectorAll('.care-card')].map(c => { const s = getComputedStyle(c);
              return {bg: s.backgroundColor.match(/\\d+/g).slice(0, 3).map(Number),
                      border: parseFloat(s.borderLeftWidth)}; })"""
        )
        immediate, urgent, non_urgent = looks
        # Not by hue alone: the immediate card's border is at least twice the urgent card's ...
        assert immediate["border"] >= 2 * urgent["border"], (scheme, looks)
        # ... and its background stands apart from the urgent card's (which is the page's).
        distance = sum(abs(a - b) for a, b in zip(immediate["bg"], urgent["bg"], strict=True))
        assert distance >= 60, (scheme, looks)
        assert urgent != non_urgent, (scheme, looks)


def test_the_booking_page_shows_opening_hours(site):
    html = site.page("book/index.html")
    assert "Opening hours" in html and "Monday to Friday" in html and "8am to 7pm" in html
