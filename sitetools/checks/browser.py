"""Checks that need a real browser (Debian's Chromium through Playwright), in one browser session:

- accessibility: axe-core (bundled by axe-playwright-python) on one page of every type, in the
  light and the dark colour scheme, WCAG 2.0/2.1/2.2 A and AA rules;
- budgets: the bytes a first visit downloads (gzip-compressed as a server would send them),
  for every page at a phone's viewport, against the page type's budget in CHECK_BUDGETS; a page
  that shows content photos or a video is held to CHECK_BUDGETS["media"] instead (when set): what
  Chromium actually fetches there (responsive copies, lazy images near the screen, a poster, never
  a video with preload="none" before it is played).
"""

from __future__ import annotations

import contextlib
import gzip
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

from . import tools
from .report import FAIL, PASS, WARN, Row
from .server import serve
from .site import Site

PHONE = {"width": 375, "height": 812}
PHONE_SCALE = 2  # a phone's screen: 2 device pixels per CSS pixel (srcset picks the copy for it)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SCHEMES = ("light", "dark")
BUDGET_CHECK = "bytes, first visit"
#: Types a server sends gzip-compressed; everything else (images, fonts, wasm) is counted as is.
COMPRESSED = (".html", ".css", ".js", ".mjs", ".svg", ".json", ".xml", ".txt", "/")


@contextlib.contextmanager
def chromium() -> Iterator:
    """A headless Debian Chromium, driven by Playwright; closed on exit."""
    tools.python_module("playwright", "playwright")
    executable = tools.chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=tools.CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def run(site: Site, accessibility: bool = True, budgets: bool = True, browser=None) -> list[Row]:
    """The rows of both checks; `browser`: a running Playwright browser (tests), else one is started."""
    if accessibility:
        tools.python_module("axe_playwright_python", "axe-playwright-python")
    rows: list[Row] = []
    with serve(site.output) as base, contextlib.ExitStack() as stack:
        browser = browser or stack.enter_context(chromium())
        if accessibility:
            rows += _accessibility(site, base, browser)
        if budgets:
            rows += _budgets(site, base, browser)
    return rows


def _url(site: Site, base: str, rel: str, with_query: bool = False) -> str:
    url = base + site.url_path(rel)
    query = site.settings.get("CHECK_SEARCH_QUERY")
    if with_query and site.types.get(rel) == "search" and query:
        url += f"?q={query}"  # the search page is checked showing results, as a visitor sees it
    return url


def _open(browser, base: str):
    """One phone-sized page (375 px at 2x) with the cache off: every navigation is a first visit."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=PHONE_SCALE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    return context, page


def _visit(page, url: str) -> None:
    page.goto(url, wait_until="load")
    if page.evaluate(_RUNS_SCRIPTS):  # scripts may fetch more after `load`: wait until they are done
        page.wait_for_load_state("networkidle")


_RUNS_SCRIPTS = "[...document.scripts].some(s => !s.type || /javascript|module/.test(s.type))"
#: A page with media: content photos (`<picture>`), a video or a video facade in its main text.
_HAS_MEDIA = "!!document.querySelector('main picture, main video, main .video--facade')"
MEDIA = "media"


def _accessibility(site: Site, base: str, browser) -> list[Row]:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    rows = []
    context, page = _open(browser, base)
    try:
        for kind, rel in site.samples().items():
            page.emulate_media(color_scheme=SCHEMES[0])
            _visit(page, _url(site, base, rel, with_query=True))
            for scheme in SCHEMES:
                page.emulate_media(color_scheme=scheme)
                violations = axe.run(page, options=options).response["violations"]
                rows += _axe_rows(kind, f"accessibility, {scheme}", rel, violations)
    finally:
        context.close()
    return rows


def _axe_rows(kind: str, check: str, rel: str, violations: list[dict]) -> list[Row]:
    if not violations:
        return [Row(kind, check, PASS, f"{rel}: 0 axe violations (WCAG 2.2 AA)")]
    rows = []
    for v in violations:
        targets = ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:3])
        more = f" and {len(v['nodes']) - 3} more" if len(v["nodes"]) > 3 else ""
        rows.append(
            Row(kind, check, FAIL, f"{rel}: {v['id']} ({v['impact']}): {v['help']} — at {targets}{more}")
        )
    return rows


def _budgets(site: Site, base: str, browser) -> list[Row]:
    budgets = site.settings.get("CHECK_BUDGETS") or {}
    sizes: dict[str, int] = {}
    measured: dict[str, list[tuple[str, int, dict]]] = defaultdict(list)
    rows = []
    requests: list[tuple[str, str]] = []
    context, page = _open(browser, base)
    page.on("request", lambda r: requests.append((r.url, r.resource_type)))
    try:
        for rel in site.pages:
            kind = site.types[rel]
            requests.clear()
            _visit(page, _url(site, base, rel))
            if MEDIA in budgets and page.evaluate(_HAS_MEDIA):
                kind = f"{kind} ({MEDIA})"
            parts: dict[str, int] = defaultdict(int)
            for url, resource_type in requests:
                if url.startswith(base):
                    parts[_part(resource_type)] += _size(site.output, url[len(base) - 1 :], sizes)
                elif resource_type == "subdocument":  # a frame from another site: a video facade must not
                    rows.append(
                        Row(kind, BUDGET_CHECK, FAIL, f"{rel}: loads a frame from {url} before any click")
                    )
                elif not url.startswith(("data:", "blob:")):
                    rows.append(Row(kind, BUDGET_CHECK, WARN, f"{rel}: loads {url} from another site"))
            measured[kind].append((rel, sum(parts.values()), parts))
    finally:
        context.close()

    for kind, pages in measured.items():
        key = MEDIA if kind.endswith(f"({MEDIA})") else kind
        budget = budgets.get(key, budgets.get("default"))
        if budget is None:
            rows.append(
                Row(kind, BUDGET_CHECK, FAIL, f"no budget for '{kind}' pages: add it to CHECK_BUDGETS")
            )
            continue
        over = [(rel, total, parts) for rel, total, parts in pages if total > budget]
        for rel, total, parts in over:
            rows.append(
                Row(kind, BUDGET_CHECK, FAIL, f"{rel}: {total:,} B > budget {budget:,} B ({_parts(parts)})")
            )
        if not over:
            rel, total, parts = max(pages, key=lambda p: p[1])
            text = f"{len(pages)} page(s) ≤ {budget:,} B; largest {rel}: {total:,} B ({_parts(parts)})"
            rows.append(Row(kind, BUDGET_CHECK, PASS, text))
    return rows


def _part(resource_type: str) -> str:
    names = {"document": "html", "stylesheet": "css", "font": "fonts", "image": "images", "script": "scripts"}
    return names.get(resource_type, "other")


def _parts(parts: dict[str, int]) -> str:
    return ", ".join(f"{name} {size:,}" for name, size in sorted(parts.items(), key=lambda p: -p[1]))


def _size(output: Path, url_path: str, cache: dict[str, int]) -> int:
    path = unquote(urlparse(url_path).path)
    if path not in cache:
        file = output / path.lstrip("/")
        if file.is_dir() or path.endswith("/"):
            file = file / "index.html"
        try:
            data = file.read_bytes()
        except OSError:
            data = b""  # a missing file: the link check names it
        squeeze = path.endswith(COMPRESSED) or file.suffix in COMPRESSED
        cache[path] = len(gzip.compress(data, compresslevel=6, mtime=0)) if squeeze and data else len(data)
    return cache[path]
