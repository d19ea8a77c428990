"""Text hygiene of one file (pure)."""

from __future__ import annotations

import pytest

from contentguard.text import check_text, nesting


def test_clean_utf8_with_tabs_crlf_and_a_bom_is_fine():
    assert (
        check_text(b"\xef\xbb\xbfTitle: Caf\xc3\xa9\r\n\r\n\tText \xe2\x80\x94 ok.\r\n", markdown=True) == []
    )


@pytest.mark.parametrize(
    ("data", "line", "says"),
    [
        (b"Title: A\n\nCaf\xe9 au lait\n", 3, "byte 0xE9 at column 4 (e.g. '\u00e9' saved as Latin-1"),
        ("Title: A\n".encode("utf-16"), 1, "saved as UTF-16"),
        ("Title: A\n".encode("utf-16-be").join([b"\xfe\xff", b""]), 1, "saved as UTF-16"),
        (b"Title: A\n\nok\nbad \x00\nbad \x00\n", 4, "U+0000 NULL at column 5 (and on 1 more line(s))"),
        (b"a\x0cb\n", 1, "U+000C FORM FEED"),
        ("a\u0085b\n".encode(), 1, "U+0085 NEXT LINE"),
        (b"a\x7fb\n", 1, "U+007F DELETE"),
    ],
)
def test_first_bad_line_is_named(data, line, says):
    [(got_line, message)] = check_text(data)
    assert got_line == line
    assert says in message
    assert message.endswith(("UTF-8)", "cannot see it)"))


def test_nesting_counts_quotes_and_indented_levels():
    assert nesting("> > > x\n" + "    " * 5 + "- x\n", 5) == []
    [(line, message)] = nesting("ok\n" + "> " * 6 + "x\n", 5)
    assert line == 2 and "blockquotes ('>') nested 6 deep, over the limit of 5" in message
    [(line, message)] = nesting("ok\n\n" + "\t" * 6 + "- x\n", 5)
    assert line == 3 and "indented 24 spaces (6 levels)" in message


def test_nesting_ignores_fenced_code():
    assert nesting("```\n" + ">" * 100 + "\n```\n", 5) == []


def test_nesting_is_only_checked_for_markdown():
    assert check_text(b">" * 100, markdown=False, max_nesting=5) == []
    assert check_text(b">" * 100, markdown=True, max_nesting=5) != []
