"""Visitor journeys in Debian's Chromium: the real site (built once), served on 127.0.0.1.

Reuses tests/browser_support.py (the browser, and static servers stopped by PID). A failing
journey leaves a screenshot in test-artifacts/journeys/ (ignored by git).
"""

from __future__ import annotations

import re

import pytest

import pelicanconf
from tests.conftest import ROOT

PHONE = {"width": 375, "height": 812}
ARTIFACTS = ROOT / "test-artifacts" / "journeys"
BOOKING_HOST = re.match(r"https://[^/]+", pelicanconf.BOOKING_TARGETS[pelicanconf.BOOKING_DEFAULT]["url"])[0]
STAND_IN = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Book online (stand-in)</title>
</head><body><h1>Stand-in booking page</h1></body></html>"""


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def base_url(site, serve_static):
    """The real site on 127.0.0.1 (one server for the session)."""
    return serve_static(site.output)


def _open(request, browser, javascript: bool, **options):
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript, **options)
    # The booking system is another site: a local stand-in page answers for it (no network here).
    context.route(f"{BOOKING_HOST}/**", lambda route: route.fulfill(body=STAND_IN, content_type="text/html"))
    page = context.new_page()
    return context, page


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def phone(request, browser):
    """A phone-sized page, with JavaScript on and, in a second run, off."""
    yield from _page(request, browser, request.param)


@pytest.fixture
def phone_js(request, browser):
    """A phone-sized page with JavaScript on (journeys that need it, such as search)."""
    yield from _page(request, browser, True)


def _page(request, browser, javascript):
    context, page = _open(request, browser, javascript)
    try:
        yield page
    finally:
        failed = getattr(request.node, "report_call", None)
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.name)
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        context.close()
