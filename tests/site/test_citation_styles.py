"""Switching the citation style changes every cited page: site-wide and for one article."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT, run_build

SEED = "articles/back-pain-how-running-can-help-not-harm/index.html"
SEED_SOURCE = "content/articles/2025-01-31-back-pain-how-running-can-help.md"


def _seed(output):
    page = BeautifulSoup((output / SEED).read_text(encoding="utf-8"), "html.parser")
    cites = [" ".join(a.get_text().split()) for a in page.select("span.citation a[href^='#ref-']")]
    entry = " ".join(page.find(id="ref-hartvigsen2018").get_text().split())
    return cites, entry


@pytest.mark.parametrize(
    ("style", "first_cite", "entry_start"),
    [
        ("harvard-cite-them-right", "Hartvigsen et al., 2018", "Hartvigsen, J. et al. (2018)"),
        ("apa", "Hartvigsen et al., 2018", "Hartvigsen, J., Hancock, M. J., Kongsted, A."),
        ("vancouver", "1", "1. Hartvigsen J, Hancock MJ, Kongsted A"),
    ],
)
def test_site_wide_style(tmp_path, style, first_cite, entry_start):
    built = run_build(ROOT, tmp_path / "output", "-e", f"CITATIONS_STYLE={style!r}")
    assert built.returncode == 0, built.stderr
    cites, entry = _seed(built.output)
    assert cites[0] == first_cite
    assert entry.startswith(entry_start), entry
    if style == "vancouver":  # numbered in order of first citation: 1 … 6
        numbers = [int(c) for c in cites if re.fullmatch(r"\d+", c)]
        assert sorted(set(numbers)) == [1, 2, 3, 4, 5, 6]


def test_one_article_can_choose_its_own_style(project):
    source = project / SEED_SOURCE
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("Category: Back pain\n", "Category: Back pain\nCitation-style: vancouver\n")
    )
    built = run_build(project, project / "output")
    assert built.returncode == 0, built.stderr
    cites, entry = _seed(built.output)
    assert cites[0] == "1" and entry.startswith("1. Hartvigsen J")
