"""Keyboard only: the skip link comes first, then the header (navigation and Book Now), then every
citation, each with a visible focus indicator. Print: the references stay, the navigation goes.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ARTICLE = "articles/back-pain-how-running-can-help-not-harm/"
FOCUSED = """() => {
  const el = document.activeElement, s = getComputedStyle(el);
  const ring = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
  if (el === document.body) return null;
  const r = el.getBoundingClientRect();
  const region = ["nav", "header", "main"].find(name => el.closest(name)) || "";
  return {id: el.id, href: el.getAttribute("href"), text: el.textContent.trim(), region,
          citation: el.getAttribute("role") === "doc-biblioref", booking: el.hasAttribute("data-booking"),
          ring, skip: el.classList.contains("skip-link"),
          visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight};
}"""


def _tab_through(page, limit=250):
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None or (stops and stop == stops[0]):
            break  # focus left the page, or came round again
        stops.append(stop)
    return stops


def test_tab_order_reaches_skip_link_nav_cta_and_every_citation(phone, base_url):
    page = phone
    page.goto(base_url + ARTICLE)
    citations = page.locator('a[role="doc-biblioref"]').count()
    assert citations >= 6
    stops = _tab_through(page)

    assert stops[0]["skip"] and stops[0]["visible"], stops[0]
    first_in_main = next(i for i, s in enumerate(stops) if s["region"] == "main")
    header = stops[1:first_in_main]
    assert any(s["region"] == "nav" for s in header), header
    assert any(s["booking"] for s in header), "the header's Book Now is not reached before the article"
    reached = [s for s in stops if s["citation"]]
    assert len(reached) == citations
    unringed = [s["text"] or s["href"] for s in stops if not s["ring"]]
    assert not unringed, f"no visible focus indicator on: {unringed}"


def test_the_skip_link_moves_focus_to_the_main_content(phone, base_url):
    page = phone
    page.goto(base_url + ARTICLE)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_a_citation_preview_opens_on_keyboard_focus(phone, base_url):
    page = phone
    page.goto(base_url + ARTICLE)
    for _ in range(100):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('role') === 'doc-biblioref'"):
            break
    preview_id = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    expect(page.locator(f"#{preview_id}")).to_be_visible()


def test_print_keeps_references_and_hides_navigation(phone, base_url):
    page = phone
    page.goto(base_url + ARTICLE)
    page.emulate_media(media="print")
    expect(page.locator("#refs")).to_be_visible()
    expect(page.locator("#refs [role=listitem]").first).to_be_visible()
    expect(page.locator("nav.site-nav")).to_be_hidden()
    expect(page.locator(".skip-link")).to_be_hidden()
    expect(page.locator("header.site-header")).to_be_hidden()
