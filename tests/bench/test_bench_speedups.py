"""The speed-ups `invoke bench` led to give the same results as the code they replaced.

- clinical reading age: `text_blocks` tokenises with one regular expression instead of
  `html.parser.HTMLParser`; the old extractor is kept here as the oracle, run over every page of
  the real site;
- clinical reading age: results are reused across builds by the hash of the page's HTML.
"""

from __future__ import annotations

from html.parser import HTMLParser

from clinical import readability


class OracleExtractor(HTMLParser):
    """The HTMLParser-based extractor `text_blocks` replaced (as it was, for comparison)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._skip: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(text)
        self._current = []

    def handle_starttag(self, tag, attrs):
        if tag in readability._VOID:
            if tag in readability._BLOCKS and not self._skip:
                self._flush()
            return
        classes = set((dict(attrs).get("class") or "").split())
        if self._skip or tag in readability._SKIP_TAGS or classes & readability._SKIP_CLASSES:
            self._skip.append(tag)
            return
        if tag in readability._BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if self._skip:
            if tag in self._skip:
                while self._skip and self._skip.pop() != tag:
                    pass
            return
        if tag in readability._BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self._skip:
            self._current.append(data)

    def close(self):
        super().close()
        self._flush()


def oracle(html: str) -> list[str]:
    parser = OracleExtractor()
    parser.feed(html)
    parser.close()
    return parser.blocks


TRICKY = [
    '<p>a &amp; b &lt;c&gt; <br/>d</p><script>if (a<b) {"</p>"}</script><p CLASS="x citation">gone</p>after',
    "<div class='visually-hidden'>x</div>y<p class=citation>z</p>w<p>1 < 2 and 3 > 2</p>",
    '<!-- <p>c</p> -->t<p title="a>b">text</p><code/>k<span/>m<ul><li>one<li>two</ul>',
    "a &nbsp;b&#8217;s &unknown; c<pre><code>x = 1</code></pre><h2>Head</h2><td>cell",
]


def test_text_blocks_match_the_htmlparser_extractor_on_every_page(site):
    pages = sorted(site.output.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert readability.text_blocks(html) == oracle(html), path
    for html in TRICKY:
        assert readability.text_blocks(html) == oracle(html), html


def test_measure_cache_reuses_results_across_builds(tmp_path, site):
    html = site.page("articles/back-pain-how-running-can-help-not-harm/index.html")
    path = tmp_path / "cache" / "clinical-readability.json"
    first = readability.MeasureCache(path)
    assert first.measure(html) == readability.measure(html)
    first.save()
    second = readability.MeasureCache(path)
    assert second.measure(html) == readability.measure(html)
    assert second.measure("<p>Another page. Short words.</p>") == readability.measure(
        "<p>Another page. Short words.</p>"
    )
    path.write_text("not json", encoding="utf-8")
    assert readability.MeasureCache(path).measure(html) == readability.measure(html)  # a bad file: empty
