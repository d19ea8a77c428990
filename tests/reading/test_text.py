"""reading.text: the one pass that says what a reader reads; reading time and reading age count the
same words from it, once per page."""

from __future__ import annotations

from dataclasses import dataclass

from clinical.readability import measure
from reading.core import reading_time
from reading.text import of, read

#: HTML the tokenizer must read as a browser would (what html.parser did before it).
TRICKY = {
    '<p>a &amp; b &lt;c&gt; <br/>d</p><script>if (a<b) {"</p>"}</script><p CLASS="x">e</p>after': (
        ["a & b <c>", "d", "e", "after"],
        ["a & b <c> d", "e"],
    ),
    "<div class='visually-hidden'>x</div>y<p>1 < 2 and 3 > 2</p>": (
        ["y", "1 < 2 and 3 > 2"],
        ["1 < 2 and 3 > 2"],
    ),
    '<!-- <p>c</p> -->t<p title="a>b">text</p><code/>k<span/>m<ul><li>one<li>two</ul>': (
        ["t", "text", "km", "one", "two"],
        ["text"],
    ),
    "a &nbsp;b&#8217;s &unknown; c<pre><code>x = 1</code></pre><h2>Head</h2><td>cell": (
        ["a b’s &unknown; c", "Head", "cell"],
        [],
    ),
}


def test_blocks_and_opening_paragraphs_of_tricky_html():
    for html, (blocks, paragraphs) in TRICKY.items():
        prose = read(html)
        assert (prose.blocks, prose.paragraphs) == (blocks, paragraphs), html


def test_parenthetical_citations_are_left_out_narrative_ones_are_read():
    prose = read(
        '<p>Running helps <span class="citation"><a href="#ref-b">(Belavy <em>et al.</em>, 2017)</a>'
        '<span class="citation-preview">Belavý DL. Sci Rep.</span></span>.</p>'
        '<p><span class="citation"><a href="#ref-h">Horga et al. (2022)</a></span> found more.</p>'
        '<div class="book-now"><a href="https://example.com">Book an assessment</a></div>'
        '<section class="references"><h2 id="references-title">References</h2><p>Belavý DL.</p></section>'
    )
    assert prose.blocks == ["Running helps.", "Horga et al. (2022) found more."]
    assert prose.words == 8 == measure(prose).words
    assert [h.text for h in prose.headings] == ["References"]


def test_reading_time_and_reading_age_count_the_same_words_of_the_real_article(site):
    html = site.page("articles/back-pain-how-running-can-help-not-harm/index.html")
    article = html[html.index("<main") : html.index("</main>")]
    prose = read(article)
    assert prose.words > 300
    assert reading_time(prose, 200).words == measure(prose).words == prose.words


@dataclass
class Page:
    _content: str


def test_a_page_is_read_once_until_its_html_changes():
    page = Page("<p>One two.</p>")
    first = of(page)
    assert of(page) is first
    page._content += "<p>Three.</p>"
    assert of(page) is not first and of(page).words == 3
