"""Bad input: faults planted in a copy of the built site. `check` fails and names the page and the fault.

All seven faults go into one copy, each on a different page, and `check` runs once over it (a run
costs ≈20 s); each test then looks for its own fault in the table.
"""

from __future__ import annotations

import base64
import os
import random

import pytest

from tests.check.conftest import copy_site, run_check

ARTICLE = "articles/back-pain-how-running-can-help-not-harm/index.html"


def _plant(output, rel, html, before="</main>"):
    path = output / rel
    text = path.read_text(encoding="utf-8")
    assert before in text, f"{rel} has no {before}"
    path.write_text(text.replace(before, html + before, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def faulty(site, tmp_path_factory):
    out = copy_site(site.output, tmp_path_factory.mktemp("faulty"))
    _plant(out, "about/index.html", '<p><a href="/no-such-page/">A page that was never built</a></p>')
    _plant(out, ARTICLE, '<p>As shown before <a href="#ref-nobody2099">(Nobody, 2099)</a>.</p>')
    _plant(
        out,
        "strength-conditioning-classes/index.html",
        '<img src="../theme/favicon.svg" width="20" height="20">',
    )
    _plant(out, "index.html", '<p style="color: #c8c8c8">Pale grey text nobody can read.</p>')
    _plant(out, "categories/index.html", '<p id="main">A second element with the id main.</p>')
    noise = base64.b64encode(random.Random(7).randbytes(30_000)).decode()  # gzip cannot shrink it much
    _plant(out, "archives/index.html", f"<!-- {noise} -->")
    with (out / "theme" / "css" / "site.css").open("a", encoding="utf-8") as css:
        css.write("@media print {\n  .never-closed { color: red; }\n")  # a block left open (a bad merge)
    return run_check(out)


def test_check_fails_on_the_faulty_site(faulty):
    assert faulty.returncode == 1, faulty.stdout
    assert "check FAILED" in faulty.stdout


def test_names_a_broken_internal_link(faulty):
    assert faulty.failing("links", "about/index.html", "/no-such-page/", "404"), faulty.stdout


def test_names_a_ref_anchor_with_no_target(faulty):
    assert faulty.failing("links", ARTICLE, "#ref-nobody2099", "not found"), faulty.stdout


def test_names_an_image_without_alt(faulty):
    assert faulty.failing("HTML", "strength-conditioning-classes/index.html", "alt"), faulty.stdout


def test_names_low_contrast_text(faulty):
    assert faulty.failing("accessibility, light", "index.html", "color-contrast"), faulty.stdout


def test_names_a_duplicate_id(faulty):
    assert faulty.failing("HTML", "categories/index.html", "Duplicate ID"), faulty.stdout


def test_names_a_style_sheet_that_does_not_parse(faulty):
    assert faulty.failing("HTML", "theme/css/site.css:", "CSS"), faulty.stdout


def test_names_a_page_over_its_byte_budget(faulty):
    assert faulty.failing("bytes", "archives/index.html", "> budget 12,000 B"), faulty.stdout


def test_the_pages_without_faults_still_pass(faulty):
    """Faults are pinned to their pages: the tag pages, untouched, pass every check."""
    tag_rows = [line for line in faulty.stdout.splitlines() if line.startswith("tag ")]
    assert tag_rows and all("  pass  " in line for line in tag_rows), tag_rows


@pytest.mark.parametrize(
    ("check", "env", "install"),
    [
        ("html", {"PATH": "/nonexistent"}, "apt-get install -y default-jre-headless"),
        ("html", {"VNU_JAR": "/nonexistent/vnu.jar"}, "npm ci"),
        ("accessibility", {"CHROMIUM": "/nonexistent/chromium"}, "apt-get install -y chromium"),
        ("budgets", {"CHROMIUM": "/nonexistent/chromium"}, "apt-get install -y chromium"),
    ],
)
def test_a_missing_tool_fails_with_its_install_command(site, check, env, install):
    run = run_check(site.output, "--only", check, env={**os.environ, **env})
    assert run.returncode == 1, run.stdout
    [row] = run.rows("FAIL")
    assert "is not installed" in row and install in row
    assert not run.rows("pass")
