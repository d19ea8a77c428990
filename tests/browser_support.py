"""Reusable browser-test fixtures: Debian's Chromium through Playwright, and static servers on 127.0.0.1.

Use them from a conftest.py::

    from tests.browser_support import browser, page, serve_static  # noqa: F401

- ``browser`` (session): Playwright's Chromium at /usr/bin/chromium, headless, with the flags that
  keep it off the network (no `playwright install`: the Debian package is the browser).
- ``page`` (function): a fresh context and page in that browser, closed afterwards.
- ``serve_static`` (session): a factory, ``serve_static(folder) -> "http://127.0.0.1:PORT/"``, each
  server a child process on a free port, stopped by its PID when the session ends.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitetools.checks.tools import CHROMIUM_ARGS  # one list of flags for the checks and the tests

CHROMIUM = Path("/usr/bin/chromium")

# The server binds port 0 (the OS picks a free port), prints the port, then serves until stopped.
_SERVER = """
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
handler.log_message = lambda *args: None
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


class StaticServer:
    """A folder served over HTTP on 127.0.0.1 by a child process; `stop()` ends it by its PID."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _SERVER, str(self.folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline().strip()
        if not line.isdigit():
            self.stop()
            raise RuntimeError(f"the static server did not start: {self.proc.stderr.read()}")
        self.port = int(line)
        self.url = f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()


@pytest.fixture(scope="session")
def serve_static():
    """serve_static(folder) -> base URL (ends with "/"); every server is stopped at the end."""
    servers: list[StaticServer] = []

    def start(folder: str | Path) -> str:
        server = StaticServer(folder)
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless and offline-friendly, for the whole session."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run `apt-get update && apt-get install -y chromium` (as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A new page in a fresh browser context (no cookies or history shared between tests)."""
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
