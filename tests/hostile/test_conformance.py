"""Hostile and malformed bibliographies as staff bring them (issue #20): Zotero's CSL-YAML, a brace
never closed, a key without its comma, a key used twice, a CSL-JSON entry pandoc refuses. A bad entry
is an error at its own line; it never takes the rest of its file, or other articles, down with it."""

from __future__ import annotations

from tests.hostile.harness import Sandbox

HEAD = "Title: Zotero exports\nDate: 2025-03-01\nCategory: Back pain\n"

GOOD = """\
@article{good1,
  author = {Able, Ann},
  title = {One good study},
  journal = {Journal of Tests},
  year = {2020}
}
"""
GOOD2 = """\
@article{good2,
  author = {Cole, Cy},
  title = {Another good study},
  journal = {Journal of Tests},
  year = {2022}
}
"""


def _article(box: Sandbox, *keys: str, name: str = "2025-03-01-zotero.md", extra: str = "") -> str:
    cites = "; ".join(f"@{key}" for key in keys)
    return box.article(HEAD + extra + f"\nSome text [{cites}].\n", name=name)


def test_better_bibtex_csl_yaml_is_formatted_with_everything_else(box):
    # Better BibTeX: `issued` as a list of {year, month, day}, one author as a map, a decimal number.
    box.write(
        "content/references/zotero.yaml",
        "---\nreferences:\n- id: doe2021\n  type: article-journal\n  title: A Zotero export\n"
        "  author: {family: Doe, given: Jane}\n  issued:\n  - {year: 2021, month: 3, day: 5}\n"
        "  container-title: Journal of Exports\n  collection-number: 2.5\n...\n",
    )
    _article(box, "doe2021", "hartvigsen2018")
    result = box.accepts()
    page = (box.output / "articles" / "zotero-exports" / "index.html").read_text(encoding="utf-8")
    assert "Doe, 2021" in page and "Hartvigsen" in page and "A Zotero export" in page
    assert "has no year" not in result.stderr and "Lua" not in result.stderr


def test_a_brace_never_closed_is_reported_at_its_entry_and_the_rest_of_the_file_resolves(box):
    bad = "@article{broken,\n  author = {Bob Broken},\n  title = {Two {unclosed},\n  year = {2021}\n}\n"
    path = box.write("content/references/extra.bib", GOOD + "\n" + bad + "\n" + GOOD2)
    _article(box, "good1", "good2")
    result = box.rejects(
        path,
        8,
        "cannot parse bibliography entry 'broken' (pandoc: line 14, column 1: unexpected '@'); "
        "the file's other entries are used",
    )
    assert "unknown citation key" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if ": error: " in line]) == 1, result.stderr


def test_a_key_without_its_comma_blames_that_entry(box):
    bad = "@article{nocomma\n  author = {Bob Broken},\n  title = {Two},\n  year = {2021}\n}\n"
    path = box.write("content/references/extra.bib", GOOD + "\n" + bad + "\n" + GOOD2)
    _article(box, "good1", "good2")
    result = box.rejects(
        path,
        8,
        "cannot parse bibliography entry 'nocomma' (pandoc: line 9, column 3: unexpected 'a'); "
        "the file's other entries are used",
    )
    assert "good1" not in result.stderr and "unknown citation key" not in result.stderr


def test_a_duplicate_key_names_both_lines(box):
    again = GOOD.replace("One good study", "The same key again")
    path = box.write("content/references/extra.bib", GOOD + "\n" + again + "\n" + GOOD2)
    _article(box, "good1", "good2")
    box.rejects(
        path,
        8,
        "duplicate citation key 'good1': also at line 1 of this file; give one of them another key",
    )


def test_a_csl_json_entry_pandoc_refuses_is_reported_alone(box):
    path = box.write(
        "content/references/extra.json",
        '[\n  {"id": "fine2020", "type": "book", "title": "A fine book",\n'
        '   "issued": {"date-parts": [[2020]]}, "author": [{"family": "Fine", "given": "Fay"}]},\n'
        '  {"id": "refused2021", "type": "book", "title": "Refused", "volume": null}\n]\n',
    )
    _article(box, "fine2020", "refused2021")
    result = box.rejects(
        path,
        4,
        "pandoc cannot read bibliography entry 'refused2021': Error in $[0]: expected String or Number, "
        "but encountered Null; it is left out of the references",
    )
    assert "unknown citation key" not in result.stderr
