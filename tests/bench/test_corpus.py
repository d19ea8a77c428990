"""The benchmark corpus: deterministic from its seed, and shaped like the site's real articles."""

from __future__ import annotations

import datetime as dt
import json
import re

from bench.corpus import generate

DAY = dt.date(2026, 3, 1)


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_corpus_other_seed_another(tmp_path):
    one = _files(generate(tmp_path / "one", articles=5, entries=20, seed=7, reviewed=DAY))
    two = _files(generate(tmp_path / "two", articles=5, entries=20, seed=7, reviewed=DAY))
    other = _files(generate(tmp_path / "other", articles=5, entries=20, seed=8, reviewed=DAY))
    assert one == two
    assert one.keys() == other.keys() and one != other
    assert len([name for name in one if name.startswith("content/articles/")]) == 5


def test_articles_have_the_themes_structure_and_every_citation_form(tmp_path):
    root = generate(tmp_path / "c", articles=3, entries=20, seed=1, reviewed=DAY)
    text = (root / "content" / "articles" / "bench-00001.md").read_text(encoding="utf-8")
    header = dict(line.split(": ", 1) for line in text.split("\n\n", 1)[0].splitlines())
    assert header["Author"] == "alex-example" and header["Reviewed_by"] == "sam-sample"
    assert dt.date.fromisoformat(header["Reviewed"]) <= DAY
    assert "## " in text and "\n- " in text
    assert '!!! non-urgent "' in text and "\n[[book]]\n" in text
    assert re.search(r"\[@bench\d+\]", text)  # single
    assert re.search(r"\[@bench\d+; @bench\d+\]", text)  # multi-key
    assert re.search(r"(?<!\[)@bench\d+ found", text)  # narrative
    assert re.search(r"\[see @bench\d+, p\. \d+\]", text)  # locator
    assert re.search(r"\[-@bench\d+\]", text)  # suppress author
    assert 550 <= len(text.split()) <= 850  # about 700 words


def test_bibliography_is_bibtex_with_accents_and_csl_json(tmp_path):
    refs = generate(tmp_path / "c", articles=1, entries=20, seed=1, reviewed=DAY) / "content" / "references"
    bib = (refs / "bench.bib").read_text(encoding="utf-8")
    items = json.loads((refs / "bench.json").read_text(encoding="utf-8"))
    assert bib.count("@article{") == 10 and len(items) == 10
    assert "{\\" in bib  # LaTeX accents such as Belav{\'y}
    assert all(item["DOI"].startswith("10.5555/") for item in items)  # Crossref's test prefix
