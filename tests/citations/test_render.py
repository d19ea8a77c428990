"""The final HTML: reference list structure, ids, backlinks, previews, added links, escaping."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from citations import render
from tests.citations.helpers import SEED_BIB, run_pipeline

DOC = """\
Intro [@hartvigsen2018] and @horga2022 and [see @maselli2020, p. 343; also @belavy2017].

Again [@belavy2017; @mitchell2020] and [-@horga2022] and [@belavy2017].

::: {#refs}
:::

After the list.
"""


def build(tmp_path, doc=DOC, bib=SEED_BIB, style="harvard-cite-them-right"):
    return run_pipeline(tmp_path, doc, bib, style)[0]


def test_reference_list_structure(tmp_path):
    result = build(tmp_path)
    soup = BeautifulSoup(result.content, "html.parser")
    section = soup.select_one("section.references")
    assert section["aria-labelledby"] == "references-title"
    assert section.h2["id"] == "references-title" and section.h2.get_text() == "References"
    refs = section.select_one("div#refs")
    assert refs["role"] == "list" and refs["class"] == ["references", "csl-bib-body"]
    entries = refs.find_all("div", class_="csl-entry", recursive=False)
    assert [e["id"] for e in entries] == [
        "ref-belavy2017",
        "ref-hartvigsen2018",
        "ref-horga2022",
        "ref-maselli2020",
        "ref-mitchell2020",
    ]
    assert all(e["role"] == "listitem" for e in entries)
    # placed where {#refs} was, before the paragraph after it
    assert result.content.index("</section>") < result.content.index("After the list.")


def test_ids_unique_and_backlinks_point_at_every_citation(tmp_path):
    result = build(tmp_path)
    soup = BeautifulSoup(result.content, "html.parser")
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    belavy = soup.select_one("#ref-belavy2017 .citation-backlinks")
    links = belavy.find_all("a")
    assert [a["href"] for a in links] == ["#cite-belavy2017-1", "#cite-belavy2017-2", "#cite-belavy2017-3"]
    assert [a["aria-label"] for a in links] == [f"Back to citation {n}" for n in (1, 2, 3)]
    for a in soup.select(".citation-backlinks a"):
        assert soup.find(id=a["href"][1:]) is not None
    for a in soup.select("a[role=doc-biblioref]"):
        assert soup.find(id=a["href"][1:]) is not None


def test_preview_on_every_citation_link(tmp_path):
    result = build(tmp_path)
    soup = BeautifulSoup(result.content, "html.parser")
    for link in soup.select("a[role=doc-biblioref]"):
        preview = soup.find(id=link["aria-describedby"])
        assert preview["role"] == "tooltip" and "citation-preview" in preview["class"]
        assert preview.parent is link.parent and "citation-ref" in link.parent["class"]
        assert preview.find(["a", "div", "p"]) is None  # phrasing content, no nested links
    first = soup.select_one("#cite-hartvigsen2018-1-preview").get_text()
    assert "What low back pain is and why we need to pay attention" in first


def test_pubmed_and_doi_links(tmp_path):
    soup = BeautifulSoup(build(tmp_path).content, "html.parser")
    entry = soup.select_one("#ref-hartvigsen2018")
    hrefs = [a["href"] for a in entry.find_all("a")]
    assert "https://pubmed.ncbi.nlm.nih.gov/29573870/" in hrefs
    assert hrefs.count("https://doi.org/10.1016/S0140-6736(18)30480-X") == 1  # Harvard prints it already


def test_doi_added_when_the_style_omits_it(tmp_path):
    entry = {
        "id": "nodoi",
        "type": "article-journal",
        "title": "T",
        "author": [{"family": "F"}],
        "issued": "2020",
        "DOI": "10.5555/abc",
        "PMID": "42",
    }
    assert render._links("F (2020) T.", entry) == {
        "pmid": "42",
        "pubmed_url": "https://pubmed.ncbi.nlm.nih.gov/42/",
        "doi_url": "https://doi.org/10.5555/abc",
    }
    assert render._links("doi: 10.5555/ABC PMID 42", entry) == {
        "pmid": None,
        "pubmed_url": None,
        "doi_url": None,
    }


def test_vancouver_collapsed_range_backlinks_to_the_cluster(tmp_path):
    doc = "[@hartvigsen2018] [@horga2022] [@maselli2020] and [@hartvigsen2018; @horga2022; @maselli2020]\n"
    soup = BeautifulSoup(build(tmp_path, doc=doc, style="vancouver").content, "html.parser")
    assert soup.select_one("#citation-4").get_text().startswith("[1")
    horga = [a["href"] for a in soup.select("#ref-horga2022 .citation-backlinks a")]
    assert horga == ["#cite-horga2022-1", "#citation-4"]  # no link of its own inside "[1–3]"
    right = soup.select_one("#ref-horga2022 .csl-right-inline")
    assert right.select_one(".citation-backlinks") is not None


def test_unknown_key_renders_without_a_dangling_link(tmp_path, messages):
    result = build(tmp_path, doc="Intro.\n\nSee [@hartvigsen2019].\n")
    assert "<strong>hartvigsen2019?</strong>" in result.content
    assert "#ref-hartvigsen2019" not in result.content
    assert messages()[0] == (
        f"{tmp_path}/article.md:3: error: unknown citation key 'hartvigsen2019' "
        "(did you mean 'hartvigsen2018'?)"
    )


def test_uncited_entries_one_warning(tmp_path, messages):
    build(tmp_path, doc="[@hartvigsen2018]\n")
    warnings = [m for m in messages() if ": warning: " in m]
    assert len(warnings) == 1
    assert "7 bibliography entries are never cited: belavy2017, horga2022" in warnings[0]


EVIL_BIB = """\
@article{evil2020,
  author  = {<script>alert(1)</script> and Doe, J<b>ohn},
  title   = {A <script>alert("t")</script> title},
  journal = {J <img src=x onerror=alert(2)>},
  year    = {2020},
  note    = {<script>n</script>},
}
"""
EVIL_JSON = [
    {
        "id": "evil2020",
        "type": "article-journal",
        "title": 'A <script>alert("t")</script> title',
        "author": [{"literal": "<script>alert(1)</script>"}, {"family": "Doe", "given": "J<b>ohn"}],
        "container-title": "J <img src=x onerror=alert(2)>",
        "note": "<script>n</script>",
        "issued": {"date-parts": [[2020]]},
    }
]


@pytest.mark.parametrize("fmt", ["bib", "json"])
@pytest.mark.parametrize("style", ["harvard-cite-them-right", "apa", "vancouver"])
def test_markup_in_fields_is_escaped(tmp_path, fmt, style):
    bib = tmp_path / f"evil.{fmt}"
    bib.write_text(EVIL_BIB if fmt == "bib" else json.dumps(EVIL_JSON), encoding="utf-8")
    result = build(tmp_path, doc="[@evil2020] and @evil2020\n", bib=bib, style=style)
    assert "<script" not in result.content and "<img" not in result.content and "<b>" not in result.content
    assert "&lt;script&gt;" in result.content
    (entry,) = result.citations
    assert "<script" not in entry["html"] and "<img" not in entry["html"]


def test_citations_for_templates(tmp_path):
    result = build(tmp_path)
    assert [c["key"] for c in result.citations] == [
        "belavy2017",
        "hartvigsen2018",
        "horga2022",
        "maselli2020",
        "mitchell2020",
    ]
    belavy = result.citations[0]
    assert belavy["doi"] == "10.1038/srep45975" and belavy["pmid"] == "28422125"
    assert belavy["title"] == "Running exercise strengthens the intervertebral disc"
    assert belavy["type"] == "article-journal"
    assert belavy["text"].startswith("Belavý, D.L. et al. (2017)")
    assert "citation-backlinks" not in belavy["html"]


def test_feed_helpers():
    html = (
        '<span class="citation-ref"><a id="cite-a-1" href="#ref-a">A</a><span class="citation-preview" '
        'id="p" role="tooltip">Entry <span>‘x’</span> <em>J</em></span></span> <a href="#cite-a-1">1</a>'
    )
    out = render.absolutise_fragments(render.strip_previews(html), "https://example.org/a.html?ref=feed")
    assert "citation-preview" not in out and "Entry" not in out
    assert re.findall(r'href="([^"]*)"', out) == [
        "https://example.org/a.html?ref=feed#ref-a",
        "https://example.org/a.html?ref=feed#cite-a-1",
    ]
