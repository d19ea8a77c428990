"""Search: with JavaScript, "marathon" finds the seed article; without it, the search page offers
the topic and tag lists instead.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TITLE = "Back Pain: How Running Can Help, Not Harm"
ARTICLE = "articles/back-pain-how-running-can-help-not-harm/"


def test_search_for_marathon_reaches_the_seed_article(phone_js, base_url):
    page = phone_js
    page.goto(base_url)
    page.locator("summary", has_text="Menu").click()  # on a phone the links fold into "Menu"
    page.get_by_role("link", name="Search", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    box = page.get_by_role("textbox", name="Search")
    box.fill("marathon")
    result = page.locator(".pagefind-ui__result-link", has_text=TITLE)
    expect(result).to_be_visible()
    result.click()
    expect(page).to_have_url(base_url + ARTICLE)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_search_results_leave_out_the_navigation(phone_js, base_url):
    """Only article and page bodies are indexed: a word that appears only in the footer finds nothing."""
    page = phone_js
    page.goto(base_url + "search/?q=feed")  # "News feed": a link in every page's footer only
    expect(page.locator(".pagefind-ui__message")).to_contain_text("No results")


def test_without_javascript_the_search_page_lists_topics_and_tags(browser, base_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    try:
        page = context.new_page()
        page.goto(base_url + "search/")
        expect(page.get_by_role("textbox")).to_have_count(0)
        expect(page.get_by_text("Searching needs JavaScript")).to_be_visible()
        page.get_by_role("link", name="Back pain", exact=True).click()
        page.get_by_role("link", name=TITLE).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    finally:
        context.close()
