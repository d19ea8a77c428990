"""Hostile care-card headings: a `!!` line Markdown would not read as a card, or would read as a plain
or wrongly headed box, or a card whose text would show as code.

Each of these built with exit 0 before: the red flags became a paragraph run into the heading, or a
card headed just "Urgent", or a grey box without the urgent styling or its screen-reader label.
"""

from __future__ import annotations

import pytest

HEADER = "Title: Hostile card\nDate: 2025-03-01\nCategory: Running\n\n"
LIST = "    - you have numbness in both legs\n    - you have a high temperature\n"

CASES = [
    # (heading line and text, what the error at the heading's line says)
    (
        "!!! urgent \u201cContact your GP or 111 today if\u201d\n" + LIST,
        "(the heading is in curly quotes), so it would show as plain text, with no card around the "
        'lines under it; write it as: !!! urgent "Contact your GP or 111 today if"',
    ),
    (
        "!!! urgent 'Contact your GP today if'\n" + LIST,
        "(the heading is in single quotes)",
    ),
    ('!! urgent "Contact your GP or 111 today if:"\n' + LIST, "it starts with 2 '!' instead of 3"),
    (
        '!!! urgent "Contact GP":\n' + LIST,
        "there is text after the closing quote), so it would show as plain text, with no card around "
        'the lines under it; write it as: !!! urgent "Contact GP:"',
    ),
    ('   !!! immediate "Call 999 if:"\n' + LIST, "it is indented by 3 spaces"),
    (
        "!!! urgent Contact your GP or 111 today if\n" + LIST,
        "the card would be headed just 'Urgent'; put the heading in straight double quotes: "
        '!!! urgent "Contact your GP or 111 today if"',
    ),
    (
        '!!! urgnet "Call 111 today if:"\n' + LIST,
        "'urgnet' is not a type of box (did you mean 'urgent'?)",
    ),
    ('!!! Urgent "Call 111 today if:"\n' + LIST, "(did you mean 'urgent'?)"),
    (
        '!!! warning "Call 111 today if:"\n' + LIST,
        "the types are immediate, urgent, non-urgent, note, key-points",
    ),
    (
        '!!! urgent "Call 111 today if:"\n' + LIST.replace("    ", "        "),
        "line 8 is indented by 8 spaces, so Markdown shows the '!!! urgent' box's text as code",
    ),
]


@pytest.mark.parametrize(("body", "says"), CASES)
def test_a_card_heading_markdown_would_misread_is_an_error_at_its_line(box, body, says):
    path = box.article(HEADER + "Intro.\n\n" + body + "\nAfter the card.\n")
    box.rejects(path, 7, says)


def test_a_wrong_heading_inside_a_card_is_reported_at_its_own_line(box):
    body = (
        '!!! note "Outer"\n    Text.\n\n    !!! urgent \u201cCall 111 if\u201d\n    - numb legs\n\nAfter.\n'
    )
    path = box.article(HEADER + "Intro.\n\n" + body)
    box.rejects(path, 10, 'write it as: !!! urgent "Call 111 if"')


def test_the_headings_markdown_reads_still_build(box):
    box.article(
        HEADER + "Intro!!\n\n"
        '!!! urgent "Contact your GP or NHS 111 today if:"\n' + LIST + "\n"
        '!!!non-urgent "See a physiotherapist if:"\n    - it is no better after 6 weeks\n\n'
        '!!! key-points ""\n    - one\n\n'
        "```\n!! urgent \u201cquoted as code\u201d\n```\n"
    )
    box.accepts()
