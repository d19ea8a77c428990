"""The web editor as a writer uses it, in Chromium: Decap CMS on /admin/ with its local backend.

One editor server (`python -m sitetools.cms`, which starts decap-server) runs on a private copy of
the project for the whole module; each test works in that copy's content/ folder.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT, copy_project, run_build

pytestmark = pytest.mark.browser

SEED = "content/articles/2025-01-31-back-pain-how-running-can-help.md"
BODY = """Knee pain is common in runners [@hartvigsen2018].

!!! urgent "Contact your GP or NHS 111 today if:"
    - your knee is hot and swollen

[[book]]
"""


class Editor:
    def __init__(self, project: Path) -> None:
        self.project = project
        self.log = open(project / "cms.log", "w+", encoding="utf-8")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sitetools.cms", "--port", "0", "--backend-port", "0"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(project)},
        )
        line = self.proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/admin/ \(decap-server on (\S+), PID (\d+)", line)
        if not match:
            self.stop()
            pytest.fail(f"the editor did not start: {line!r}\n{(project / 'cms.log').read_text()}")
        self.base = f"http://127.0.0.1:{match.group(1)}"
        self.backend, self.backend_pid = match.group(2), int(match.group(3))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self.log.close()


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    if not (ROOT / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file():
        pytest.fail("node_modules/decap-cms is missing: run `npm ci --ignore-scripts` (make test does)")
    project = copy_project(tmp_path_factory.mktemp("cms") / "project")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    server = Editor(project)
    yield server
    server.stop()
    with pytest.raises(ProcessLookupError):  # decap-server was stopped with the editor, by its PID
        os.kill(server.backend_pid, 0)


def open_entry(page, editor: Editor, route: str, requests: list[str]) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{editor.base}/admin/")
    page.get_by_role("button", name="Login").click()
    page.goto(f"{editor.base}/admin/#/collections/{route}")


def reopen(page, editor: Editor, route: str) -> None:
    """Open another entry in a fresh page load (still logged in): Decap keeps the last entry's data
    when only the address's #fragment changes."""
    page.goto("about:blank")
    page.goto(f"{editor.base}/admin/#/collections/{route}")


def third_party(requests: list[str]) -> list[str]:
    """Requests that would leave the machine (data: and blob: URLs are no requests)."""
    network = [url for url in requests if urlsplit(url).scheme not in ("data", "blob", "about")]
    assert network, "no request was recorded"
    return [url for url in network if urlsplit(url).hostname != "127.0.0.1"]


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def publish(page, path: Path, before: str | None = None) -> str:
    """Publish (in the local backend: write the file), wait until the file changes, return its text."""
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()
    deadline = time.monotonic() + 30
    last = None
    while time.monotonic() < deadline:
        text = path.read_text(encoding="utf-8") if path.is_file() else None
        if text and text != before and text == last:  # changed, and whole (decap-server truncates first)
            return text
        last = text
        time.sleep(0.1)
    pytest.fail(f"{path.name} was not saved within 30 s")


def preview_text(page, says: str) -> str:
    frame = page.frame_locator("iframe").first
    frame.get_by_text(says).first.wait_for(timeout=30_000)
    return frame.locator("body").inner_text()


def test_a_new_article_is_saved_in_the_documented_format_and_builds(editor, page, tmp_path):
    requests: list[str] = []
    open_entry(page, editor, "articles/new", requests)
    page.get_by_label("Title").fill("Knee Pain: Where To Start")
    page.get_by_label("Date").fill("2025-03-01")
    page.get_by_label("Category").fill("Knee pain")
    page.get_by_label(re.compile(r"^Reviewed(?! by)")).fill("2025-02-20")
    for label, name in (("Author", "Alex Example"), ("Reviewed by", "Sam Sample")):
        page.get_by_label(re.compile(f"^{label}(?![a-z])")).click()
        page.get_by_role("option", name=re.compile(name)).first.click()
    page.locator("[contenteditable=true]").click()
    page.keyboard.insert_text(BODY)
    # The preview is the site's own build of the entry: the citation formatted, the card, the link.
    shown = preview_text(page, "The site's build accepts this article")
    assert "(Hartvigsen et al., 2018)" in shown
    assert "Contact your GP or NHS 111 today if:" in shown and "Book a physiotherapy assessment" in shown
    saved = editor.project / f"content/articles/{dt.date.today():%Y-%m-%d}-knee-pain-where-to-start.md"
    assert publish(page, saved) == (
        "Title: Knee Pain: Where To Start\n"
        "Date: 2025-03-01\n"
        "Category: Knee pain\n"
        "Author: alex-example\n"
        "Reviewed_by: sam-sample\n"
        "Reviewed: 2025-02-20\n"
        "Status: draft\n"
        "\n" + BODY
    )
    result = run_build(editor.project, tmp_path / "output")
    assert result.returncode == 0, result.stderr
    page_html = result.page("drafts/knee-pain-where-to-start/index.html")
    assert "Hartvigsen" in page_html and "care-card--urgent" in page_html
    assert third_party(requests) == []


def test_editing_one_field_of_the_seed_article_changes_only_that_line(editor, page):
    path = editor.project / SEED
    before = path.read_text(encoding="utf-8")
    requests: list[str] = []
    open_entry(page, editor, "articles/entries/2025-01-31-back-pain-how-running-can-help", requests)
    page.get_by_label("Tags").fill("running, low back pain, exercise, marathon")
    preview_text(page, "The site's build accepts this article")
    after = publish(page, path, before)
    assert changed_lines(before, after) == [
        "-Tags: running, low back pain, exercise",
        "+Tags: running, low back pain, exercise, marathon",
    ]
    # The text: a sentence added at its end; the cards, citations and markers above stay as written.
    page.locator("[contenteditable=true]").click()
    page.keyboard.press("Control+End")
    page.keyboard.insert_text("\n\nSee you soon.")
    assert changed_lines(after, publish(page, path, after)) == ["+", "+See you soon."]
    assert third_party(requests) == []


def test_the_preview_shows_the_builds_error_at_its_line(editor, page):
    requests: list[str] = []
    open_entry(page, editor, "pages/entries/is-running-right-for-you", requests)
    page.get_by_label("Category").fill("?")  # no letters: the build refuses it (and so does the field)
    shown = preview_text(page, "The site's build refuses this page")
    assert "content/pages/is-running-right-for-you.md:8: error: 'category: ?': '?' has no letters" in shown
    # Nothing was saved: the page in content/ is the one the writer opened.
    assert (editor.project / "content/pages/is-running-right-for-you.md").read_bytes() == (
        ROOT / "content/pages/is-running-right-for-you.md"
    ).read_bytes()


FORMAT_CASES = {
    # name: (file as written, edit applied to the data, file expected back)
    "crlf, continuation line, unknown key, repeated tags: kept": (
        "Title: A\r\nSummary: one\r\n  two\r\nXyz: kept\r\ntags: a\r\ntags: b\r\n\r\nText\r\n",
        {},
        "Title: A\r\nSummary: one\r\n  two\r\nXyz: kept\r\ntags: a\r\ntags: b\r\n\r\nText\r\n",
    ),
    "a changed field keeps its spelling and place": (
        "title: A\nREVIEWED: 2025-01-01\nAuthor: x\n\nText\n",
        {"reviewed": "2025-06-01"},
        "title: A\nREVIEWED: 2025-06-01\nAuthor: x\n\nText\n",
    ),
    "an emptied field is removed, a new one added in the editor's order": (
        "Title: A\nTags: a, b\nStatus: draft\n\nText\n",
        {"tags": "", "booking": "classes"},
        "Title: A\nStatus: draft\nBooking: classes\n\nText\n",
    ),
    "a line break typed into a box stays one header line": (
        "Title: A\n\nText\n",
        {"summary": "One sentence.\nTwo."},
        "Title: A\nSummary: One sentence. Two.\n\nText\n",
    ),
    "several authors: a list in the editor, one line in the file": (
        "Title: A\nAuthors: alex-example,sam-sample\n\nText\n",
        {"title": "B"},
        "Title: B\nAuthors: alex-example,sam-sample\n\nText\n",
    ),
    "an author removed from the list": (
        "Title: A\nAuthors: alex-example,sam-sample\n\nText\n",
        {"authors": ["sam-sample"]},
        "Title: A\nAuthors: sam-sample\n\nText\n",
    ),
    "YAML-style fences as the meta extension allows them": (
        "---\nTitle: A\n---\n\nText\n",
        {"title": "B"},
        "---\nTitle: B\n---\n\nText\n",
    ),
}


def test_the_pelican_format_round_trips(editor, page):
    page.goto(f"{editor.base}/admin/site.json")
    page.add_script_tag(url="/admin/pelican-format.js")
    order = ["title", "date", "category", "tags", "summary", "booking", "status"]
    for name, (written, edit, expected) in FORMAT_CASES.items():
        back = page.evaluate(
            "([text, edit, order]) => "
            "PelicanFormat.serialise(Object.assign(PelicanFormat.parse(text), edit), order)",
            [written, edit, order],
        )
        assert back == expected, name


def test_the_local_backend_cannot_write_outside_content(editor):
    """decap-server's root is content/: even a request made straight to it cannot reach the settings."""
    settings = editor.project / "pelicanconf.py"
    before = settings.read_bytes()
    for path in ("../pelicanconf.py", "/etc/x.md", "articles/../../pelicanconf.py"):
        entry = {"path": path, "raw": "import os\n"}
        body = {"action": "persistEntry", "params": {"entry": entry, "assets": [], "options": {}}}
        request = urllib.request.Request(
            editor.backend, json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=30)
    assert settings.read_bytes() == before


def test_the_local_backend_answers_only_to_a_loopback_host(editor):
    """DNS rebinding: a page on another site whose name resolves to 127.0.0.1 talks to decap-server as
    its own origin (no CORS stands in the way); decap-server checks no Host, so without the site's guard
    that page could read, rewrite and delete every file in content/."""
    article = "articles/2025-01-31-back-pain-how-running-can-help.md"
    body = json.dumps({"action": "getEntry", "params": {"branch": "main", "path": article}}).encode()

    def ask(host: str) -> int:
        headers = {"Content-Type": "application/json", "Host": host}
        request = urllib.request.Request(editor.backend, body, headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    port = urlsplit(editor.backend).port
    assert ask(f"127.0.0.1:{port}") == 200 and ask(f"localhost:{port}") == 200
    assert ask(f"rebind.evil.example:{port}") == 403
    assert ask("evil.example") == 403


TIMETABLE = "content/timetable.yaml"
BIB = """@article{smith2024knee,
  title = {Knee pain in runners},
  author = {Smith, Jane},
  date = {2024},
  journaltitle = {Journal of Running Medicine},
  volume = {3},
  pages = {1--9},
}
"""


def test_the_timetable_form_and_a_bibliography_upload_reach_the_built_site(editor, page, tmp_path):
    """The timetable as a form: one changed time is one changed line, one added no-class date one added
    line; a Zotero export uploaded (a file that is no bibliography refused, with the reason) and cited
    in a page; one build shows all three."""
    path = editor.project / TIMETABLE
    before = path.read_text(encoding="utf-8")
    requests: list[str] = []
    open_entry(page, editor, "timetable/entries/timetable", requests)
    page.get_by_label("Time", exact=True).first.fill("18:45")
    assert "Tuesdays, 6:45pm to 7:45pm" in preview_text(page, "The site's build accepts this timetable")
    after = publish(page, path, before)
    assert changed_lines(before, after) == ['-    time: "18:30"', '+    time: "18:45"']
    dates = page.get_by_label("Date", exact=True)
    count = dates.count()
    page.get_by_role("button", name="Add date").first.click()
    assert dates.count() == count + 1
    dates.nth(4).fill("2027-03-02")  # the first class's fifth date (it had four)
    added = publish(page, path, after)
    assert changed_lines(after, added) == ["+      - 2027-03-02"]

    reopen(page, editor, "references/new")
    upload = page.get_by_label(re.compile("Upload a Zotero export"))
    upload.set_input_files([{"name": "notes.bib", "mimeType": "text/plain", "buffer": b"Meeting notes\n"}])
    refused = page.get_by_role("alert").filter(has_text="notes.bib")
    assert "notes.bib is not a bibliography: it has no entries such as @article{key," in refused.inner_text()
    upload.set_input_files([{"name": "knee.bib", "mimeType": "text/plain", "buffer": BIB.encode()}])
    assert "cite it as [@smith2024knee]" in page.get_by_text("Read knee.bib: 1 reference").inner_text()
    page.get_by_label("File name (new files only)").fill("knee-runners")
    preview_text(page, "The site's build accepts this bibliography")
    assert publish(page, editor.project / "content/references/knee-runners.bib") == BIB

    reopen(page, editor, "pages/entries/is-running-right-for-you")
    page.locator("[contenteditable=true]").click()
    page.keyboard.press("Control+End")
    page.keyboard.insert_text("\n\nKnee pain is common in runners [@smith2024knee].")
    assert "(Smith, 2024)" in preview_text(page, "The site's build accepts this page")
    publish(
        page,
        editor.project / "content/pages/is-running-right-for-you.md",
        ROOT.joinpath("content/pages/is-running-right-for-you.md").read_text(encoding="utf-8"),
    )
    assert third_party(requests) == []

    result = run_build(editor.project, tmp_path / "output")
    assert result.returncode == 0, result.stderr
    assert "Tuesdays, 6:45pm to 7:45pm" in result.page("classes/timetable/index.html")
    calendar = result.page("classes/timetable/beginners.ics").replace("\r\n ", "").replace("\n ", "")
    assert re.search(r"EXDATE;TZID=Europe/London:[^\n]*20270302T184500", calendar)
    assert "Knee pain in runners" in result.page("is-running-right-for-you/index.html")


SEED_TIMETABLE = (ROOT / TIMETABLE).read_text(encoding="utf-8")
SMALL = """# One class.
demo: true

classes:
  - id: a-tue  # never change it
    name: Strength
    level: Beginners
    weekday: Tuesday
    time: '9:00'  # early
    duration: 60
    place: Studio 1
    term_start: 2026-09-08
    term_end: 2026-12-15
    no_class: [2026-10-27]
    booking: classes
"""
TIMETABLE_CASES = {
    # name: (file as written, [(path in the data, new value)], the changed lines expected)
    "the seed, untouched, byte for byte": (SEED_TIMETABLE, [], []),
    "the seed with CRLF line ends, untouched": (SEED_TIMETABLE.replace("\n", "\r\n"), [], []),
    "a folded description: its lines only": (
        SEED_TIMETABLE,
        [(["classes", 1, "description"], "Strength for runners.")],
        [
            "-      Devised to train the key components for successful running: strength, mobility, agility,",
            "-      power and balance.",
            "+      Strength for runners.",
        ],
    ),
    "a date removed: its line, with its comment": (
        SEED_TIMETABLE,
        [(["classes", 0, "no_class"], ["2026-10-27", "2026-12-29", "2027-02-16"])],
        ["-      - 2026-12-22  # Christmas break"],
    ),
    "demo switched off": (SEED_TIMETABLE, [(["demo"], False)], ["-demo: true", "+demo: false"]),
    "a class deleted: its block and its blank line": (
        SMALL.replace("booking: classes\n", "booking: classes\n\n" + SMALL[SMALL.index("  - id") :]),
        [(["classes"], "FIRST")],
        [],
    ),
    "single quotes and a comment kept; a flow list stays one": (
        SMALL,
        [
            (["classes", 0, "time"], "10:00"),
            (["classes", 0, "no_class"], ["2026-10-27", "2026-11-03"]),
            (["classes", 0, "name"], "Yoga: level 2"),
            (["classes", 0, "capacity"], "Up to 6"),
        ],
        [
            "-    name: Strength",
            '+    name: "Yoga: level 2"',
            "-    time: '9:00'  # early",
            "+    time: '10:00'  # early",
            "-    no_class: [2026-10-27]",
            "+    no_class: [2026-10-27, 2026-11-03]",
            "+    capacity: Up to 6",
        ],
    ),
}
NEW_CLASS = {
    "id": "yoga-friday", "name": "Yoga", "level": "Beginners", "description": "Line one.\nLine two.",
    "weekday": "Friday", "time": "07:00", "duration": "45", "place": "Studio 2", "term_start": "2026-09-11",
    "term_end": "2026-12-18", "no_class": ["2026-10-30"], "booking": "classes-beginners",
}  # fmt: skip
APPLY = """([text, edits, schema, extra]) => {
  const data = TimetableFormat.parse(text, schema);
  for (const [path, value] of edits) {
    if (value === "FIRST") { data.classes = data.classes.slice(0, 1); continue; }
    let at = data;
    for (const key of path.slice(0, -1)) at = at[key];
    at[path[path.length - 1]] = value;
  }
  if (extra) data.classes.push(extra);
  return [TimetableFormat.serialise(data, schema), JSON.parse(data._timetable).error || ""];
}"""


def test_the_timetable_format_rewrites_only_changed_values(editor, page):
    sys.path.insert(0, str(ROOT / "plugins"))
    from timetable import load

    page.goto(f"{editor.base}/admin/site.json")
    schema = json.loads(page.inner_text("body"))["timetable"]
    page.add_script_tag(url="/admin/timetable-format.js")
    for name, (written, edits, expected) in TIMETABLE_CASES.items():
        back, error = page.evaluate(APPLY, [written, edits, schema, None])
        assert not error, name
        if "deleted" in name:
            assert back == SMALL, name
        else:
            assert changed_lines(written, back) == expected, name
    # A new class: written after the last in the documented layout, and the timetable plugin accepts it.
    back, _ = page.evaluate(APPLY, [SEED_TIMETABLE, [], schema, NEW_CLASS])
    assert back.startswith(SEED_TIMETABLE + "\n  - id: yoga-friday\n    name: Yoga\n")
    timetable, problems = load.load(back, ["classes-beginners", "classes-intermediate"])
    assert problems == [] and timetable.classes[-1].description == "Line one. Line two."
    assert [str(d) for d in timetable.classes[-1].no_class] == ["2026-10-30"]
    # A layout the form cannot read (a YAML anchor) is written back unchanged, never half-understood.
    odd = SMALL.replace("  - id: a-tue", "  - &x\n    id: a-tue")
    back, error = page.evaluate(APPLY, [odd, [(["demo"], False)], schema, None])
    assert back == odd and "line 5" in error
