"""Loading .bib (through pandoc), CSL-JSON and CSL-YAML into CSL items, and the problems found."""

from __future__ import annotations

import json
from pathlib import Path

from citations import bibliography as bib
from tests.citations.helpers import HARD_BIB, SEED_BIB, SEED_JSON


def load(*paths: Path, cache: Path | None = None) -> bib.Bibliography:
    return bib.Loader(cache).load_many(paths)


def test_seed_bib_converts_accents_corporate_author_and_pmid(tmp_path):
    result = load(SEED_BIB, cache=tmp_path)
    assert not [p for p in result.problems if p.severity == "error"]
    assert len(result.entries) == 8
    hartvigsen = result.get("hartvigsen2018").item
    assert {"family": "Genevay", "given": "Stéphane"} in hartvigsen["author"]
    assert hartvigsen["author"][-1] == {"literal": "Lancet Low Back Pain Series Working Group"}
    assert hartvigsen["PMID"] == "29573870"
    assert hartvigsen["DOI"] == "10.1016/S0140-6736(18)30480-X"
    assert result.get("belavy2017").item["author"][0]["family"] == "Belavý"
    assert result.get("hartvigsen2018").line == 5  # for diagnostics


def test_emph_and_corporate_in_fixture():
    result = load(HARD_BIB)
    assert result.get("mueller2015").item["title"] == "Disc hydration <i>in vivo</i> after pretend running"
    assert result.get("mueller2015").item["author"][0] == {"family": "Müller", "given": "Jörg"}
    assert result.get("corp2021").item["author"] == [{"literal": "Imaginary Physiotherapy Council"}]


def test_missing_year_is_a_warning():
    result = load(HARD_BIB)
    warnings = [p for p in result.problems if p.severity == "warning"]
    assert len(warnings) == 1
    assert "'noyear' has no year" in warnings[0].message
    assert warnings[0].line == bib.Loader().load(HARD_BIB)[0][7].line


def test_malformed_bib_names_file_and_entry(tmp_path):
    bad = tmp_path / "bad.bib"
    bad.write_text(
        "@article{ok1,\n title={Ok},\n year={2020}\n}\n\n@article{broken2,\n title = {Unclosed,\n"
        " year = 2020\n}\n\n@article{after3, title={Fine}, year={2021}}\n",
        encoding="utf-8",
    )
    result = load(bad)
    (problem,) = result.problems
    assert problem.severity == "error" and problem.path == str(bad)
    assert "entry 'broken2'" in problem.message and problem.line == 6


def test_duplicate_key_across_bib_and_json_names_both(tmp_path):
    result = load(SEED_BIB, SEED_JSON)
    errors = [p for p in result.problems if p.severity == "error"]
    assert len(errors) == 8
    first = next(p for p in errors if "'hartvigsen2018'" in p.message)
    assert first.path == str(SEED_JSON)
    assert "back-pain-running.bib" in first.message and "duplicate citation key" in first.message


def test_duplicate_key_in_one_file(tmp_path):
    path = tmp_path / "dup.json"
    path.write_text(json.dumps([{"id": "a", "title": "x", "issued": "2020"}] * 2), encoding="utf-8")
    (problem,) = load(path).problems
    assert "duplicate citation key 'a'" in problem.message


def test_csl_json_and_yaml(tmp_path):
    yaml_file = tmp_path / "refs.yaml"
    yaml_file.write_text(
        "references:\n- id: yam2020\n  type: book\n  title: A YAML book\n  author:\n  - family: Yaml\n"
        "    given: Yolanda\n  issued: 2020-05-01\n  PMID: '123'\n",
        encoding="utf-8",
    )
    result = load(SEED_JSON, yaml_file)
    assert not result.problems
    assert result.get("yam2020").item["issued"] == "2020-05-01"
    assert result.get("yam2020").line == 2
    assert result.get("maselli2020").item["PMID"] == "32493481"


def test_invalid_json_and_yaml(tmp_path):
    (tmp_path / "a.json").write_text('[{"id": "a",}]', encoding="utf-8")
    (tmp_path / "b.yaml").write_text("references:\n- id: [unclosed\n", encoding="utf-8")
    problems = load(tmp_path / "a.json", tmp_path / "b.yaml").problems
    assert [p.path for p in problems] == [str(tmp_path / "a.json"), str(tmp_path / "b.yaml")]
    assert problems[0].line == 1 and "invalid CSL-JSON" in problems[0].message
    assert "invalid CSL-YAML" in problems[1].message


def test_conversion_is_cached_by_content(tmp_path, monkeypatch):
    from citations import pandoc

    load(SEED_BIB, cache=tmp_path)
    starts = pandoc.STARTS
    load(SEED_BIB, cache=tmp_path)  # a new loader, as in the next build
    assert starts == pandoc.STARTS


def test_article_entries_override_with_warning(tmp_path):
    own = tmp_path / "own.json"
    own.write_text(
        json.dumps([{"id": "belavy2017", "title": "Local copy", "issued": "2017"}]), encoding="utf-8"
    )
    merged, problems = bib.overlay(load(SEED_BIB), load(own))
    assert merged.get("belavy2017").item["title"] == "Local copy"
    assert "overrides the entry in" in problems[0].message and "back-pain-running.bib" in problems[0].message


def test_an_unparseable_bib_entry_is_left_out_alone_and_the_rest_resolves(tmp_path):
    good = "@article{{{key},\n  author = {{Able, Ann}},\n  title = {{Good}},\n  year = {{2020}}\n}}\n\n"
    broken = "@article{broken,\n  title = {Two {unclosed},\n  year = {2021}\n}\n\n"
    nocomma = "@article{nocomma\n  title = {Two},\n  year = {2021}\n}\n\n"
    path = tmp_path / "refs.bib"
    path.write_text(good.format(key="a") + broken + good.format(key="b") + nocomma + good.format(key="c"))
    loader = bib.Loader(tmp_path / "cache")
    result = loader.load_many([path])
    assert sorted(result.entries) == ["a", "b", "c"]
    assert [(p.line, p.message.split(" (")[0]) for p in result.problems] == [
        (7, "cannot parse bibliography entry 'broken'"),
        (18, "cannot parse bibliography entry 'nocomma'"),
    ]
    source = loader.sources[str(path.resolve())]  # what pandoc's citeproc will read
    assert "broken" not in source.text and "nocomma" not in source.text
    assert source.text.count("\n") == path.read_text().count("\n")  # lines keep their numbers
    again = bib.Loader(tmp_path / "cache").load_many([path])  # from the cache: the same problems
    assert [p.message for p in again.problems] == [p.message for p in result.problems]


def test_better_bibtex_csl_yaml_has_its_year(tmp_path):
    path = tmp_path / "zotero.yaml"
    path.write_text(
        "---\nreferences:\n- id: doe\n  author: {family: Doe}\n  issued:\n  - {year: 2021}\n...\n"
    )
    result = load(path)
    assert list(result.entries) == ["doe"] and result.problems == []
