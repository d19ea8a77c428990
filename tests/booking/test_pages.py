"""One page's booking links: the metadata target, the inline markers, and the problems with lines."""

from __future__ import annotations

import pytest

from booking import config
from booking.pages import resolve
from booking.syntax import Marker


@pytest.fixture
def cfg(settings):
    return config.load(settings)[0]


def test_no_metadata_or_default_ends_with_the_default_target(cfg):
    for value in (None, "default", "Default"):
        page = resolve(cfg, value, None, [])
        assert (page.end.target, page.end.placement) == ("assessment", "article-end")
        assert page.problems == []


def test_a_named_target_ends_the_page(cfg):
    assert resolve(cfg, "classes", 5, []).end.target == "classes"


def test_none_turns_the_block_off(cfg):
    page = resolve(cfg, "none", 5, [Marker(9, None)])
    assert page.end is None
    assert page.inline[0].target == "assessment"  # inline markers still work


def test_an_unknown_metadata_target_names_the_line_and_the_known_targets(cfg):
    page = resolve(cfg, "clases", 7, [])
    assert page.end is None
    ((line, message),) = page.problems
    assert line == 7
    assert "unknown booking target 'clases' in 'booking: clases' (did you mean 'classes'?)" in message
    assert "the targets in BOOKING_TARGETS are: assessment, classes (or 'none': no block)" in message


def test_inline_markers_resolve_in_order(cfg):
    page = resolve(cfg, None, None, [Marker(3, "classes"), Marker(9, None)])
    assert [(c.target, c.placement) for c in page.inline] == [("classes", "inline"), ("assessment", "inline")]


def test_an_unknown_inline_target_names_the_line(cfg):
    page = resolve(cfg, None, None, [Marker(12, "physio")])
    assert page.inline == [None]
    ((line, message),) = page.problems
    assert line == 12
    assert "unknown booking target 'physio' in the marker '[[book: physio]]'" in message
    assert "assessment, classes" in message


@pytest.mark.parametrize("care", ["urgent", "immediate"])
def test_a_marker_inside_an_urgent_care_card_is_refused(cfg, care):
    page = resolve(cfg, None, None, [Marker(14, None, (((care,), 11),))])
    assert page.inline == [None]
    ((line, message),) = page.problems
    assert line == 14
    assert f"inside the '{care}' care card opened on line 11" in message
    assert "call 999" in message


def test_a_marker_in_a_non_urgent_box_is_fine(cfg):
    page = resolve(
        cfg, None, None, [Marker(4, None, ((("non-urgent",), 1),)), Marker(8, None, ((("note",), 6),))]
    )
    assert page.problems == []
    assert all(page.inline)


def test_a_malformed_marker_is_explained(cfg):
    page = resolve(cfg, None, None, [Marker(3, None, (), malformed=True)])
    ((line, message),) = page.problems
    assert line == 3
    assert "put [[book]] (the default target) or [[book: NAME]] on a line of its own" in message


def test_no_end_block_when_a_marker_for_the_same_target_already_ends_the_page(cfg):
    page = resolve(cfg, None, None, [Marker(30, None)], ends_with_marker=True)
    assert page.end is None and page.inline[0].target == "assessment"
    # another target at the end, or the marker earlier in the text: the end block stays
    assert resolve(cfg, "classes", 4, [Marker(30, None)], ends_with_marker=True).end.target == "classes"
    assert resolve(cfg, None, None, [Marker(30, None)], ends_with_marker=False).end.target == "assessment"


def test_a_page_ends_with_its_marker_when_only_comments_follow():
    from booking.syntax import ends_with_marker

    placeholder = Marker(3, None).placeholder()
    assert ends_with_marker(f"<p>Text</p>\n{placeholder}\n<!-- citations:references -->\n")
    assert not ends_with_marker(f"<p>Text</p>\n{placeholder}\n<p>More</p>")
    assert not ends_with_marker("<p>No marker</p>")
