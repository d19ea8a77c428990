"""The editor's configuration comes from the site's definitions; its server keeps to 127.0.0.1 and
the content folder. (No browser: these run in well under a second each.)"""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys

import pytest
import yaml

from sitetools.cms import config
from tests.conftest import ROOT, copy_project, run_build

sys.path.insert(0, str(ROOT / "plugins"))
from citations.settings import shipped_styles
from frontmatter import core as frontmatter
from timetable import model as timetable_model


@pytest.fixture(scope="module")
def settings():
    return config.load_settings(ROOT)


def collection(cfg: dict, name: str) -> dict:
    return next(c for c in cfg["collections"] if c["name"] == name)


def by_name(fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in fields}


def test_every_metadata_field_and_choice_comes_from_the_sites_definitions(settings):
    cfg = yaml.safe_load(config.to_yaml(config.decap_config(settings, ROOT)))
    articles = by_name(collection(cfg, "articles")["fields"])
    pages = by_name(collection(cfg, "pages")["fields"])
    assert set(pages) == set(frontmatter.FIELDS) | {"body"}
    assert set(articles) == set(frontmatter.FIELDS) - config.PAGE_ONLY | {"body"}
    assert articles["title"]["required"] and articles["date"]["required"] and not pages["date"]["required"]
    people = [o["value"] for o in articles["author"]["options"]]
    assert people == list(settings["PEOPLE"]) == [o["value"] for o in articles["reviewed_by"]["options"]]
    booking = [o["value"] for o in articles["booking"]["options"]]
    assert booking == ["default", *settings["BOOKING_TARGETS"], "none"]
    assert articles["citation-style"]["options"] == shipped_styles()
    assert articles["status"]["options"] == list(frontmatter.STATUSES)
    assert articles["status"]["default"] == "draft"
    assert articles["body"]["modes"] == ["raw"]  # the rich-text mode would rewrite cards and citations
    assert collection(cfg, "articles")["format"] == "pelican"
    assert collection(cfg, "references")["folder"] == "content/references"
    # The class timetable (content/timetable.yaml): a form, and the file as text.
    assert collection(cfg, "timetable")["files"][0]["file"] == "content/timetable.yaml"
    assert collection(cfg, "timetable-text")["files"][0]["file"] == "content/timetable.yaml"
    # Bibliography files: one collection per kind the citations plugin reads, each an upload.
    assert [
        (c["folder"], c["extension"], c["fields"][1]["widget"])
        for c in cfg["collections"]
        if c["name"].startswith("references")
    ] == [("content/references", ext, "bibliography") for ext in ("bib", "json", "yaml")]
    # The local backend's root is content/ itself: its paths start inside it.
    local = config.decap_config(settings, ROOT, "http://127.0.0.1:8081/api/v1")
    assert [collection(local, n)["folder"] for n in ("articles", "pages")] == ["articles", "pages"]
    assert local["media_folder"] == "images" and local["publish_mode"] == "simple"


def test_a_field_added_to_the_frontmatter_table_appears_in_the_editor(settings, monkeypatch):
    monkeypatch.setitem(frontmatter.FIELDS, "audience", "Who the page is for.")
    fields = by_name(config.fields(settings, ROOT / "content", "article"))
    assert fields["audience"]["hint"] == "Who the page is for." and fields["audience"]["widget"] == "string"


def test_the_patterns_accept_and_refuse_what_the_build_does(settings):
    fields = by_name(config.fields(settings, ROOT / "content", "article"))

    def ok(name: str, value: str) -> bool:  # Decap runs these as JavaScript RegExps: same syntax here
        return re.search(fields[name]["pattern"][0], value) is not None

    dates = ("2025-01-31", "2025-01-31 09:30", "31/01/2025", "2025-13-01", "2025-1-31", "2025-01-31 25:00")
    for value in dates:
        assert ok("date", value) == (not frontmatter._value_problems("date", value)), value
    assert ok("date", "2025-02-30")  # the days of each month: the build's message, in the preview
    for value in ("running, low back pain", "?", "running, ?", "Knee pain"):
        assert ok("tags", value) == (not frontmatter._value_problems("tags", value)), value
    assert not ok("title", "Back \u202epain") and ok("title", "Back pain")
    assert ok("lang", "cy") and not ok("lang", "../x")


def test_the_timetable_is_a_collection_only_when_its_file_exists(settings, tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "content" / "timetable.yaml").write_text("classes: []\n", encoding="utf-8")
    cfg = config.decap_config(config.load_settings(project), project)
    files = collection(cfg, "timetable")["files"]
    assert [f["file"] for f in files] == ["content/timetable.yaml"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The editor's server without decap-server, on a private project copy."""
    project = copy_project(tmp_path_factory.mktemp("cms-server") / "project")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitetools.cms", "--port", "0", "--no-backend"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin", "HOME": str(project)},
    )
    match = re.search(r"127\.0\.0\.1:(\d+)/admin/", proc.stdout.readline())
    assert match, "the editor's server did not start"
    yield int(match.group(1)), project
    proc.terminate()
    proc.wait(timeout=10)


def request(port: int, method: str, path: str, body: bytes | None = None, **headers) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data


def check(port: int, rel: str, text: str, **headers) -> tuple[int, bytes]:
    body = json.dumps({"path": rel, "text": text}).encode()
    headers.setdefault("Content-Type", "application/json")
    return request(port, "POST", "/admin/api/check", body, **headers)


def test_the_server_answers_only_loopback_and_serves_only_its_own_files(server):
    port, _ = server
    assert request(port, "GET", "/admin/")[0] == 200
    assert request(port, "GET", "/admin/decap/decap-cms.js")[0] == 200
    assert b"backend:" in request(port, "GET", "/admin/config.yml")[1]
    assert request(port, "GET", "/admin/", Host="evil.example")[0] == 403  # DNS rebinding
    for path in ("/admin/decap/../../pelicanconf.py", "/admin/decap/..%2f..%2fpelicanconf.py", "/admin/.x"):
        status, data = request(port, "GET", path)
        assert status == 404 and b"CLINIC" not in data, path


def test_the_check_endpoint_refuses_foreign_pages_and_paths_outside_content(server):
    port, project = server
    text = (ROOT / "content/pages/about.md").read_text(encoding="utf-8")
    assert check(port, "content/pages/about.md", text, Origin="http://evil.example")[0] == 403
    status, _ = request(port, "POST", "/admin/api/check", b"{}", **{"Content-Type": "text/plain"})
    assert status == 415  # a form on another site cannot send JSON without asking first
    for rel in ("../outside.md", "content/../../outside.md", "/etc/passwd.md", "pelicanconf.py"):
        assert check(port, rel, text)[0] == 400, rel
    assert not (project.parent / "outside.md").exists()
    status, data = check(port, "content/pages/about.md", text.replace("Title:", "Tilte:", 1))
    result = json.loads(data)
    assert status == 200 and not result["ok"]
    first = result["diagnostics"][0]["text"]
    assert first.startswith("content/pages/about.md:1: error: unknown metadata field 'tilte'")


def test_the_preview_page_points_into_the_checked_build(server):
    port, _ = server
    seed = "content/articles/2025-01-31-back-pain-how-running-can-help.md"
    result = json.loads(check(port, seed, (ROOT / seed).read_text(encoding="utf-8"))[1])
    assert result["ok"] and 'href="/admin/built/"' in result["html"]  # the breadcrumb's "../../", rebased
    status, body = request(port, "GET", "/admin/built/about/")
    assert status == 200 and b"<main" in body
    for path in ("/admin/built/../../pelicanconf.py", "/admin/built/..%2f..%2f..%2fpelicanconf.py"):
        status, body = request(port, "GET", path)
        assert status == 404 and b"CLINIC" not in body, path


def test_no_build_has_admin_unless_cms_admin_is_set(site, tmp_path):
    assert not (site.output / "admin").exists()
    backend = "CMS_BACKEND={'name': 'github', 'repo': 'clinic/website', 'branch': 'main'}"
    result = run_build(ROOT, tmp_path / "output", "-e", "CMS_ADMIN=True", "-e", backend)
    assert result.returncode == 0, result.stderr
    admin = result.output / "admin"
    cfg = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert cfg["backend"] == {"name": "github", "repo": "clinic/website", "branch": "main"}
    assert cfg["publish_mode"] == "editorial_workflow"
    scripts = re.findall(r'<script src="([^"]+)"', (admin / "index.html").read_text(encoding="utf-8"))
    assert scripts and all(s.startswith("/admin/") and (result.output / s[1:]).is_file() for s in scripts)
    assert not list(admin.rglob("*.map"))  # the bundle without its 60 MB of source maps


def test_the_timetable_form_comes_from_the_timetable_schema(settings, monkeypatch):
    cfg = config.decap_config(settings, ROOT)
    form = collection(cfg, "timetable")
    assert form["format"] == "timetable-yaml"
    top = by_name(form["files"][0]["fields"])
    assert list(top) == [f.key for f in timetable_model.FILE_FIELDS]
    assert top["demo"]["widget"] == "boolean"
    classes = by_name(top["classes"]["fields"])
    assert list(classes) == [f.key for f in timetable_model.FIELDS]
    for f in timetable_model.FIELDS:
        assert classes[f.key]["hint"].startswith(f.meaning) and classes[f.key]["required"] == f.required
    assert classes["weekday"]["options"] == list(timetable_model.WEEKDAYS)
    assert classes["level"]["options"] == ["Beginners", "Intermediate"]  # the levels the file names
    assert [o["value"] for o in classes["booking"]["options"]] == list(settings["BOOKING_TARGETS"])
    assert classes["no_class"]["widget"] == "list" and classes["no_class"]["field"]["widget"] == "string"
    assert classes["description"]["widget"] == "text"

    def ok(key: str, value: str) -> bool:
        spec = classes[key].get("field", classes[key])
        return re.search(spec["pattern"][0], value) is not None

    assert ok("time", "18:30") and ok("time", "9:00") and not ok("time", "6.30pm") and not ok("time", "24:00")
    assert ok("term_start", "2026-09-08") and not ok("term_start", "08/09/2026")
    assert ok("no_class", "2026-10-27") and not ok("no_class", "27 October")
    assert ok("id", "beginners-tuesday") and not ok("id", "Beginners Tuesday")
    # A key added to the timetable's FIELDS appears in the form, and the format writes it in its place.
    extra = timetable_model.Field("coach", "text", False, "Who leads the class.", "Sam")
    monkeypatch.setattr(timetable_model, "FIELDS", (*timetable_model.FIELDS, extra))
    fields = collection(config.decap_config(settings, ROOT), "timetable")["files"][0]["fields"]
    coach = by_name(by_name(fields)["classes"]["fields"])["coach"]
    assert coach["hint"] == "Who leads the class." and coach["widget"] == "string" and not coach["required"]
    schema = config.site_data(settings)["timetable"]
    assert schema["order"][-1] == "coach" and schema["kinds"]["coach"] == "text"


def test_the_check_names_the_timetables_line_and_refuses_what_is_no_bibliography(server):
    port, _ = server
    text = (ROOT / "content/timetable.yaml").read_text(encoding="utf-8").replace('"18:30"', '"6.30pm"', 1)
    result = json.loads(check(port, "content/timetable.yaml", text)[1])
    assert not result["ok"]
    assert result["diagnostics"][0]["text"].startswith(
        "content/timetable.yaml:16: error: time '6.30pm' is not a time; write it as 24-hour HH:MM in quotes"
    )
    cases = {
        "content/references/notes.bib": (
            "Meeting notes",
            "a .bib file holds entries such as '@article{key,'",
        ),
        "content/references/notes.json": (
            '{"title": "x"}',
            "a CSL file is a list of entries, each with an 'id'",
        ),
        "content/references/notes.yaml": ("a: [", "this is not a CSL YAML bibliography (it cannot be read"),
        "content/references/scan.bib": ("%PDF-1.4\x00\x01", "not a bibliography but a binary file"),
    }
    for rel, (body, says) in cases.items():
        result = json.loads(check(port, rel, body)[1])
        assert not result["ok"] and result["diagnostics"][0]["text"].startswith(f"{rel}:1: error: "), rel
        assert (
            says in result["diagnostics"][0]["text"]
            and "export the collection from Zotero" in result["diagnostics"][0]["text"]
        ), rel
    # Only the timetable and the bibliography folder's files besides Markdown: nothing else in content/.
    for rel in ("content/images/x.yaml", "content/references/x.py", "content/x.json"):
        assert check(port, rel, "[]")[0] == 400, rel
