"""The raw HTML policy: Markdown in → exact HTML out, and the problems with their file lines."""

from __future__ import annotations

import pytest

from rawhtml.core import ALLOWED, check_fragment, marker_problem, url_problem
from tests.markdown_support import assert_markdown_renders, render_markdown
from tests.rawhtml.inert import executable


def convert(source: str, meta: bool = True) -> tuple[str, list[tuple[int | None, str]]]:
    """Markdown as the site configures it: (HTML without the problem placeholders, [(line, message)])."""
    return render_markdown(source, meta)


def assert_renders(source: str, expected: str) -> None:
    assert_markdown_renders(source, expected)


def assert_rejects(source: str, line: int, says: str) -> str:
    html, problems = convert(source)
    assert any(ln == line and says in msg for ln, msg in problems), problems
    assert_inert(html)
    return html


def assert_inert(html: str) -> None:
    """No script can run from `html` as a browser reads it."""
    assert executable(html) == [], html


HEADER = "Title: T\nDate: 2025-03-01\n\n"


# --- what stays allowed ---------------------------------------------------------------------------


def test_the_allowed_inline_html_renders_as_written():
    assert_renders(
        HEADER + 'H<sub>2</sub>O, <abbr title="low back pain">LBP</abbr>, x<sup>2</sup>, <kbd>Ctrl</kbd>\n',
        '<p>H<sub>2</sub>O, <abbr title="low back pain">LBP</abbr>, x<sup>2</sup>, <kbd>Ctrl</kbd></p>',
    )
    assert_renders(
        'line one<br>\nline <span lang="cy">Croeso</span> <mark>m</mark> <ins>i</ins> <del>d</del>\n',
        '<p>line one<br>\nline <span lang="cy">Croeso</span> <mark>m</mark> <ins>i</ins> <del>d</del></p>',
    )


def test_comments_are_fine_and_code_shows_html_as_text():
    assert_renders("<!-- a note for editors -->\n\nText.\n", "<!-- a note for editors -->\n\n<p>Text.</p>")
    assert_renders("Use `<script>` here.\n", "<p>Use <code>&lt;script&gt;</code> here.</p>")
    assert_renders(
        "```\n<iframe src=x onload=alert(1)>\n```\n",
        "<pre><code>&lt;iframe src=x onload=alert(1)&gt;\n</code></pre>",
    )


def test_safe_links_and_markdown_features_are_untouched():
    assert_renders(
        "[a](https://nhs.uk) [b](mailto:x@example.com) [c](tel:+441632960000) [d](/about/) [e](#top)"
        " [f]({filename}/pages/about.md) <https://example.com>\n",
        '<p><a href="https://nhs.uk">a</a> <a href="mailto:x@example.com">b</a> '
        '<a href="tel:+441632960000">c</a> <a href="/about/">d</a> <a href="#top">e</a> '
        '<a href="{filename}/pages/about.md">f</a> <a href="https://example.com">https://example.com</a></p>',
    )
    html, problems = convert("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n## Heading {: #anchor .wide }\n")
    assert problems == []
    assert '<th style="text-align: left;">a</th>' in html and '<h2 class="wide" id="anchor">' in html


def test_the_allowed_set_is_small_and_has_no_links_images_or_styles():
    assert set(ALLOWED) == {"abbr", "br", "wbr", "sub", "sup", "kbd", "small", "mark", "ins", "del", "span"}
    assert all(not attrs - {"title"} for attrs in ALLOWED.values())


# --- raw HTML that is an error (file line, what to use instead), and the output stays inert ------


@pytest.mark.parametrize(
    ("source", "line", "says"),
    [
        ("Text.\n\n<script>alert(1)</script>\n", 3, "<script> is not allowed"),
        ("Text <script>alert(1)</script> inline.\n", 1, "<script> is not allowed"),
        ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>\n", 1, "<script> is not allowed"),
        ('<iframe srcdoc="<script>alert(1)</script>"></iframe>\n', 1, "embeds are not allowed"),
        ('<object data="javascript:alert(1)"></object>\n', 1, "<object> is not allowed"),
        ('<embed src="x.swf">\n', 1, "<embed> is not allowed"),
        ('<form action="https://evil.example"><input name=p></form>\n', 1, "forms are not allowed"),
        ("<style>body{display:none}</style>\n", 1, "<style> is not allowed"),
        (
            'Text <abbr title="x" onmouseover="alert(1)">a</abbr>\n',
            1,
            "event-handler attribute 'onmouseover'",
        ),
        ('Text <span style="position:fixed;inset:0">x</span>\n', 1, "style attribute"),
        ('Text <abbr\ntitle="x" ONCLICK=alert(1)>a</abbr>\n', 1, "event-handler attribute 'onclick'"),
        ('Text <a href="javascript:alert(1)">x</a>\n', 1, "'javascript:' is not allowed"),
        ('Text <img src=x onerror="alert(1)">\n', 1, "event-handler attribute 'onerror'"),
        ("Text <svg/onload=alert(1)>\n", 1, "<svg> is not allowed"),
        ('Text\n\n<div>\n<p onclick="alert(1)">x</p>\n</div>\n', 3, "<div> is not allowed"),
        ('Text\n\n<div>\n<p onclick="alert(1)">x</p>\n</div>\n', 4, "event-handler attribute 'onclick'"),
        ('<div markdown="1" onmouseover="alert(1)">*hi*</div>\n', 1, "<div> is not allowed"),
        ("Go <javascript:alert(1)>\n", 1, "is not allowed"),
        ("<?php echo 1; ?>\n", 1, "'<?php"),
    ],
)
def test_raw_html_outside_the_allowed_set_is_an_error_at_its_line(source, line, says):
    html = assert_rejects(HEADER + source, line + 3, says)
    assert "alert(1)</script>" not in html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java&#115;cript:alert(1)",
        "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
        "java&#x09;script:alert(1)",
        "&#x20;javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ],
)
def test_a_markdown_link_to_a_script_url_is_an_error(url):
    for source in (f"See [this]({url}).\n", f"![pic]({url})\n", f"See [this][r].\n\n[r]: {url}\n"):
        html, problems = convert(HEADER + source)
        assert problems and "is not allowed" in problems[0][1], (source, problems)
        assert problems[0][0] == (4 if "[r]:" not in source else 6), problems
        assert_inert(html)


def test_attribute_lists_cannot_add_event_handlers_styles_or_script_urls():
    assert_rejects(HEADER + '## Heading {: onclick="alert(1)" }\n', 4, "event-handler attribute 'onclick'")
    assert_rejects(HEADER + 'Para\n{: style="position:fixed" }\n', 5, "style attribute")
    assert_rejects(HEADER + '[x](https://ok.example){: href="javascript:alert(1)" }\n', 4, "'javascript:'")


def test_the_line_is_the_files_even_after_the_header_code_and_repeats():
    source = (
        HEADER + "`<script>` in code.\n\n```\n<script>\n```\n\n<kbd>k</kbd>\n\nText <script>x</script>.\n"
    )
    _html, problems = convert(source)
    assert problems == [(12, "<script> is not allowed in articles: pages run no script from articles")]
    source = HEADER + "A <b>one</b>.\n\nB <b>two</b>.\n"
    assert [line for line, _ in convert(source)[1]] == [4, 6]


# --- plugin markers typed by hand ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "says"),
    [
        (
            '<!--clinical:care-card 0 {"type":"urgent","heading":"x","level":"2 tabindex=1 autofocus '
            'onfocus=alert(1)"}-->\nBody.\n<!--/clinical:care-card 0-->',
            "only the clinical plugin may write",
        ),
        ('<!-- booking:inline {"line": 1, "target": null, "boxes": [], "malformed": false} -->', "booking"),
        ("<!-- citations:references -->", "::: {#refs}"),
        ('<!--rawhtml:problem {"line": 1, "message": "x", "check": "y"}-->', "rawhtml plugin"),
    ],
)
def test_a_plugin_marker_typed_in_an_article_is_an_error(marker, says):
    html, problems = convert(HEADER + "Text.\n\n" + marker + "\n")
    assert problems and problems[0][0] == 6 and says in problems[0][1], problems
    assert "<!--clinical" not in html and "<!-- booking" not in html and "<!-- citations" not in html


def test_marker_comments_are_recognised_through_spacing_and_case():
    assert marker_problem(" Clinical:care-card 0 {} ")
    assert marker_problem("/clinical:care-card 0")
    assert marker_problem(" TODO: check this ") is None


# --- the pure checks ------------------------------------------------------------------------------


def test_url_problem_sees_through_entities_case_and_whitespace():
    for bad in ("javascript:x", " \tjava\nscript:x", "JAVA&#83;CRIPT:x", "\x01javascript:x", "data:x"):
        assert url_problem(bad), bad
    for good in ("https://x", "HTTP://x", "mailto:a@b", "tel:+44", "/p", "p/q", "#f", "?q=1", "//x.example"):
        assert url_problem(good) is None, good


def test_an_accepted_fragment_is_written_as_nh3_cleaned_it():
    assert check_fragment("<ABBR TITLE='a&amp;b'>", inline=True).safe == '<abbr title="a&amp;b">'
    assert check_fragment("</abbr>", inline=True).safe == "</abbr>"
    rejected = check_fragment('<abbr title="x" onclick="alert(1)">', inline=True)
    assert rejected.findings and rejected.safe == '&lt;abbr title="x" onclick="alert(1)"&gt;'


# --- parser tricks: reported where Markdown reads them as HTML, inert either way ------------------

TRICKS = [
    ("a <!--><script>alert(1)</script>--> b", True),  # `<!-->` ends a comment in HTML5
    ("a <!--x--!><script>alert(1)</script>--> b", True),
    ('<a href=" javascript:alert(1)">x</a>', True),
    ('<a href="jav&#x09;ascript:alert(1)">x</a>', True),
    ("a <scr<script>ipt>alert(1)</script> b", True),
    ("a <abbr/onclick=alert(1)>b</abbr>", True),
    ("a <x-foo onclick=alert(1)>b</x-foo>", True),
    ("<details open ontoggle=alert(1)>", True),
    ("a <math><mi xlink:href=javascript:alert(1)>x</mi></math>", True),
    ("<![CDATA[<script>alert(1)</script>]]>", True),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', True),
    ("<textarea><script>alert(1)</script></textarea>", True),
    ('<meta http-equiv=refresh content="0;url=javascript:alert(1)">', True),
    ("   <script>alert(1)</script>", True),
    ("> <script>alert(1)</script>", True),
    ("- <script>alert(1)</script>", True),
    ("| a |\n|---|\n| <script>alert(1)</script> |", True),
    ("Text[^1]\n\n[^1]: <script>alert(1)</script>", True),
    ('!!! note "<script>alert(1)</script>"\n    body', True),
    ("## <script>alert(1)</script>", True),
    ("[x]( javascript:alert(1))", True),
    ("[x](<javascript:alert(1)>)", True),
    ("[x](javascript&colon;alert(1))", True),
    ("[x](&#0000106avascript:alert(1))", True),
    ("a <img src=x onerror=alert(1)// b", False),  # no `>`: text
    ('a <abbr title="x"onclick="alert(1)">b</abbr>', False),  # Markdown shows it as text
    ('<https://x.example" onmouseover="alert(1)>', False),
    ('[x](https://ok.example "t\\" onmouseover=alert(1)")', False),
    ('a <abbr title="<script>alert(1)</script>">x</abbr> b', False),  # only a title's text
    ("\t<script>alert(1)</script>", False),  # indented code
    ("*[HTML]: <script>alert(1)</script>\n\nHTML", False),
]


@pytest.mark.parametrize(("source", "reported"), TRICKS)
def test_parser_tricks_are_reported_or_shown_as_text(source, reported):
    html, problems = convert(HEADER + source + "\n")
    assert bool(problems) == reported, problems
    assert_inert(html)


def test_a_raw_block_is_found_at_its_own_line_not_in_indented_code_before_it():
    source = HEADER + "Example:\n\n    <script>alert(1)</script>\n\nReal:\n\n<script>alert(1)</script>\n"
    html, problems = convert(source)
    assert [line for line, _ in problems] == [10]
    assert "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>" in html
