"""Drafts, built for real both ways: in the preview (pelicanconf.py) they are built, listed on the
Drafts page linked from the header, and carry a banner; in production (publishconf.py) they are
nowhere in output/: no page, feed entry, sitemap entry or search-index entry.
"""

from __future__ import annotations

import gzip
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from tests.clinical.real_values import write_realconf
from tests.conftest import copy_project, run_build

DRAFT_ARTICLE = """Title: Knee Pain: Where To Start?
Date: 2025-03-01
Category: Knee pain
Tags: knee pain, running
Author: alex-example
Status: draft

Most knee pain in runners settles with the right exercise. Draft-only-word: quadricepsology.
"""
DRAFT_PAGE = """Title: Hip pain explained
Slug: hip-pain
Status: draft
Clinical: no

A page still being written. Draft-only-word: quadricepsology.
"""


@pytest.fixture(scope="module")
def drafts_project(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("drafts") / "project")
    for path in (project / "content").rglob("*.md"):  # the repo's own drafts (the run-walk example)
        if "\nStatus: draft\n" in path.read_text(encoding="utf-8"):
            path.unlink()
    (project / "content/articles/2025-03-01-knee-pain.md").write_text(DRAFT_ARTICLE, encoding="utf-8")
    (project / "content/pages/hip-pain.md").write_text(DRAFT_PAGE, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def preview(drafts_project):
    result = run_build(drafts_project, drafts_project / "output")
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def production(drafts_project):
    result = run_build(
        drafts_project, drafts_project / "output-prod", settings=write_realconf(drafts_project)
    )
    assert result.returncode == 0, result.stderr
    return result


def soup(result, rel):
    return BeautifulSoup(result.page(rel), "html.parser")


def test_the_preview_header_links_to_the_drafts_page(preview):
    link = soup(preview, "index.html").select_one("header nav a.site-nav__drafts")
    assert link.get_text() == "Drafts (2)" and link["href"] == "./drafts/"


def test_the_drafts_page_lists_every_draft_with_its_file(preview):
    page = soup(preview, "drafts/index.html")
    items = [" ".join(li.get_text().split()) for li in page.select("main li")]
    assert items == [
        "Knee Pain: Where To Start? — article, content/articles/2025-03-01-knee-pain.md",
        "Hip pain explained — page, content/pages/hip-pain.md",
    ]
    assert [a["href"] for a in page.select("main li a")] == [
        "../drafts/knee-pain-where-to-start/",
        "../drafts/pages/hip-pain/",
    ]


@pytest.mark.parametrize(
    "rel", ["drafts/knee-pain-where-to-start/index.html", "drafts/pages/hip-pain/index.html"]
)
def test_a_draft_carries_a_banner_and_is_not_indexed(preview, rel):
    page = soup(preview, rel)
    banner = page.select_one("main .draft-banner")
    assert banner.strong.get_text() == "Draft — not published."
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.select("[data-pagefind-body]") == []  # the preview's search leaves it out too
    assert "Published" not in page.select_one("main").get_text()


def test_a_drafts_new_topic_and_tags_are_text_not_broken_links(preview, drafts_project):
    page = soup(preview, "drafts/knee-pain-where-to-start/index.html")
    assert "Knee pain" in page.select_one(".breadcrumbs").get_text()
    hrefs = [a["href"] for a in page.select("a[href]")]
    assert not [h for h in hrefs if "knee-pain" in h and "drafts" not in h]
    check = subprocess.run(
        [sys.executable, "-m", "sitetools.check", "--output", str(preview.output), "--only", "links"],
        cwd=drafts_project, capture_output=True, text=True, timeout=300,
        env={"PYTHONPATH": str(drafts_project), "PATH": "/usr/bin:/bin", "HOME": str(drafts_project)},
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr


def _all_text(output) -> str:
    """Every text file of the site, and the search index's fragments unpacked."""
    parts = []
    for path in output.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".txt"):
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
        elif path.suffix == ".pf_fragment":
            parts.append(gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace"))
    return "\n".join(parts)


def test_production_has_no_drafts_anywhere(production):
    out = production.output
    assert not (out / "drafts").exists()
    assert list(out.glob("pagefind/fragment/*.pf_fragment"))  # the index exists, without the drafts
    text = _all_text(out)
    assert "quadricepsology" not in text and "Knee Pain: Where To Start?" not in text
    assert "Hip pain explained" not in text and "site-nav__drafts" not in text
    assert not (out / "category/knee-pain").exists() and not (out / "tag/knee-pain").exists()
