"""Care cards: admonition syntax -> markers (Markdown parse) -> the care_card macro (theme component)."""

from __future__ import annotations

import markdown
import pytest
from markupsafe import Markup

from clinical.card_checks import structure_problems
from clinical.card_types import CARD_TYPES
from clinical.cards import CareCardExtension, booking_links, fill, marker_data
from rawhtml.core import take_problems
from tests.markdown_support import site_markdown


def to_html(source: str) -> str:
    return site_markdown(meta=False).convert(source)


def record(card_type, heading, level, body):
    return f"[{card_type}|{heading}|h{level}]{body}[/{card_type}]"


def test_each_card_type_is_marked_with_its_heading_and_body():
    for card_type in CARD_TYPES:
        html, cards = fill(to_html(f'!!! {card_type} "Call 111"\n    Body *text*.\n'), record)
        assert html == f"[{card_type}|Call 111|h2]<p>Body <em>text</em>.</p>[/{card_type}]"
        assert cards == [
            {"type": card_type, "heading": "Call 111", "level": 2, "body": "<p>Body <em>text</em>.</p>"}
        ]


def test_other_admonitions_are_not_made_cards_and_are_reported():
    html, found = take_problems(to_html('!!! warning "Careful"\n    Body.\n'))
    assert fill(html, record) == (html, [])
    assert html.startswith('<div class="admonition warning">')
    assert [(line, "'warning' is not a type of box" in msg) for line, msg, _ in found] == [(1, True)]


def test_the_card_heading_fits_the_outline_and_nested_cards_go_one_deeper():
    source = '# Title\n\n## Section\n\n!!! urgent "Outer"\n    Text.\n\n    !!! note "Inner"\n        More.\n'
    html, cards = fill(to_html(source), record)
    assert [(c["type"], c["level"]) for c in cards] == [("urgent", 3), ("note", 4)]
    assert "[urgent|Outer|h3]<p>Text.</p>\n[note|Inner|h4]<p>More.</p>[/note][/urgent]" in html


def test_headings_are_plain_text_and_markup_cannot_break_the_marker():
    html, refused = take_problems(to_html('!!! urgent "Go -- <b>now</b> & *today* -->"\n    Body.\n'))
    assert [line for line, *_ in refused] == [1]  # the site refuses raw <b> (rawhtml), at its line
    html, cards = fill(html, record)
    assert cards[0]["heading"] == "Go -- now & today -->"
    assert html.strip() == "[urgent|Go -- now & today -->|h2]<p>Body.</p>[/urgent]"


def test_a_card_without_a_title_gets_its_type_heading():
    _, cards = fill(to_html('!!! key-points ""\n    - one\n    - two\n'), record)
    assert cards[0]["heading"] == "Key points"


def test_toc_still_works_with_cards_in_the_document():
    md = markdown.Markdown(extensions=["admonition", "toc", CareCardExtension()])
    md.convert('## Before\n\n!!! note "N"\n    x\n\n## After\n')
    assert [t["name"] for t in md.toc_tokens] == ["Before", "After"]


def test_booking_links_are_found_by_url_or_action_link_class():
    urls = ["https://booking.example.com/physio-clinic/initial-assessment"]
    body = (
        '<p><a href="https://booking.example.com/physio-clinic/initial-assessment?utm_source=x">Book</a></p>'
    )
    assert booking_links(body, urls) == [
        "https://booking.example.com/physio-clinic/initial-assessment?utm_source=x"
    ]
    assert booking_links('<a class="action-link" href="https://other.example.com/">x</a>', urls)
    assert booking_links('<a href="https://www.nhs.uk/">NHS</a>', urls) == []


# --- the component: named examples rendered with the theme's Jinja environment -------------------

EXAMPLES = {
    "immediate": dict(type="immediate", heading="Call 999 if:", text="Demo body text."),
    "urgent": dict(type="urgent", heading="Contact your GP or NHS 111 today if:", text="Demo body text."),
    "non-urgent": dict(type="non-urgent", heading="See a physiotherapist if:", text="Demo body text."),
    "note": dict(type="note", heading="Important Note", html=Markup("<p>Trusted <em>markup</em>.</p>")),
    "key-points": dict(type="key-points", html=Markup("<ul><li>One</li></ul>"), heading_level=3),
}
PREFIXES = {
    "immediate": "Immediate action required:",
    "urgent": "Urgent advice:",
    "non-urgent": "Non-urgent advice:",
    "note": "Note:",
    "key-points": "Key points:",
}


@pytest.mark.parametrize("name", EXAMPLES)
def test_care_card_examples(theme_env, name):
    macro = theme_env.get_template("components/care_card/care_card.html").module.care_card
    html = str(macro(**EXAMPLES[name]))
    level = EXAMPLES[name].get("heading_level", 2)
    heading = EXAMPLES[name].get("heading") or "Key points"
    assert html.startswith(f'<div class="care-card care-card--{name}">')
    assert (
        f'<h{level} class="care-card__heading"><span class="visually-hidden">{PREFIXES[name]} </span>'
        f"{heading}</h{level}>"
    ) in html
    assert "<a " not in html  # the component itself never adds a (booking) link


def test_care_card_escapes_text_and_heading(theme_env):
    macro = theme_env.get_template("components/care_card/care_card.html").module.care_card
    html = str(macro("urgent", heading="<script>x</script>", text="<img src=x onerror=alert(1)>"))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


# --- a card Markdown would not read as written is an error at its `!!!` line ----------------------

EXAMPLE_FIX = 'write it as: !!! urgent "Heading" then each line of its text indented by 4 spaces'


def problems(source: str) -> list[tuple[int, str]]:
    return structure_problems(source.expandtabs(4).split("\n"))


@pytest.mark.parametrize(
    ("source", "line", "says"),
    [
        ('!!! urgent "Call 111 if:"\n  - numb legs\n  - a fever\n', 1, "line 2 is indented by 2 spaces"),
        ('Text.\n\n!!! urgent "Call 111 if:"\n   - numb legs\n', 3, "line 4 is indented by 3 spaces"),
        ('!!! urgent "Call 111 if:"\n    - numb legs\n  - a fever\n', 1, "line 3 is indented by 2 spaces"),
        ('!!! urgent "Call 111 if:"\n\t- numb legs\n   - a fever\n', 1, "line 3 is indented by 3 spaces"),
        ('!!! urgent "Call 111 if:"\n\nText after.\n', 1, "has no text"),
        ('!!! urgent "Call 111 if:"\n', 1, "has no text"),
        ('!!! urgent "Call 111 if:"', 1, "has no text"),
        ('Text.\n\n!!! urgent ""\n- numb legs\n', 3, "has no text"),
        ('!!! urgent "A"\n    Call 111 if\nyou have a fever.\n', 1, "line 3 is not indented"),
        (
            '!!! note "Outer"\n    Text.\n\n    !!! urgent "Inner"\n      - numb legs\n',
            4,
            "line 5 is indented by 2",
        ),
    ],
)
def test_a_card_whose_text_markdown_would_put_outside_it_is_an_error(source, line, says):
    found = problems(source)
    assert [(ln, says in msg) for ln, msg in found] == [(line, True)], found
    assert "4 spaces" in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        '!!! urgent "Call 111 if:"\n    - numb legs\n      - both sides\n    - a fever\n\nAfter.\n',
        '!!! urgent "Call 111 if:"\n  \t- numb legs (a tab after two spaces is column 4)\n',
        '!!! note "N"\n    Text.\n\n    More text.\n\n- a list after the card\n  - nested by 2\n',
        '!!! urgent "Call 111 if:"\n    Text.\n\n```\n!!! note "in code"\n```\n',
    ],
)
def test_cards_written_as_markdown_reads_them_are_fine(source):
    assert problems(source) == []
    _html, cards = fill(to_html(source), record)
    assert cards and all(card["body"].strip() for card in cards)


def test_the_2_space_card_of_issue_14_no_longer_renders_an_empty_card():
    source = '!!! urgent "Contact your GP or NHS 111 today if:"\n  - numb legs\n  - a fever\n'
    md = markdown.Markdown(extensions=["extra", "admonition", CareCardExtension()], output_format="html5")
    html, found = take_problems(md.convert(source))
    assert [line for line, _, _ in found] == [1]
    html, cards = fill(html, record)
    assert cards == []  # an empty card is never handed to the template (it would print "None")
    assert "<li>numb legs</li>" in html


# --- a `!!` line Markdown would not read as the card the writer meant is an error at its line ----------

LIST = "    - numb legs\n    - a fever\n"


@pytest.mark.parametrize(
    ("source", "line", "says"),
    [
        (
            "!!! urgent \u201cContact your GP or 111 today if\u201d\n" + LIST,
            1,
            "(the heading is in curly quotes), so it would show as plain text, with no card around the "
            'lines under it; write it as: !!! urgent "Contact your GP or 111 today if"',
        ),
        (
            "Text.\n\n!!! urgent \u2018Contact your GP today if\u2019\n" + LIST,
            3,
            "curly quotes), so it would show as plain text, with no card around the lines under it; "
            'write it as: !!! urgent "Contact your GP today if"',
        ),
        (
            "!!! urgent 'Don't wait if'\n" + LIST,
            1,
            "in single quotes), so it would show as plain text, with no card around the lines under it; "
            'write it as: !!! urgent "Don\'t wait if"',
        ),
        ('!! urgent "Call 111 if:"\n' + LIST, 1, "it starts with 2 '!' instead of 3"),
        ('!!!! urgent "Call 111 if:"\n' + LIST, 1, "it starts with 4 '!' instead of 3"),
        (
            '!!! urgent "Contact GP":\n' + LIST,
            1,
            "text after the closing quote), so it would show as plain text, with no card around the lines "
            'under it; write it as: !!! urgent "Contact GP:"',
        ),
        ('!!! urgent "Call 111" today\n' + LIST, 1, 'write it as: !!! urgent "Call 111 today"'),
        ('!!! urgent "Call 111 if:\n' + LIST, 1, "no closing quote"),
        (
            "!!! urgent Call 111 if:\n" + LIST,
            1,
            "the heading is not in quotes), so it would show as plain text, with no card around the lines "
            'under it; write it as: !!! urgent "Call 111 if:"',
        ),
        ('  !!! urgent "Call 111 if:"\n' + LIST, 1, "it is indented by 2 spaces"),
        ('!!!  urgent "Call 111 if:"\n' + LIST, 1, "more than one space after '!!!'"),
        (
            "!!! \u201cCall 111 if:\u201d\n" + LIST,
            1,
            '!!! type "Call 111 if:" (the types are immediate, urgent, non-urgent, note, key-points)',
        ),
        (
            "!!! urgent Contact your GP or 111 today if\n" + LIST,
            1,
            "the words after '!!! urgent' are not in quotes, so Markdown takes them for style names, and "
            "the card would be headed just 'Urgent'; put the heading in straight double quotes: "
            '!!! urgent "Contact your GP or 111 today if"',
        ),
        (
            '!!! urgent today "Call 111 if:"\n' + LIST,
            1,
            'straight double quotes: !!! urgent "today Call 111 if:"',
        ),
        (
            '!!! urgnet "Call 111 today if:"\n' + LIST,
            1,
            "'urgnet' is not a type of box (did you mean 'urgent'?), so it would show as a plain box "
            "without a care card's colour or the label a screen reader reads; the types are immediate, "
            'urgent, non-urgent, note, key-points; write it as: !!! urgent "Call 111 today if:"',
        ),
        ('!!! Immediate "Call 999 if:"\n' + LIST, 1, "(did you mean 'immediate'?)"),
        ('!!! nonurgent "See a physio if:"\n' + LIST, 1, "(did you mean 'non-urgent'?)"),
        ('!!! tip "Try this"\n' + LIST, 1, 'key-points; write it as: !!! type "Try this"'),
        (
            '!!! urgent "Call 111 if:"\n        - numb legs\n        - a fever\n',
            1,
            "line 2 is indented by 8 spaces, so Markdown shows the '!!! urgent' box's text as code (grey "
            "fixed-width text, not a list); indent the first line of the box's text by exactly 4 spaces "
            '("    - numb legs")',
        ),
        ('!!! note "N"\n            Text.\n', 1, "line 2 is indented by 12 spaces"),
        (
            '!!! note "Outer"\n    Text.\n\n    !!! urgent \u201cInner\u201d\n    - numb legs\n',
            4,
            'write it as: !!! urgent "Inner"',
        ),
    ],
)
def test_a_heading_markdown_would_misread_is_an_error_at_its_line(source, line, says):
    found = problems(source)
    assert [(ln, says in msg) for ln, msg in found] == [(line, True)], found


@pytest.mark.parametrize(
    "source",
    [
        '!!!urgent "Call 111 if:"\n' + LIST,
        '!!! urgent "Call 111 if:"   \n' + LIST,
        "!!! urgent\n" + LIST,
        '!!! urgent "He said "now""\n' + LIST,
        '!!! urgent "Call 111 if:"\n    - numb legs\n\n            code after a list item is fine\n',
        "Wow!! Text.\n\n    !! indented code\n",
        "```\n!! urgent \u201cquoted\u201d\n```\n",
    ],
)
def test_headings_markdown_reads_as_cards_are_fine(source):
    assert problems(source) == []


def test_each_rejected_heading_really_is_misread_by_markdown():
    """The premise of each error: without the check, the page has no urgent card (or a wrong one)."""
    for source in [
        "!!! urgent \u201cCall 111 if\u201d\n" + LIST,
        '!! urgent "Call 111 if"\n' + LIST,
        '!!! urgent "Call 111":\n' + LIST,
        '!!! urgnet "Call 111"\n' + LIST,
    ]:
        _html, cards = fill(take_problems(to_html(source))[0], record)
        assert cards == [], source
    _html, cards = fill(take_problems(to_html("!!! urgent Call 111 if\n" + LIST))[0], record)
    assert [c["heading"] for c in cards] == ["Urgent"]
    html = take_problems(to_html('!!! urgent "Call 111"\n        - numb legs\n'))[0]
    assert "<pre><code>- numb legs" in html


# --- marker data is checked before it reaches the template -----------------------------------------


@pytest.mark.parametrize(
    "attrs",
    [
        '{"type":"urgent","heading":"x","level":"2 tabindex=1 autofocus onfocus=alert(1)"}',
        '{"type":"urgent","heading":"x","level":7}',
        '{"type":"urgent","heading":"x","level":true}',
        '{"type":"urgent","heading":"x","level":2.0}',
        '{"type":"urgent\\" onclick=\\"x","heading":"x","level":2}',
        '{"type":"warning","heading":"x","level":2}',
        '{"type":"urgent","heading":["x"],"level":2}',
        '{"type":"urgent","heading":"x","level":2,"extra":1}',
        '{"type":"urgent","heading":"x"}',
        "{not json}",
    ],
)
def test_a_marker_with_data_the_treeprocessor_never_writes_is_not_rendered(attrs):
    html = f"<!--clinical:care-card 0 {attrs}-->\n<p>Body.</p>\n<!--/clinical:care-card 0-->"
    out, cards = fill(html, record)
    assert cards == [] and marker_data(attrs) is None
    assert out == "<p>Body.</p>"


def test_marker_data_accepts_what_the_treeprocessor_writes():
    assert marker_data('{"type":"urgent","heading":"Call 111","level":3}') == {
        "type": "urgent",
        "heading": "Call 111",
        "level": 3,
    }


def test_an_empty_card_the_line_scan_cannot_see_is_reported_by_the_tree_check():
    md = markdown.Markdown(extensions=["extra", "admonition", CareCardExtension()], output_format="html5")
    html, found = take_problems(md.convert('- a step\n\n    !!! urgent "Call 999"\n\n- next step\n'))
    assert [(line, "has no text" in message) for line, message, _ in found] == [(3, True)]
    assert fill(html, record)[1] == []
    html, found = take_problems(md.convert('- a step\n\n    !!! urgent "Call 999"\n        - chest pain\n'))
    assert found == [] and fill(html, record)[1][0]["body"] == "<ul>\n<li>chest pain</li>\n</ul>"
