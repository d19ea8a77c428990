"""Screenshots of the built site, to look at with your own eyes: `invoke screenshots`.

    python -m sitetools.screenshots [--output output] [--into test-artifacts/screenshots]
                                    [--page home=index.html ...] [--full-page]

Serves the built site on 127.0.0.1 (sitetools.checks.server, stopped by its PID), opens each page in
Debian's Chromium at phone widths (320, 375, 414 px) and a desktop width (1280 px), in the light and
the dark colour scheme, and writes one PNG per combination: ``home-375-light.png``,
``article-1280-dark.png``...
Also one print-preview PNG per page (``home-print.png``: the print stylesheet at A4 width).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitetools.checks.server import serve
from sitetools.checks.tools import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
PAGES = {
    "home": "index.html",
    "article": "articles/back-pain-how-running-can-help-not-harm/index.html",
    "page": "is-running-right-for-you/index.html",
    "booking": "book/index.html",
    "search": "search/index.html",
}
WIDTHS = {320: 640, 375: 812, 414: 896, 1280: 900}  # viewport width: height
SCHEMES = ("light", "dark")


def take(output: Path, into: Path, pages: dict[str, str], full_page: bool = False) -> list[Path]:
    """Write the screenshots of `pages` (name: path under output/) into `into`; return their paths."""
    from playwright.sync_api import sync_playwright

    into.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with serve(output) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for width, height in WIDTHS.items():
                for scheme in SCHEMES:
                    context = browser.new_context(
                        viewport={"width": width, "height": height},
                        color_scheme=scheme,
                        device_scale_factor=1,
                        is_mobile=width < 600,
                        has_touch=width < 600,
                    )
                    page = context.new_page()
                    for name, rel in pages.items():
                        page.goto(base + rel, wait_until="load")
                        path = into / f"{name}-{width}-{scheme}.png"
                        page.screenshot(path=str(path), full_page=full_page)
                        written.append(path)
                    context.close()
            context = browser.new_context(viewport={"width": 794, "height": 1123})
            page = context.new_page()
            page.emulate_media(media="print")
            for name, rel in pages.items():
                page.goto(base + rel, wait_until="load")
                path = into / f"{name}-print.png"
                page.screenshot(path=str(path), full_page=True)
                written.append(path)
            context.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / "output"), help="the built site (default output/)")
    parser.add_argument("--into", default=str(ROOT / "test-artifacts" / "screenshots"))
    parser.add_argument("--page", action="append", default=[], metavar="NAME=PATH", help="pages to shoot")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not only the first screen")
    args = parser.parse_args(argv)
    pages = dict(p.split("=", 1) for p in args.page) if args.page else PAGES
    for path in take(Path(args.output), Path(args.into), pages, args.full_page):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
