"""Golden tests with pandoc as the oracle: the same Markdown through plain ``pandoc --citeproc`` and
through our extension + engine + renderer must show the same citation and entry text and links.

Differences we keep on purpose are stripped before comparing: our hover previews
(``.citation-preview``), the PubMed/DOI links we add (``.citation-links``) and backlinks.
"""

from __future__ import annotations

import subprocess

import pytest
from bs4 import BeautifulSoup

from citations import pandoc
from citations.settings import STYLES_DIR
from tests.citations.helpers import HARD_BIB, SEED_BIB, run_pipeline

SEED_DOC = """\
Low back pain is common [@hartvigsen2018].

@horga2022 scanned first-time marathoners.

Prevalence [see @maselli2020, p. 343; also @belavy2017].

Discs adapt [@belavy2017; @mitchell2020].

A trial by @neason2024 [p. 33] and [-@horga2022].
"""

HARD_DOC = """\
Same author, same year [@smith2020a] and [@smith2020b].

One [@solo2019], two [@duo2018], three [@trio2017], eight [@many2016].

Corporate [@corp2021]; no year [@noyear]; accents [@mueller2015].

Locators [@book2010, p. 5], [@book2010, pp. 10-12], [@book2010, chap. 3], [@book2010, sec. 2.1].

Suppress author [-@solo2019]; narrative @duo2018 [p. 7]; prefix [see @duo2018, pp. 33--35; also @trio2017].

Collapsing [@smith2020a; @smith2020b; @solo2019] and [@solo2019; @duo2018; @trio2017; @many2016].
"""

STYLES = ["harvard-cite-them-right", "apa", "vancouver"]


def pandoc_html(doc: str, bib, style: str) -> str:
    args = [
        pandoc.find_pandoc(),
        "--citeproc",
        "--csl",
        str(STYLES_DIR / f"{style}.csl"),
        "--bibliography",
        str(bib),
        "-M",
        "lang=en-GB",
        "-M",
        "link-citations=true",
        "-f",
        "markdown",
        "-t",
        "html",
        "--wrap=none",
    ]
    return subprocess.run(args, input=doc, capture_output=True, text=True, check=True).stdout


def our_html(doc: str, bib, style: str, tmp_path) -> str:
    return run_pipeline(tmp_path, doc, bib, style)[0].content


def text(node) -> str:
    return " ".join(node.get_text().replace("\xa0", " ").split())


def visible(html: str):
    soup = BeautifulSoup(html, "html.parser")
    for extra in soup.select(".citation-preview, .citation-links, .citation-backlinks"):
        extra.decompose()
    cites = [(text(s), [a["href"] for a in s.find_all("a")]) for s in soup.select("span.citation")]
    entries = [
        (div["id"], text(div), [a["href"] for a in div.find_all("a")]) for div in soup.select("div.csl-entry")
    ]
    return cites, entries


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("doc, bib", [(SEED_DOC, SEED_BIB), (HARD_DOC, HARD_BIB)], ids=["seed", "hard-cases"])
def test_same_as_pandoc(doc, bib, style, tmp_path):
    expected_cites, expected_entries = visible(pandoc_html(doc, bib, style))
    cites, entries = visible(our_html(doc, bib, style, tmp_path))
    assert cites == expected_cites
    assert entries == expected_entries
    assert len(cites) == (6 if bib == SEED_BIB else 18)
    assert len(entries) == (6 if bib == SEED_BIB else 10)


def test_hard_cases_show_the_features():
    """What the golden comparison covers, asserted on pandoc's own output (so a style update shows)."""
    harvard, _ = visible(pandoc_html(HARD_DOC, HARD_BIB, "harvard-cite-them-right"))
    texts = [t for t, _ in harvard]
    assert texts[:2] == ["(Smith, 2020a)", "(Smith, 2020b)"]
    assert "(Ash, Birch and Cedar, 2017)" in texts and "(Alder et al., 2016)" in texts
    assert "(Imaginary Physiotherapy Council, 2021)" in texts and "(Undated, no date)" in texts
    assert "(Writer, 2010, chap. 3)" in texts and "(2019)" in texts
    vancouver, _ = visible(pandoc_html(HARD_DOC, HARD_BIB, "vancouver"))
    assert vancouver[-2][0] == "[1–3]" and vancouver[-1][0] == "[3–6]"
