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
