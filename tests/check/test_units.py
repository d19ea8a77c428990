"""The pure parts of the checker: page types from the settings, the table, gzip sizes."""

from __future__ import annotations

import gzip

import pytest

import pelicanconf
from sitetools.checks.browser import _size
from sitetools.checks.report import FAIL, PASS, MissingTool, Row, failed, table
from sitetools.checks.site import Site

SETTINGS = {k: getattr(pelicanconf, k) for k in dir(pelicanconf) if k.isupper()}


@pytest.mark.parametrize(
    ("rel", "kind"),
    [
        ("index.html", "home"),
        ("index2.html", "home"),
        ("articles/back-pain-how-running-can-help-not-harm/index.html", "article"),
        ("about/index.html", "page"),
        ("search/index.html", "search"),
        ("category/back-pain/index.html", "category"),
        ("category/back-pain/index2.html", "category"),
        ("tag/running/index.html", "tag"),
        ("author/alex-example/index.html", "author"),
        ("archives/index.html", "archives"),
        ("tags/index.html", "tags"),
        ("404.html", "404"),
        ("people/alex-example/index.html", "people"),
    ],
)
def test_page_types_follow_the_save_as_settings(tmp_path, rel, kind):
    assert Site(tmp_path, SETTINGS).page_type(rel) == kind


def test_the_table_lines_up_and_a_fail_row_fails():
    rows = [Row("article", "links", PASS, "1 page(s)"), Row("home", "HTML", FAIL, "index.html:3: Stray tag")]
    lines = table(rows).splitlines()
    assert lines[0].startswith("page type  check  result  where to look")
    assert lines[3].split() == ["home", "HTML", "FAIL", "index.html:3:", "Stray", "tag"]
    assert failed(rows) and not failed(rows[:1])


def test_a_missing_tool_names_its_install_command():
    assert str(MissingTool("Chromium", "apt-get install -y chromium")) == (
        "Chromium is not installed: run `apt-get install -y chromium`"
    )


def test_sizes_are_gzip_for_text_and_as_is_for_images(tmp_path):
    (tmp_path / "a.css").write_text("body { color: red; }\n" * 200)
    (tmp_path / "b.png").write_bytes(b"\x89PNG" + bytes(range(256)) * 4)
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "index.html").write_text("<p>hello</p>" * 100)
    cache = {}
    assert _size(tmp_path, "/a.css", cache) == len(
        gzip.compress((tmp_path / "a.css").read_bytes(), 6, mtime=0)
    )
    assert _size(tmp_path, "/b.png", cache) == 4 + 1024
    assert _size(tmp_path, "/p/", cache) < 1200
