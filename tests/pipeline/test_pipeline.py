"""plugins/pipeline.py: the declared plugin order, the shared Markdown/Jinja helpers, per-build state."""

from __future__ import annotations

from booking.syntax import BookingExtension
from pipeline import BuildState, add_markdown_extension, declared_jinja, order_problems
from tests.conftest import ROOT, run_build


def test_a_plugin_listed_before_one_whose_output_it_reads_is_named_with_the_fix():
    assert order_problems(["citations", "booking", "clinical", "reading", "pelican.plugins.sitemap"]) == []
    assert order_problems(["reading", "citations", "booking", "clinical"]) == [
        "PLUGINS lists 'reading' before 'citations', 'booking', 'clinical', whose output it reads "
        "(reading.AFTER = ('citations', 'booking', 'clinical')); move 'reading' after 'citations', "
        "'booking', 'clinical' in PLUGINS"
    ]
    assert order_problems(["reading", "frontmatter"]) == []  # a plugin left out is not an order problem


def test_the_build_refuses_a_wrong_order_at_start_up(tmp_path):
    wrong = '["contentguard", "frontmatter", "clinical", "citations", "booking", "reading"]'
    result = run_build(ROOT, tmp_path / "output", "-e", f"PLUGINS={wrong}")
    assert result.returncode != 0
    assert (
        "-e PLUGINS: error: PLUGINS lists 'clinical' before 'citations', 'booking', whose output it reads"
        in result.stderr
    ), result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "output" / "index.html").exists()


def test_markdown_extensions_are_added_once_and_jinja_comes_from_the_plugins():
    settings: dict = {}
    add_markdown_extension(settings, BookingExtension())
    add_markdown_extension(settings, BookingExtension())
    assert [type(e) for e in settings["MARKDOWN"]["extensions"]] == [BookingExtension]
    filters, found = declared_jinja(["clinical", "booking"])
    assert "jsonld" in filters and list(found["CARE_CARD_TYPES"]) == [
        "immediate",
        "urgent",
        "non-urgent",
        "note",
        "key-points",
    ]


def test_build_state_starts_each_build_from_its_defaults():
    state = BuildState(people={}, env=None)
    state.people["x"] = 1
    state.env = "theme"
    state.reset()
    assert state.people == {} and state.env is None


def test_the_tests_convert_markdown_with_the_site_s_extensions():
    from tests.markdown_support import assert_markdown_renders, site_markdown

    names = {p.name for p in site_markdown().preprocessors._priority}
    assert {"rawhtml_source", "clinical_card_structure", "booking_marker", "citation_refs", "meta"} <= names
    assert_markdown_renders("## Why run?\n\nBecause.\n", '<h2 id="why-run">Why run?</h2>\n<p>Because.</p>')


def _memo(cache, version="v1", **kw):
    import pipeline

    return pipeline.Memo(cache, "work", version, **kw)


def test_a_memo_gives_the_next_build_what_this_one_computed_and_ignores_a_damaged_or_foreign_file(tmp_path):
    import pipeline

    calls = []

    def compute(value):
        calls.append(value)
        return {"words": value, "pair": (1, 2)}

    first = _memo(tmp_path)
    assert first.get("a", lambda: compute(1)) == {"words": 1, "pair": [1, 2]}  # the shape a kept one has
    first.save()
    pipeline._LOADED.clear()  # a new process
    second = _memo(tmp_path)
    assert second.get("a", lambda: compute(2)) == {"words": 1, "pair": [1, 2]} and calls == [1]
    second.save()  # nothing computed: nothing written
    assert _memo(tmp_path, version="v2").get("a", lambda: compute(3))["words"] == 3  # other code
    path = tmp_path / "memo" / "work.marshal"
    path.write_bytes(path.read_bytes()[:-3] + b"xyz")  # damaged: the checksum no longer matches
    pipeline._LOADED.clear()
    assert _memo(tmp_path).get("a", lambda: compute(4))["words"] == 4
    assert _memo(tmp_path, load=False).get("a", lambda: compute(5))["words"] == 5  # --ignore-cache


def test_a_memo_keeps_this_builds_entries_then_the_most_recent_up_to_its_limit(tmp_path):
    import pipeline

    for keys in (["a", "b"], ["c"], ["d"]):
        memo = _memo(tmp_path, limit=2)
        for key in keys:
            memo.get(key, lambda key=key: key)
        memo.save()
    pipeline._LOADED.clear()
    assert set(_memo(tmp_path).old) == {"d", "c"}
    with pipeline.memo_in_memory():  # the live preview: kept in this process, the file left alone
        memo = _memo(tmp_path, limit=3)
        memo.get("e", lambda: "e")
        memo.save()
    assert set(_memo(tmp_path).old) == {"e", "d", "c"}
    pipeline._LOADED.clear()
    assert set(_memo(tmp_path).old) == {"d", "c"}
