"""Book Now in Chromium: click the header link and land on the booking page; keyboard; target size.

The site is built into a temporary folder with the default target pointing at a stand-in booking
page on 127.0.0.1 (a development build: plain http is allowed there for 127.0.0.1 and localhost
only, never in production), and served on 127.0.0.1 too.
"""

from __future__ import annotations

import http.server
import threading
from urllib.parse import parse_qs, urlsplit

import pytest

import pelicanconf
from tests.booking.examples import BOOK_NOW, gallery
from tests.conftest import ROOT, run_build

pytestmark = pytest.mark.browser

ARTICLE = "articles/back-pain-how-running-can-help-not-harm/"
_DEFAULT = pelicanconf.BOOKING_TARGETS[pelicanconf.BOOKING_DEFAULT]
HEADER_LABEL = _DEFAULT.get("short_label") or _DEFAULT["label"]  # the header shows the short label
STAND_IN = b"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stand-in booking page</title>
</head><body><h1>Stand-in booking page</h1></body></html>"""


class BookingStandIn:
    """A booking page on 127.0.0.1 that records each request's path and Referer header."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str | None]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append((self.path, self.headers.get("Referer")))
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(STAND_IN)))
                self.end_headers()
                self.wfile.write(STAND_IN)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture(scope="module")
def booking_page():
    stand_in = BookingStandIn()
    yield stand_in
    stand_in.stop()


@pytest.fixture(scope="module")
def served_site(tmp_path_factory, booking_page, serve_static):
    """The real site, built with the default target's URL on the stand-in, served on 127.0.0.1."""
    targets = {name: dict(target) for name, target in pelicanconf.BOOKING_TARGETS.items()}
    targets[pelicanconf.BOOKING_DEFAULT]["url"] = booking_page.url + "book/assessment"
    out = tmp_path_factory.mktemp("booking-site") / "output"
    result = run_build(ROOT, out, "--ignore-cache", "-e", f"BOOKING_TARGETS={targets!r}")
    assert result.returncode == 0, result.stderr
    return serve_static(out)


@pytest.fixture
def page_without_js(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def header_cta(page):
    return page.locator('header.site-header a[data-booking-placement="header"]')


def test_clicking_the_header_link_opens_the_booking_page(page_without_js, served_site, booking_page):
    page = page_without_js  # a plain link: it must work with JavaScript turned off
    booking_page.requests.clear()
    page.goto(served_site + ARTICLE)
    link = page.get_by_role("link", name=HEADER_LABEL, exact=True).first
    assert link.get_attribute("data-booking-placement") == "header"
    link.click()
    page.wait_for_url(booking_page.url + "book/assessment?**")
    assert page.locator("h1").inner_text() == "Stand-in booking page"
    landed = urlsplit(page.url)
    assert f"http://{landed.netloc}/" == booking_page.url and landed.path == "/book/assessment"
    tags = parse_qs(landed.query)
    assert tags["utm_content"] == ["header"] and tags["utm_campaign"] == ["assessment"]
    assert len(page.context.pages) == 1  # same tab
    # The booking site learns which site sent the visitor, never which article (its topic).
    (referer,) = [ref for path, ref in booking_page.requests if path.startswith("/book/assessment?")]
    assert referer == served_site
    assert "back-pain" not in page.url


def test_the_keyboard_reaches_the_header_link_with_a_visible_focus(page, served_site):
    page.goto(served_site)
    presses = 0
    while presses < 5 and not page.evaluate("document.activeElement.dataset.booking || ''"):
        page.keyboard.press("Tab")
        presses += 1
    focused = page.evaluate(
        """() => { const a = document.activeElement, s = getComputedStyle(a);
            return {placement: a.dataset.bookingPlacement, outline: s.outlineStyle,
                    width: parseFloat(s.outlineWidth), background: s.backgroundColor}; }"""
    )
    assert focused["placement"] == "header"
    assert presses <= 3  # skip link, site name, then the booking link
    assert focused["outline"] == "solid" and focused["width"] >= 2
    assert focused["background"] == "rgb(255, 191, 71)"  # the focus colour (--focus)
    page.keyboard.press("Enter")
    page.wait_for_url("**/book/assessment?**")


@pytest.mark.parametrize("width", [1280, 320])
def test_every_booking_link_is_at_least_24_px_square(browser, served_site, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(served_site + ARTICLE)
        links = page.locator("a[data-booking]")
        placements = set()
        for i in range(links.count()):
            box = links.nth(i).bounding_box()
            placements.add(links.nth(i).get_attribute("data-booking-placement"))
            assert box["width"] >= 24 and box["height"] >= 24, (width, i, box)
        assert placements == {"header", "inline"}  # the marker ends the article: no second block
    finally:
        context.close()


def test_every_component_example_is_at_least_24_px_square(page):
    page.set_content(gallery())
    for name in BOOK_NOW:
        box = page.locator(f'[data-example="book_now/{name}"] a[data-booking]').bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, (name, box)
