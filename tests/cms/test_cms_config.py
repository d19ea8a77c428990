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
    # The class timetable (content/timetable.yaml) is edited as its own file.
    assert collection(cfg, "timetable")["files"][0]["file"] == "content/timetable.yaml"
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
