"""A reader on a phone: home page → the seed article → a citation's preview → the reference list →
back by the backlink → the DOI link → Book Now → the booking page. With JavaScript on and off.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import BOOKING_HOST

pytestmark = pytest.mark.browser

TITLE = "Back Pain: How Running Can Help, Not Harm"
ARTICLE = "articles/back-pain-how-running-can-help-not-harm/"
FIRST_KEY = "hartvigsen2018"
FIRST_DOI = "10.1016/S0140-6736(18)30480-X"  # content/references/back-pain-running.bib


def _in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                    return r.bottom > 0 && r.top < window.innerHeight; }""",
        selector,
    )


def test_home_to_article_to_reference_and_back_to_booking(phone, base_url):
    page = phone
    page.goto(base_url)
    page.get_by_role("link", name=TITLE).first.click()
    expect(page).to_have_url(base_url + ARTICLE)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # Read it: the body and the reference list are there.
    expect(page.locator("main")).to_contain_text("running can be part of the solution")
    references = page.locator("#refs [role=listitem]")
    expect(references.first).to_be_attached()

    # The first citation's preview: hidden, then shown on hover, then on keyboard focus.
    link = page.locator(f'a[role="doc-biblioref"][href="#ref-{FIRST_KEY}"]').first
    preview = page.locator("#" + link.get_attribute("aria-describedby"))
    link.scroll_into_view_if_needed()
    expect(preview).to_be_hidden()
    link.hover()
    expect(preview).to_be_visible()
    expect(preview).to_contain_text("What low back pain is and why we need to pay attention")
    page.mouse.move(1, 1)
    expect(preview).to_be_hidden()
    link.focus()
    expect(preview).to_be_visible()

    # Follow it to the reference list.
    citation_id = link.get_attribute("id")
    link.click()
    expect(page).to_have_url(re.compile(f"#ref-{FIRST_KEY}$"))
    assert _in_viewport(page, f"#ref-{FIRST_KEY}")
    entry = page.locator(f"#ref-{FIRST_KEY}")
    expect(entry).to_contain_text("The Lancet")

    # The DOI link goes to doi.org (asserted, not fetched: there is no network here).
    doi = entry.locator('a[href^="https://doi.org/"]')
    expect(doi).to_have_attribute("href", f"https://doi.org/{FIRST_DOI}")

    # Back by the backlink, to the very citation we left.
    entry.locator(f'a[href="#{citation_id}"]').click()
    expect(page).to_have_url(re.compile(f"#{citation_id}$"))
    assert _in_viewport(page, f"#{citation_id}")

    # Book Now → the booking page.
    book = page.locator("main a[data-booking]").first
    book.scroll_into_view_if_needed()
    book.click()
    expect(page).to_have_url(re.compile("^" + re.escape(BOOKING_HOST) + "/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stand-in booking page")


def test_the_header_book_now_reaches_the_booking_page(phone, base_url):
    phone.goto(base_url + ARTICLE)
    phone.locator("header a[data-booking]").click()
    expect(phone).to_have_url(re.compile("^" + re.escape(BOOKING_HOST) + "/"))
