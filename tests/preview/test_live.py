"""The live preview as a writer uses it: save, see the page; make a mistake, see the message; fix it.

One live-reload process (the real one, `python -m sitetools.preview`) runs on a private copy of
the project; the test edits files there and waits for the build it triggers (no timing asserts:
each wait only has a generous upper bound). After a series of edits the output folder must equal
what a full `python -m sitetools.build` writes from the same sources.
"""

from __future__ import annotations

import filecmp
import http.client
import json
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import copy_project, run_build

SEED = "content/articles/2025-01-31-back-pain-how-running-can-help.md"
NEW = "content/articles/2025-03-01-knee-pain.md"
NEW_TEXT = """Title: Knee Pain: Where To Start
Date: 2025-03-01
Category: Knee pain
Tags: running, knee
Author: alex-example
Summary: Where to start with knee pain.

Knee pain is common in runners.
"""


class Live:
    def __init__(self, project: Path, output: Path) -> None:
        self.project, self.output = project, output
        self.log = open(project / "live.log", "w+", encoding="utf-8")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sitetools.preview",
                "--output",
                str(output),
                "--port",
                "0",
                "--no-search",
            ],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin", "HOME": str(project)},
        )
        line = self.proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, f"no server line: {line!r}\n{self.stderr()}"
        self.base = f"http://127.0.0.1:{match.group(1)}"
        self.version = self.status()["version"]

    def stderr(self) -> str:
        self.log.flush()
        return (self.project / "live.log").read_text(encoding="utf-8")

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.base + path, timeout=30) as response:
            return response.read().decode("utf-8")

    def status(self) -> dict:
        return json.loads(self.get("/__live/status"))

    def save(self, rel: str, text: str | None) -> dict:
        """Write (None: delete) a file, then wait for the build it starts; return the status."""
        path = self.project / rel
        if text is None:
            path.unlink()
        else:
            path.write_text(text, encoding="utf-8")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"the live preview stopped:\n{self.stderr()}"
            status = self.status()
            if status["version"] > self.version and not status["busy"]:
                self.version = status["version"]
                time.sleep(0.25)  # a save just before this one may have started a build that ended
                again = self.status()  # first: then this save's build follows at once; wait for it
                if again["version"] == self.version and not again["busy"]:
                    return status
            time.sleep(0.05)
        raise AssertionError(f"no build after saving {rel}:\n{self.stderr()}")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.log.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("preview") / "project")
    server = Live(project, project / "live-output")
    assert server.status()["ok"], server.stderr()
    yield server
    server.stop()


def _same_file(a: Path, b: Path) -> bool:
    if a.name != "sitemap.xml":
        return filecmp.cmp(a, b, shallow=False)
    # The sitemap plugin dates pages that have no date of their own with the time the build ran.
    build_time = re.compile(r"<lastmod>[^<]*T(?!00:00:00)[^<]*</lastmod>")
    return build_time.sub("", a.read_text()) == build_time.sub("", b.read_text())


def differences(a: Path, b: Path) -> list[str]:
    """Files that differ between two output trees (the search index is built at start only)."""
    found = []
    names_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    names_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    for name in sorted(names_a ^ names_b):
        if not name.startswith("pagefind/"):
            found.append(f"only in one tree: {name}")
    for name in sorted(names_a & names_b):
        if not name.startswith("pagefind/") and not _same_file(a / name, b / name):
            found.append(f"differs: {name}")
    return found


def assert_equals_full_build(live: Live, tmp_path: Path) -> None:
    full = run_build(live.project, tmp_path / "full")
    assert full.returncode == 0, full.stderr
    assert differences(live.output, full.output) == []


def test_edits_show_up_and_equal_a_full_build(live, tmp_path):
    seed = live.project / SEED
    original = seed.read_text(encoding="utf-8")
    page = live.get("/articles/back-pain-how-running-can-help-not-harm/")
    assert "Back Pain: How Running Can Help, Not Harm" in page
    assert "/__live/events" in page  # the reload script, served by the preview only ...
    assert "__live" not in (live.output / "index.html").read_text(encoding="utf-8")  # ... not in files

    # A title change (the slug follows the title): the new page appears, the old one goes.
    retitled = original.replace(
        "Title: Back Pain: How Running Can Help, Not Harm", "Title: Back Pain and Running"
    )
    assert live.save(SEED, retitled)["ok"]
    assert "Back Pain and Running" in live.get("/articles/back-pain-and-running/")
    assert not (live.output / "articles/back-pain-how-running-can-help-not-harm/index.html").exists()
    assert "Back Pain and Running" in live.get("/")

    # A tag change, a new article, a citation added to it.
    retagged = retitled.replace("Tags: running, low back pain, exercise", "Tags: running, back care")
    assert live.save(SEED, retagged)["ok"]
    assert "Back Pain and Running" in live.get("/tag/back-care/")
    assert live.save(NEW, NEW_TEXT)["ok"]
    assert "Knee pain is common in runners." in live.get("/articles/knee-pain-where-to-start/")
    cited = NEW_TEXT.replace("common in runners.", "common in runners [@hartvigsen2018].")
    assert live.save(NEW, cited)["ok"]
    article = live.get("/articles/knee-pain-where-to-start/")
    assert "Hartvigsen" in article and "References" in article
    # A text-only edit: only what shows the text changes.
    assert live.save(NEW, cited + "\nStart with walking.\n")["ok"]
    assert "Start with walking." in live.get("/articles/knee-pain-where-to-start/")
    assert_equals_full_build(live, tmp_path / "one")

    # Deleting an article removes its page and every mention of it.
    assert live.save(NEW, None)["ok"]
    assert not (live.output / "articles/knee-pain-where-to-start/index.html").exists()
    assert "Knee Pain" not in live.get("/")
    seed.write_text(original, encoding="utf-8")
    assert live.save(SEED, original)["ok"]
    assert_equals_full_build(live, tmp_path / "two")


def test_a_bibliography_edit_shows_in_the_article_that_cites_it(live, tmp_path):
    bib = "content/references/back-pain-running.bib"
    original = (live.project / bib).read_text(encoding="utf-8")
    old_title = "What low back pain is and why we need to pay attention"
    assert old_title in live.get("/articles/back-pain-how-running-can-help-not-harm/")
    article = "/articles/back-pain-how-running-can-help-not-harm/"

    def shows(text: str) -> bool:  # a build of an earlier save may end first: wait for this one's
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if text in live.get(article):
                return True
            time.sleep(0.05)
        return False

    try:
        assert live.save(bib, original.replace(old_title, "What low back pain is, retitled"))["ok"]
        assert shows("What low back pain is, retitled") and old_title not in live.get(article)
        assert_equals_full_build(live, tmp_path / "retitled")
    finally:
        assert live.save(bib, original)["ok"]
    assert shows(old_title)


def test_an_error_replaces_the_page_and_clears_when_fixed(live):
    seed = live.project / SEED
    original = seed.read_text(encoding="utf-8")
    url = "/articles/back-pain-how-running-can-help-not-harm/"
    broken = original.replace("[@hartvigsen2018]", "[@hartvigsen2019]", 1)
    line = broken.splitlines().index(next(x for x in broken.splitlines() if "hartvigsen2019" in x)) + 1
    message = f"{SEED}:{line}: error: unknown citation key 'hartvigsen2019' (did you mean 'hartvigsen2018'?)"
    status = live.save(SEED, broken)
    assert not status["ok"]
    assert message in status["diagnostics"]
    shown = live.get(url)
    assert "The site could not be built" in shown
    assert "unknown citation key &#x27;hartvigsen2019&#x27;" in shown  # escaped, as every line is
    assert "live preview" in live.get("/")  # every page shows it, not a stale page
    assert "Back Pain: How Running Can Help" in (live.output / url.strip("/") / "index.html").read_text(
        encoding="utf-8"
    )  # the last good page is kept on disk

    assert live.save(SEED, original)["ok"]
    assert "The site could not be built" not in live.get(url)
    assert "Back Pain: How Running Can Help, Not Harm" in live.get(url)


def test_saves_in_the_middle_of_typing_do_not_stop_the_preview(live):
    original = (live.project / SEED).read_text(encoding="utf-8")
    # Half-written metadata: the date is being typed.
    half = original.replace("Date: 2025-01-31", "Date: 2025-0")
    status = live.save(SEED, half)
    assert not status["ok"]
    assert any(f"{SEED}:2: error: 'date: 2025-0' is not a date" in d for d in status["diagnostics"])
    # The header is still being typed: a field without its colon yet.
    status = live.save(SEED, "Title: Back Pain\nDat\n")
    assert not status["ok"]
    # A new article with an unclosed citation bracket, and a key half typed.
    assert not live.save(NEW, NEW_TEXT + "\nAs shown before [@hartv\n")["ok"]
    # The header is finished: the next problem shows.
    status = live.save(SEED, original)
    assert not status["ok"]
    assert any(f"{NEW}:10: error: unknown citation key 'hartv'" in d for d in status["diagnostics"]), status
    # The next good save recovers.
    status = live.save(NEW, None)
    assert status["ok"], status["diagnostics"]
    assert "Back Pain: How Running Can Help, Not Harm" in live.get(
        "/articles/back-pain-how-running-can-help-not-harm/"
    )
    assert live.proc.poll() is None


def test_the_error_page_escapes_what_it_shows():
    from sitetools.preview.server import error_page

    page = error_page(["content/x.md:1: error: <script>alert(1)</script>"], 3)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _log_after(live: Live, mark: int) -> str:
    return live.stderr()[mark:]


def test_only_a_loopback_host_is_answered(live):
    port = live.base.rsplit(":", 1)[1]
    for host, expected in ((f"localhost:{port}", 200), (f"evil.example:{port}", 403), ("10.0.0.1", 403)):
        for path in ("/", "/__live/status"):
            conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
            conn.request("GET", path, headers={"Host": host})
            response = conn.getresponse()
            body = response.read().decode()
            conn.close()
            assert response.status == expected, (host, path)
            if expected == 403:  # DNS rebinding cannot read a draft's page or the build's messages
                assert "answers only to http://127.0.0.1/" in body and "version" not in body


def test_a_rebuild_prints_what_changed_and_a_failed_one_only_its_errors(live):
    seed = live.project / SEED
    original = seed.read_text(encoding="utf-8")
    # A mistyped key: the failed build sees hartvigsen2018 cited nowhere. It must not report it (and
    # the others) as "never cited", nor repeat the unrelated warnings: only its error.
    mark = len(live.stderr())
    assert not live.save(SEED, original.replace("[@hartvigsen2018]", "[@hartvigsen2019]", 1))["ok"]
    printed = _log_after(live, mark)
    assert f"{SEED}:" in printed and "error: unknown citation key 'hartvigsen2019'" in printed
    assert "never cited" not in printed and ": warning:" not in printed, printed

    # The fix: the findings are those of the last good build, so nothing is printed again.
    mark = len(live.stderr())
    assert live.save(SEED, original)["ok"]
    printed = _log_after(live, mark)
    assert ": warning:" not in printed and ": note:" not in printed, printed
    assert "earlier finding(s) unchanged, not repeated" in printed

    # A new finding in the edited file is printed; removing it again reports it fixed. Findings
    # about other files (reading age of the pages) are not repeated.
    mark = len(live.stderr())
    typed = original + "\nHartvigsen et al. 2018 found the same.\n"
    assert live.save(SEED, typed)["ok"]
    lines = _log_after(live, mark).splitlines()
    new = [
        ln for ln in lines if "hartvigsen2018" in ln and ": warning:" in ln and not ln.startswith("fixed:")
    ]
    assert len(new) == 1 and new[0].startswith(f"{SEED}:"), lines
    assert not any("content/pages/" in ln for ln in lines), lines
    mark = len(live.stderr())
    assert live.save(SEED, original)["ok"]
    lines = _log_after(live, mark).splitlines()
    assert [ln for ln in lines if "hartvigsen2018" in ln] == [f"fixed: {new[0]}"], lines
    assert live.save(SEED, original)["ok"]


def test_starting_the_preview_never_removes_the_site_it_replaces(tmp_path):
    project = copy_project(tmp_path / "project")
    output = project / "output"
    built = run_build(project, output)
    assert built.returncode == 0, built.stderr
    (output / "stale-page.html").write_text("from an older build", encoding="utf-8")
    missing, stop = [], threading.Event()

    def watch() -> None:  # what a browser or `make serve` would see while the preview starts
        while not stop.is_set():
            if not (output / "index.html").is_file():
                missing.append(time.monotonic())
            time.sleep(0.0005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        server = Live(project, output)
    finally:
        stop.set()
        watcher.join()
    try:
        assert server.status()["ok"], server.stderr()
        assert missing == [], f"output/index.html was missing {len(missing)} time(s) during the start"
        assert not (output / "stale-page.html").exists()  # the start still yields exactly a full build
        assert sorted(p.name for p in project.iterdir() if p.name.startswith(".output.")) == []
        assert not list(output.rglob("*.tmp"))
    finally:
        server.stop()


def _events(live: Live):
    """The preview's event stream (Server-Sent Events): yields each event's status."""
    conn = http.client.HTTPConnection("127.0.0.1", int(live.base.rsplit(":", 1)[1]), timeout=60)
    conn.request("GET", "/__live/events")
    response = conn.getresponse()
    assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"
    try:
        while line := response.fp.readline():
            if line.startswith(b"data: "):
                yield json.loads(line[6:])
    finally:
        conn.close()


def test_each_build_is_pushed_to_the_browser_without_polling(live):
    events = _events(live)
    now = next(events)  # on connecting: the last build
    assert now["version"] == live.status()["version"] and now["ok"]
    original = (live.project / SEED).read_text(encoding="utf-8")
    (live.project / SEED).write_text(original + "\nPushed, not polled.\n", encoding="utf-8")
    pushed = next(events)  # sent when the build finishes, not when asked
    assert pushed["version"] == now["version"] + 1 and pushed["ok"] and not pushed["busy"]
    assert pushed["kind"] == "incremental"  # every plugin declares its live-reload scope
    assert "Pushed, not polled." in live.get("/articles/back-pain-how-running-can-help-not-harm/")
    live.version = pushed["version"]
    assert live.save(SEED, original)["ok"]


def test_another_pelican_version_is_refused_with_what_to_do():
    from sitetools.pelican_private import PELICAN_VERSION, PelicanVersionError, check_version

    check_version(PELICAN_VERSION)
    with pytest.raises(PelicanVersionError) as error:
        check_version("4.13.0")
    message = str(error.value)
    assert message.startswith("sitetools/pelican_private.py: error: Pelican 4.13.0 is installed")
    assert "install the pinned version (`make venv`)" in message
