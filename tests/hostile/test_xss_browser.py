"""XSS payloads in every field a writer fills without raw HTML, run in Chromium, with and without CSP.

Each payload goes into an article's title and tags, and into a bibliography entry (title, author,
journal, note, URL) that the article cites (a summary is Markdown: raw HTML there is refused by the
build, tests/hostile/test_html.py). The build must accept them (they are data, not
markup) and every page must render them inert: no script runs in Chromium (a payload calls
``alert('xss-N')``, so a run shows as a dialog), and no payload becomes an element, an ``on*=``
attribute or a ``javascript:`` link in the HTML. The same pages are then loaded again with the
site's Content-Security-Policy from ``deploy/_headers`` (the S3 target has no CSP unless a CDN adds
one: the pages must be safe without it). The search page is searched for a payload word too.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT

pytestmark = pytest.mark.browser

# Vectors from the usual cheat sheets; {n} numbers each so a run names its payload.
_VECTORS = [
    "<script>alert('xss-{n}')</script>",
    "<img src=x onerror=alert('xss-{n}')>",
    "<svg onload=alert('xss-{n}')>",
    "<svg><script>alert('xss-{n}')</script></svg>",
    "<body onload=alert('xss-{n}')>",
    "<iframe srcdoc=\"<script>parent.alert('xss-{n}')</script>\"></iframe>",
    "<a href=javascript:alert('xss-{n}')>x</a>",
    "<details open ontoggle=alert('xss-{n}')>",
    "<input autofocus onfocus=alert('xss-{n}')>",
    "<video><source onerror=alert('xss-{n}')></video>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-{n}')>",
    "<object data=\"javascript:alert('xss-{n}')\"></object>",
    "<embed src=\"javascript:alert('xss-{n}')\">",
    "<marquee onstart=alert('xss-{n}')>",
    "<style>@import 'javascript:alert(\"xss-{n}\")';</style>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert('xss-{n}')\">",
    "<base href=javascript:alert('xss-{n}')//>",
    "<form><button formaction=javascript:alert('xss-{n}')>x</button></form>",
    "<ScRiPt>alert('xss-{n}')</sCrIpT>",
    "<scr<script>ipt>alert('xss-{n}')</script>",
    "<img src=x onerror=&#97;lert('xss-{n}')>",
    "<img src=`x` onerror=alert('xss-{n}')>",
    "javascript:alert('xss-{n}')",
]
_BREAKOUTS = ["{v}", '"><{t}', "'><{t}", "</script>{v}", "</title>{v}", "--><!--{v}", "*/{v}/*"]


def payloads() -> list[str]:
    out: list[str] = []
    for breakout in _BREAKOUTS:
        for vector in _VECTORS:
            out.append(breakout.format(v=vector, t=vector.lstrip("<")).replace("{n}", str(len(out))))
    return out[:92]


PAYLOADS = payloads()


def _article(n: int, payload: str) -> str:
    tags = f"t{n} " + payload.replace(",", " ")  # a tag needs a word for its slug
    return (
        f"Title: {payload}\nSlug: xss-{n}\nDate: 2025-03-01\nCategory: Back pain\nTags: {tags}, xss\n"
        "Summary: A hostile page.\nAuthor: alex-example\nReviewed_by: sam-sample\nReviewed: 2026-11-02\n\n"
        f"A page that cites a hostile bibliography entry [@xss{n}].\n"
    )


def _entry(n: int, payload: str) -> dict:
    return {
        "id": f"xss{n}",
        "type": "article-journal",
        "title": payload,
        "container-title": payload,
        "author": [{"family": payload, "given": "A."}],
        "note": payload,
        "URL": f"javascript:alert('xss-url-{n}')",
        "issued": {"date-parts": [[2020]]},
    }


@pytest.fixture(scope="module")
def hostile_site(box_factory):
    box = box_factory()
    for n, payload in enumerate(PAYLOADS):
        box.article(_article(n, payload), name=f"2025-03-01-xss-{n}.md")
    entries = [_entry(n, p) for n, p in enumerate(PAYLOADS)]
    box.write("content/references/xss.json", json.dumps(entries, ensure_ascii=False))
    result = box.build()
    assert result.returncode == 0, "\n".join(ln for ln in result.stderr.splitlines() if ": error:" in ln)
    return box.output


@pytest.fixture(scope="module")
def box_factory(pristine_sandbox, tmp_path_factory):
    from tests.hostile.harness import clone

    return lambda: clone(pristine_sandbox, tmp_path_factory.mktemp("xss") / "sandbox")


_URL_ATTRS = ("href", "src", "action", "formaction", "data", "xlink:href")


def _csp() -> str:
    text = (ROOT / "deploy" / "_headers").read_text(encoding="utf-8")
    return re.search(r"Content-Security-Policy:\s*(.+)", text)[1].strip()


def _pages(output) -> list[str]:
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))


def _pages_to_visit(output) -> list[str]:
    """Every page but the per-tag lists past the first few: they repeat the category lists' cards."""
    pages = _pages(output)
    tags = [p for p in pages if p.startswith("tag/")]
    return [p for p in pages if not p.startswith("tag/")] + tags[:5]


def test_no_payload_becomes_markup(hostile_site):
    """Static look: no payload element, handler attribute or javascript: URL in any page."""
    found = []
    for rel in _pages(hostile_site):
        soup = BeautifulSoup((hostile_site / rel).read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(True):
            ours = tag.name == "video" and "video__player" in (tag.get("class") or [])  # [[video: ...]]
            if tag.name in ("iframe", "object", "embed", "base", "marquee", "math", "video") and not ours:
                found.append(f"{rel}: <{tag.name}>")
            if tag.name == "meta" and tag.get("http-equiv"):
                found.append(f"{rel}: <meta http-equiv>")
            if tag.name == "script" and tag.get("type") == "application/ld+json":
                json.loads(tag.string)  # data stays data: a breakout would not parse
            elif tag.name in ("script", "style") and "xss-" in (tag.string or ""):
                found.append(f"{rel}: <{tag.name}> with a payload")
            for name, value in tag.attrs.items():
                text = " ".join(value) if isinstance(value, list) else str(value)
                if name.lower().startswith("on"):
                    found.append(f"{rel}: {tag.name} {name}=")
                if re.match(r"\s*(javascript|vbscript|data):", text, re.I) and name in _URL_ATTRS:
                    found.append(f"{rel}: {tag.name} {name}={text[:40]}")
    assert len(_pages(hostile_site)) > len(PAYLOADS)
    assert not found, found[:20]


# The static server of tests/browser_support.py, sending the site's CSP header with every response.
_CSP_SERVER = """
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Content-Security-Policy", sys.argv[2])
        super().end_headers()
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=sys.argv[1]))
print(server.server_address[1], flush=True)
server.serve_forever()
"""


@pytest.fixture
def csp_server(hostile_site):
    # upgrade-insecure-requests is left out: this server speaks plain HTTP on 127.0.0.1.
    policy = re.sub(r";\s*upgrade-insecure-requests", "", _csp())
    proc = subprocess.Popen(
        [sys.executable, "-c", _CSP_SERVER, str(hostile_site), policy], stdout=subprocess.PIPE, text=True
    )
    try:
        yield f"http://127.0.0.1:{int(proc.stdout.readline())}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


@pytest.mark.parametrize("csp", [False, True], ids=["no-csp", "csp"])
def test_no_payload_runs_in_chromium(hostile_site, serve_static, request, browser, csp):
    base = request.getfixturevalue("csp_server") if csp else serve_static(hostile_site)
    context = browser.new_context(viewport={"width": 375, "height": 812})
    ran: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda dialog: (ran.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    visited = 0
    try:
        for rel in _pages_to_visit(hostile_site):
            page.goto(base + rel, wait_until="load")
            visited += 1
        page.goto(base + "search/?q=alert", wait_until="load")
        # Pagefind renders titles and excerpts of hostile pages as results (no CSP blocks its wasm).
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15_000)
    finally:
        context.close()
    assert visited > len(PAYLOADS)
    assert not ran, f"{len(ran)} payload(s) ran: {ran[:10]}"
