"""Hostile Markdown: raw HTML, script links, forged plugin markers and malformed care cards (#13, #14).

Each rejected case names the file and line and says what to write instead; for each, a variant
that the old build accepted is also built the new way and its page shown to hold nothing a
browser would run.
"""

from __future__ import annotations

import pytest

from tests.rawhtml.inert import executable

HEADER = "Title: Hostile\nDate: 2025-03-01\nCategory: Running\n\n"
ARTICLE = "content/articles/2025-03-01-hostile.md"
PAGE = "articles/hostile/index.html"  # where the article is written (ARTICLE_SAVE_AS)


def article_page(box) -> str:
    pages = [p for p in box.output.rglob("index.html") if "hostile" in p.parent.name]
    assert pages, "the article was not written"
    return pages[0].read_text(encoding="utf-8")


# --- raw HTML and script links (#13) -------------------------------------------------------------

RAW = [
    # (body, line of the problem in the body, what the error says)
    ("Text.\n\n<script>alert(document.cookie)</script>\n", 3, "<script> is not allowed"),
    (
        'Watch:\n\n<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>\n',
        3,
        "embeds are not allowed",
    ),
    ('Hover <abbr title="x" onmouseover="alert(1)">here</abbr>.\n', 1, "event-handler attribute"),
    ('Text\n\n<div style="position:fixed;inset:0;background:#fff">Call 0900 000000</div>\n', 3, "<div>"),
    ("[Book](javascript:alert(1)) now.\n", 1, "'javascript:' is not allowed"),
    ("[Book](java&#115;cript:alert(1)) now.\n", 1, "'javascript:' is not allowed"),
    ("[Book][b] now.\n\n[b]:  JaVaScRiPt:alert(1)\n", 3, "'javascript:' is not allowed"),
    ("![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)\n", 1, "'data:' is not allowed"),
    ('## Symptoms {: onclick="alert(1)" tabindex="0" }\n', 1, "event-handler attribute 'onclick'"),
    ('Go <a href="vbscript:msgbox(1)">here</a>.\n', 1, "write links in Markdown"),
    ("<form action=https://evil.example><input name=nhs></form>\n", 1, "forms are not allowed"),
]


@pytest.mark.parametrize(("body", "line", "says"), RAW)
def test_raw_html_and_script_links_are_build_errors(box, body, line, says):
    path = box.article(HEADER + "Intro.\n\n" + body)
    box.rejects(path, 4 + 2 + line, says)


def test_the_allowed_inline_html_still_builds_and_nothing_in_the_page_runs(box):
    box.article(
        HEADER + 'H<sub>2</sub>O and <abbr title="low back pain">LBP</abbr>, press <kbd>Esc</kbd>.\n\n'
        "[NHS](https://www.nhs.uk/) or call [111](tel:111).\n\n<!-- editor: checked 2025-03-01 -->\n"
    )
    box.accepts()
    html = article_page(box)
    assert '<abbr title="low back pain">LBP</abbr>' in html and "H<sub>2</sub>O" in html
    assert executable(html) == []


# --- plugin markers typed by hand (#13) ------------------------------------------------------------

FORGED_CARD = (
    '<!--clinical:care-card 0 {"type":"urgent","heading":"Hi",'
    '"level":"2 tabindex=1 autofocus onfocus=alert(document.domain) x"}-->\n'
    "Text.\n<!--/clinical:care-card 0-->\n"
)


def test_a_hand_written_care_card_marker_is_an_error(box):
    path = box.article(HEADER + "Intro.\n\n" + FORGED_CARD)
    box.rejects(path, 7, "marker only the clinical plugin may write")


def test_a_hand_written_booking_placeholder_is_an_error(box):
    placeholder = '<!-- booking:inline {"line": 1, "target": null, "boxes": [], "malformed": false} -->'
    path = box.article(HEADER + '!!! urgent "Call 999"\n    Now.\n\n' + placeholder + "\n")
    box.rejects(path, 8, "marker only the booking plugin may write")


# --- malformed care cards (#14) --------------------------------------------------------------------

CARDS = [
    (
        '!!! urgent "Contact your GP or NHS 111 today if:"\n  - numb legs\n  - a high temperature\n',
        "2 spaces",
    ),
    ('!!! urgent "Contact your GP or NHS 111 today if:"\n   - numb legs\n', "3 spaces"),
    ('!!! immediate "Call 999 if:"\n    - chest pain\n  - you cannot breathe\n', "2 spaces"),
    ('!!! urgent "Contact your GP or NHS 111 today if:"\n\nYou have numb legs.\n', "has no text"),
    ('!!! immediate "Call 999 if you have chest pain"\n', "has no text"),
    ('!!! key-points "Key points"\n    - one\nand two\n', "not indented"),
]


@pytest.mark.parametrize(("body", "says"), CARDS)
def test_a_card_whose_text_markdown_would_put_outside_it_is_an_error(box, body, says):
    path = box.article(HEADER + "Intro.\n\n" + body)
    box.rejects(path, 7, says)


def test_a_well_formed_card_holds_its_text_and_never_shows_none(box):
    box.article(
        HEADER + "Intro.\n\n"
        '!!! urgent "Contact your GP or NHS 111 today if:"\n    - numb legs\n    - a high temperature\n\n'
        "After the card.\n"
    )
    box.accepts()
    html = article_page(box)
    card = html[html.index('<div class="care-card care-card--urgent">') :]
    card = card[: card.index("After the card.")]
    assert "<li>numb legs</li>" in card and "<li>a high temperature</li>" in card
    assert ">None<" not in html and "None</p>" not in html


def test_every_rejected_payload_quoted_as_code_builds_and_shows_as_text(box):
    """The variant a writer may publish (the payload as code, e.g. in an article about phishing)
    builds, shows the text, and gives the browser nothing to run."""
    payloads = [body for body, _, _ in RAW] + [FORGED_CARD]
    fenced = "\n\n".join("```\n" + body.strip() + "\n```" for body in payloads)
    box.article(HEADER + "Examples:\n\n" + fenced + "\n\nInline: `<script>alert(1)</script>`.\n")
    box.accepts()
    html = article_page(box)
    assert executable(html) == []
    assert "&lt;script&gt;alert(document.cookie)&lt;/script&gt;" in html


def test_raw_html_in_the_summary_field_is_an_error_at_its_line(box):
    """Summary: goes through Markdown too, and is shown on the home page, lists and feeds."""
    header = HEADER.replace("\n\n", "\nSummary: Read <img src=x onerror=alert(1)>.\n\n")
    path = box.article(header + "Text.\n")
    box.rejects(path, 4, "in 'summary:': the event-handler attribute 'onerror'")
