"""`invoke check` on the real site: every check runs, every page type is covered, and it passes."""

from __future__ import annotations

import pytest

from sitetools.check import CHECKS
from tests.conftest import ROOT

PAGE_TYPES = ["home", "article", "page", "search", "category", "tag", "author", "archives", "404"]
CHECK_NAMES = ["HTML (Nu checker)", "links and anchors", "accessibility, light", "accessibility, dark",
               "bytes, first visit"]  # fmt: skip


def test_the_real_site_passes_every_check(checked_site):
    assert checked_site.returncode == 0, checked_site.stdout + checked_site.stderr
    assert "check passed" in checked_site.stdout


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_each_page_type_has_a_row_for_each_check(checked_site, page_type):
    rows = [line for line in checked_site.stdout.splitlines() if line.startswith(page_type + " ")]
    for check in CHECK_NAMES:
        assert any(f"  {check}  " in row for row in rows), f"no '{check}' row for {page_type}"


def test_the_table_has_the_four_columns_a_deployer_reads(checked_site):
    header = checked_site.stdout.splitlines()[0].split()
    assert header == ["page", "type", "check", "result", "where", "to", "look"]


def test_the_seed_article_is_within_its_15_kb_budget(checked_site):
    [row] = [line for line in checked_site.rows("pass") if line.startswith("article ") and "bytes" in line]
    assert "≤ 15,000 B" in row
    assert "articles/back-pain-how-running-can-help-not-harm/index.html" in row


def test_external_links_are_listed_not_fetched(checked_site):
    out = checked_site.stdout
    assert "not fetched (no network here)" in out
    assert "https://doi.org/10.1016/S0140-6736(18)30480-X" in out.split("External links")[1]


def test_the_builds_content_findings_are_in_the_same_table(checked_site, site):
    """Whatever the build printed as findings appears in the table, with its source file."""
    import json

    findings = json.loads((site.output.parent / ".cache" / "diagnostics.json").read_text())["diagnostics"]
    for item in findings:
        assert any(item["path"] in line and item["message"] in line for line in checked_site.rows("warn"))


def test_only_runs_the_named_checks(site):
    from tests.check.conftest import run_check

    run = run_check(site.output, "--only", "content")
    assert run.returncode == 0, run.stdout
    assert "HTML (Nu checker)" not in run.stdout
    assert set(CHECKS) >= {"content"}


def test_a_production_build_is_checked_as_published(tmp_path):
    """`invoke publish` checks the production build (absolute SITEURL links) before uploading it.

    Its links point at the real domain, not the checks' local server: they must still be checked
    as internal links (a broken one fails), not waved through as external.
    """
    from tests.check.conftest import run_check
    from tests.conftest import run_build

    settings = "tests/publish/testconf.py"  # production settings with non-demo fictional details
    built = run_build(ROOT, tmp_path / "output", "--ignore-cache", settings=settings)
    assert built.returncode == 0, built.stderr
    passed = run_check(built.output, "--settings", settings, "--only", "links")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "https://physio.clinic.test/" not in passed.stdout, "own pages were listed as external links"

    page = built.output / "about" / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "</main>", '<a href="https://physio.clinic.test/gone/">x</a></main>'
        ),
        encoding="utf-8",
    )
    broken = run_check(built.output, "--settings", settings, "--only", "links")
    assert broken.returncode != 0
    assert broken.failing("about/index.html"), broken.stdout
