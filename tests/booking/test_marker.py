"""The [[book]] marker as Markdown syntax: input Markdown → exact HTML (placeholders), line numbers."""

from __future__ import annotations

import textwrap

from booking.syntax import Marker, markers, replace
from tests.markdown_support import site_markdown


def convert(text: str) -> str:
    return site_markdown().convert(textwrap.dedent(text).lstrip("\n"))


def placeholder(line, target=None, boxes=(), malformed=False) -> str:
    return Marker(line, target, boxes, malformed).placeholder()


def test_default_marker_on_its_own_line():
    html = convert(
        """
        Title: A
        Date: 2025-01-31

        The physio team are here to help.

        [[book]]

        After.
        """
    )
    assert html == f"<p>The physio team are here to help.</p>\n{placeholder(6)}\n<p>After.</p>"


def test_named_marker_any_case_and_spacing():
    html = convert("Text\n\n[[ Book :  Classes ]]\n")
    assert html == f"<p>Text</p>\n{placeholder(3, 'classes')}"


def test_a_marker_right_under_a_paragraph_still_stands_alone():
    html = convert("Book with us.\n[[book: classes]]\nMore text.\n")
    assert html == f"<p>Book with us.</p>\n{placeholder(2, 'classes')}\n<p>More text.</p>"


def test_markers_in_code_are_left_alone():
    html = convert(
        """
        Write it like this:

        ```
        [[book]]
        ```

        or `[[book]]` in a sentence, or indented:

            [[book: classes]]
        """
    )
    assert "booking:inline" not in html
    assert html.count("[[book") == 3


def test_a_marker_in_a_note_box_is_recorded_with_the_box():
    html = convert(
        """
        !!! note "Good to know"
            Some text.

            [[book: classes]]
        """
    )
    (marker,) = markers(html)
    assert marker == Marker(4, "classes", ((("note",), 1),))
    assert '<!--clinical:care-card 0 {"type":"note"' in html  # the site makes the box a care card
    assert html.index("booking:inline") < html.index("<!--/clinical:care-card 0-->")  # inside the box


def test_a_marker_in_an_urgent_box_records_the_box_and_its_line():
    html = convert(
        """
        Intro.

        !!! urgent "Call 999 now"
            If you lose control of your bladder, call 999.

            [[book]]

        [[book]]
        """
    )
    inside, outside = markers(html)
    assert inside == Marker(6, None, ((("urgent",), 3),))
    assert outside == Marker(8, None, ())  # the box ended at the unindented line


def test_nested_boxes_are_all_recorded():
    html = convert(
        """
        !!! immediate "Call 999"
            Text.

            !!! note
                [[book]]
        """
    )
    assert markers(html) == [Marker(5, None, ((("immediate",), 1), (("note",), 4)))]


def test_something_like_a_marker_is_reported_not_dropped():
    html = convert("Please [[book]] now.\n\n[[book classes]]\n")
    assert [m.line for m in markers(html)] == [1, 3]
    assert all(m.malformed for m in markers(html))
    assert "Please [[book]] now." in html  # the writer's text stays until it is fixed


def test_ordinary_text_has_no_markers():
    html = convert("Book now to begin your recovery. See [the booking page](https://example.com/book).\n")
    assert markers(html) == []


def test_replace_puts_rendered_html_in_each_placeholder():
    html = convert("A\n\n[[book]]\n\nB\n\n[[book: classes]]\n")
    out = replace(html, lambda m: f"<div>{m.target or 'default'}</div>")
    assert out == "<p>A</p>\n<div>default</div>\n<p>B</p>\n<div>classes</div>"


def test_a_placeholder_not_written_by_the_extension_is_neither_read_nor_rendered():
    forged = [
        '"line": 1, "target": "x\\" onclick=\\"alert(1)", "boxes": [], "malformed": false',
        '"line": "1", "target": null, "boxes": [], "malformed": false',
        '"line": 1, "target": null, "boxes": [[["urgent"], "x"]], "malformed": false',
        '"line": 1, "target": null, "boxes": [], "malformed": 0',
        '"line": 1, "target": null, "boxes": []',
    ]
    for data in forged:
        html = "<!-- booking:inline {" + data + "} -->"
        assert markers(html) == []
        assert replace(html, lambda marker: "RENDERED") == ""
    good = placeholder(3, "classes", ((("urgent",), 1),))
    assert markers(good) == [Marker(3, "classes", ((("urgent",), 1),))]


def test_markers_a_writer_gets_wrong_are_malformed_not_dropped():
    for line in (
        "[[book:]]",
        "[[book: a b]]",
        "Text [[book]] here.",
        "[[book]] [[book]]",
        "[[book:classes]]x",
    ):
        html = convert(f"Intro.\n\n{line}\n")
        assert [m.malformed for m in markers(html)] == [True], line
    assert markers(convert("Intro.\n\n[[ book ]]\n")) == [Marker(3, None)]  # spaces are forgiven
    assert markers(convert("Intro.\n\n[[book: Unknown]]\n")) == [Marker(3, "unknown")]  # checked later
