"""The pandoc batch engine: one process for all misses, none when everything is cached."""

from __future__ import annotations

import json

import pytest

from citations import pandoc
from citations.engine import Engine, Job, Source, build_payload
from citations.settings import STYLES_DIR
from tests.citations.helpers import SEED_JSON

ITEMS = {item["id"]: item for item in json.loads(SEED_JSON.read_text(encoding="utf-8"))}
HARVARD = str(STYLES_DIR / "harvard-cite-them-right.csl")


def cite(key, mode="NormalCitation", prefix="", suffix=""):
    return {"id": key, "mode": mode, "prefix": prefix, "suffix": suffix}


def job(style=HARVARD, items=None, clusters=None) -> Job:
    clusters = clusters or [[cite("hartvigsen2018")], [cite("maselli2020", prefix="see", suffix=", p. 343")]]
    keys = sorted({c["id"] for cluster in clusters for c in cluster})
    items = items or [ITEMS[k] for k in keys]
    source = Source("refs.json", "csljson", json.dumps(items))  # a CSL-JSON file with these entries
    return Job(style, "en-GB", [(source, item["id"]) for item in items], clusters)


@pytest.fixture
def starts(monkeypatch):
    """Counts pandoc processes (the engine's only way to run pandoc is pandoc.run), after the one
    that reads pandoc's abbreviations list (once per Python process)."""
    pandoc.abbreviations(pandoc.find_pandoc())
    calls = []
    real = pandoc.run
    monkeypatch.setattr(pandoc, "run", lambda *a, **k: calls.append(a) or real(*a, **k))
    return calls


def test_one_process_for_a_batch_and_none_when_warm(tmp_path, starts):
    jobs = [
        job(),
        job(clusters=[[cite("belavy2017"), cite("mitchell2020")]]),
        job(clusters=[[cite("horga2022", "AuthorInText")]]),
    ]
    first = Engine(tmp_path).format(jobs)
    assert len(starts) == 1
    assert (
        first[0]
        .clusters[1]
        .startswith('<span class="citation" data-cites="maselli2020">(see <a href="#ref-maselli2020"')
    )
    assert "p. 343" in first[0].clusters[1]
    assert [key for key, _ in first[1].entries] == ["belavy2017", "mitchell2020"]
    second_engine = Engine(tmp_path)  # the next build
    second = second_engine.format(jobs)
    assert len(starts) == 1, "a warm cache must start no pandoc process"
    assert second == first
    assert second_engine.stats == {"hits": 3, "misses": 0, "processes": 0}


def test_changed_entry_or_style_is_reformatted(tmp_path, starts):
    engine = Engine(tmp_path)
    base = engine.format([job()])[0]
    changed = dict(ITEMS["hartvigsen2018"], title="A changed title")
    edited = Engine(tmp_path).format([job(items=[changed, ITEMS["maselli2020"]])])[0]
    assert "A changed title" in dict(edited.entries)["hartvigsen2018"]
    assert edited.entries != base.entries
    vancouver = Engine(tmp_path).format([job(style=str(STYLES_DIR / "vancouver.csl"))])[0]
    assert vancouver.clusters[0].endswith('[<a href="#ref-hartvigsen2018" role="doc-biblioref">1</a>]</span>')
    assert len(starts) == 3


def test_style_file_content_is_in_the_key(tmp_path):
    style = tmp_path / "my.csl"
    style.write_text((STYLES_DIR / "apa.csl").read_text(encoding="utf-8"), encoding="utf-8")
    key = Engine(tmp_path).key(job(style=str(style)))
    style.write_text(style.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert Engine(tmp_path).key(job(style=str(style))) != key


def test_same_key_different_items_in_one_batch(tmp_path):
    # two articles with their own versions of an entry: two files in the payload
    a = dict(ITEMS["belavy2017"], title="Version A")
    b = dict(ITEMS["belavy2017"], title="Version B")
    clusters = [[cite("belavy2017")]]
    text, _ = build_payload([job(items=[a], clusters=clusters), job(items=[b], clusters=clusters)], tmp_path)
    assert len(json.loads(text)["files"]) == 2
    results = Engine(None).format([job(items=[a], clusters=clusters), job(items=[b], clusters=clusters)])
    assert "Version A" in results[0].entries[0][1] and "Version B" in results[1].entries[0][1]


def test_entries_are_plain_and_numeric_parts_kept():
    (result,) = Engine(None).format([job(style=str(STYLES_DIR / "vancouver.csl"))])
    html = result.entries[0][1]
    assert "<p>" not in html
    assert html.startswith('<div class="csl-left-margin">1. </div><div class="csl-right-inline">')


def test_pandoc_missing_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PATH", "")
    engine = Engine(None, pandoc_path="/nonexistent/pandoc")
    with pytest.raises(pandoc.PandocError, match="pip install pypandoc-binary"):
        engine.format([job()])


def test_pandoc_stopped_by_the_time_limit_says_which_setting():
    with pytest.raises(pandoc.PandocLimitError, match="CITATIONS_PANDOC_TIMEOUT = 1") as caught:
        pandoc.run([pandoc.find_pandoc(), "lua", "-e", "while true do end"], timeout=1)
    assert caught.value.limit == "time"


def test_pandoc_stopped_by_the_memory_limit_says_which_setting():
    grow = "local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 1000) .. i end"
    with pytest.raises(pandoc.PandocLimitError, match="CITATIONS_PANDOC_MEMORY") as caught:
        pandoc.run([pandoc.find_pandoc(), "lua", "-e", grow], timeout=60, memory=300 * 1024**2)
    assert caught.value.limit == "memory"


def test_the_engine_runs_pandoc_with_its_limits(tmp_path):
    engine = Engine(tmp_path, timeout=0.01)
    with pytest.raises(pandoc.PandocLimitError, match=r"stopped after 0\.01 s"):
        engine.format([job()])


def test_damaged_cache_entry_is_reformatted_and_ignore_cache_skips_reading(tmp_path, starts):
    from citations import cachefiles

    Engine(tmp_path).format([job()])
    (cached,) = (tmp_path / "formatted").rglob("*.json")
    good = cached.read_bytes()
    cached.write_bytes(good[:-10])
    cachefiles.DAMAGED.clear()
    (result,) = Engine(tmp_path).format([job()])
    assert "Hartvigsen" in result.clusters[0] and [cached] == cachefiles.DAMAGED
    assert cached.read_bytes() == good  # rebuilt
    cachefiles.DAMAGED.clear()
    cached.write_bytes(b"garbage")
    calls = len(starts)
    Engine(tmp_path, load_cache=False).format([job()])
    assert len(starts) == calls + 1 and cachefiles.DAMAGED == [] and cached.read_bytes() == good
