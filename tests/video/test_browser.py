"""Videos and exercise pages in Chromium, served by `invoke serve` (sitetools/serve.py, with the
site's Content-Security-Policy): no request to YouTube or Vimeo until the visitor presses play, then
exactly one frame from youtube-nocookie.com / player.vimeo.com (there is no internet here: those
requests are recorded and aborted by Playwright's router: the honest "after" evidence); without
JavaScript the facade is a plain link; the example exercise page stays within its first-visit
budget at 375 px, is axe clean, and prints on one A4 page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from sitetools.checks import browser as browser_check
from sitetools.checks.report import PASS
from sitetools.checks.site import Site
from sitetools.placeholder_media import poster
from tests.conftest import ROOT, copy_project, run_build

PHONE = {"width": 375, "height": 812}
HEADER = (
    "Title: Two ways to watch\nDate: 2025-03-02\nCategory: Back pain\nAuthor: alex-example\n"
    "Reviewed_by: sam-sample\nReviewed: 2026-11-02\nSummary: Two videos.\n\n"
)
YOUTUBE_ID, VIMEO_ID = "aqz-KE-bpKQ", "76979871"
ARTICLE = "articles/two-ways-to-watch/"
EXAMPLE = "drafts/pages/run-walk-programme/"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("video") / "project")
    shutil.copytree(ROOT / "deploy", project / "deploy")  # the CSP the preview server sends
    poster().save(project / "content" / "images" / "bridge poster.png")
    (project / "content" / "articles" / "2025-03-02-videos.md").write_text(
        HEADER + "Text.\n\n"
        f"[[video: https://www.youtube.com/watch?v={YOUTUBE_ID} | poster: images/bridge poster.png | "
        "title: How to do a bridge]]\n\n"
        f"[[video: https://vimeo.com/{VIMEO_ID} | poster: images/bridge poster.png | title: Calf raise]]\n",
        encoding="utf-8",
    )
    output = project / "output"
    result = run_build(project, output, "--ignore-cache")
    assert result.returncode == 0, result.stderr
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitetools.serve", "--output", str(output), "--port", "0"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
    )
    try:
        line = proc.stdout.readline()
        base = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert base, line + proc.stderr.read()
        yield base.group(0), output
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _recording(context, base: str) -> tuple[list, list]:
    """(every request, the third-party ones): a request off 127.0.0.1 is recorded and aborted."""
    seen, third = [], []
    context.on("request", lambda r: seen.append((r.resource_type, r.url)))

    def route(route):
        if route.request.url.startswith(base):
            route.continue_()
        else:
            third.append((route.request.resource_type, route.request.url))
            route.abort()

    context.route("**/*", route)
    return seen, third


def _scroll_through(page) -> None:
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(300)


def test_nothing_loads_from_youtube_or_vimeo_until_play_is_pressed(browser, served, capsys):
    base, _ = served
    context = browser.new_context(viewport=PHONE)
    seen, third = _recording(context, base)
    page = context.new_page()
    response = page.goto(base + ARTICLE, wait_until="networkidle")
    _scroll_through(page)
    before = list(third)
    assert before == [], f"third-party requests before any click: {before}"
    csp = response.headers["content-security-policy"]
    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com;" in csp

    youtube = page.get_by_role("button", name=re.compile("Play video: How to do a bridge"))
    youtube.click()
    page.wait_for_timeout(500)
    vimeo = page.get_by_role("button", name=re.compile("Play video: Calf raise"))
    vimeo.focus()
    page.keyboard.press("Enter")  # a real button: the keyboard works too
    page.wait_for_timeout(500)
    frames = [f.get_attribute("src") for f in page.locator("iframe").all()]
    assert frames == [
        f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}?autoplay=1",
        f"https://player.vimeo.com/video/{VIMEO_ID}?dnt=1&autoplay=1",
    ]
    assert third == [("document", frames[0]), ("document", frames[1])], third
    assert page.locator("iframe").first.get_attribute("title") == "How to do a bridge"

    # the CSP allows those two frame sources and nothing else: a frame from another host is never requested
    page.evaluate(
        "() => { const f = document.createElement('iframe'); f.src = 'https://evil.test/x'; "
        "document.body.append(f); }"
    )
    page.wait_for_timeout(500)
    assert [u for _, u in third if "evil.test" in u] == []
    own = sorted({urlsplit(u).path for _, u in seen if u.startswith(base)})
    with capsys.disabled():
        print(
            f"\n  network before the click: {len(own)} requests, all to 127.0.0.1 ({', '.join(own)}); "
            "third-party: none"
        )
        print(f"  after the clicks (recorded, aborted: no internet): {third}")
    context.close()


def test_without_javascript_the_facade_is_a_plain_link_to_the_video(browser, served):
    base, _ = served
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    _seen, third = _recording(context, base)
    page = context.new_page()
    page.goto(base + ARTICLE, wait_until="networkidle")
    _scroll_through(page)
    link = page.get_by_role("link", name=re.compile("Play video: How to do a bridge"))
    assert link.get_attribute("href") == f"https://www.youtube.com/watch?v={YOUTUBE_ID}"
    assert page.locator("iframe").count() == 0 and third == []
    page.set_viewport_size({"width": 320, "height": 700})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
    feed = (served[1] / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert f"https://www.youtube.com/watch?v={YOUTUBE_ID}" in feed  # the facade's link, in the feed too
    assert "js/video.js" not in feed and "&lt;source" not in feed and "srcset" not in feed


def test_the_example_exercise_page_within_budget_axe_clean_captions_and_one_a4_page(browser, served, capsys):
    base, output = served
    html = (output / EXAMPLE / "index.html").read_text(encoding="utf-8")
    assert '<track kind="captions" src="../../../videos/run-walk-intervals.vtt"' in html
    assert 'preload="none"' in html and html.count("<picture>") == 3
    import pelicanconf

    settings = {"CHECK_BUDGETS": pelicanconf.CHECK_BUDGETS}
    site = Site(output.resolve(), settings)
    for rel in (EXAMPLE + "index.html", ARTICLE + "index.html"):
        site.pages.append(rel)
        site.types[rel] = site.page_type(rel)
    rows = browser_check.run(site, browser=browser)
    assert all(r.result == PASS for r in rows), "\n".join(
        f"{r.page_type} {r.check} {r.result} {r.where}" for r in rows
    )
    budgets = [r.where for r in rows if r.check == browser_check.BUDGET_CHECK]
    assert any("(media)" in r.page_type for r in rows)

    context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    seen, third = _recording(context, base)
    page = context.new_page()
    page.goto(base + EXAMPLE, wait_until="networkidle")
    _scroll_through(page)
    # a 375 px phone at 2x gets, for each photo it loads, the smallest copy at least as wide as the
    # device pixels it paints (a 309 CSS px photo in a card: 618 px, the 686 px copy), in WebP
    shown = page.evaluate(
        "[...document.querySelectorAll('main picture img')].filter(i => i.currentSrc)"
        ".map(i => [i.currentSrc, i.clientWidth])"
    )
    assert len(shown) >= 2, shown
    for src, painted in shown:
        width = int(re.search(r"-(\d+)w\.webp$", src).group(1))
        assert width == min(w for w in (343, 686, 800) if w >= painted * 2), (src, painted)
    assert not [u for _, u in seen if u.endswith(".webm")], "the video downloaded before it was played"
    captions = page.evaluate("fetch(document.querySelector('track').src).then(r => r.text())")
    assert captions.startswith("WEBVTT")
    loaded = sorted({urlsplit(u).path.rsplit("/", 1)[1] for t, u in seen if t == "image"})
    for width in (320, 375):  # nothing wider than a small phone's screen
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, "the programme does not print on one A4 page"
    with capsys.disabled():
        print("\n  " + "\n  ".join(budgets))
        print(f"  images a 375 px phone loads on first visit: {', '.join(loaded)}")
    assert third == []
    context.close()
