"""The Markdown extension: pandoc's citation syntax → placeholders + cluster data.

In the style of Python-Markdown's assertMarkdownRenders: input Markdown → exact HTML.
"""

from __future__ import annotations

import json
import time

import markdown
import pytest

from citations.syntax import META_KEY, REFS_MARKER, CitationExtension

N, T, S = "NormalCitation", "AuthorInText", "SuppressAuthor"


def convert(source: str, *extensions: str) -> tuple[str, list[dict]]:
    md = markdown.Markdown(extensions=[*extensions, CitationExtension()])
    html = md.convert(source)
    meta = getattr(md, "Meta", {}).get(META_KEY)
    return html, json.loads(meta[0]) if meta else []


def cite(key: str, mode: str = N, prefix: str = "", suffix: str = "") -> dict:
    return {"id": key, "prefix": prefix, "suffix": suffix, "mode": mode}


def span(keys: str, number: int, raw: str) -> str:
    return f'<span class="citation" data-cites="{keys}" data-cluster="{number}">{raw}</span>'


def assert_renders(source: str, expected_html: str, expected_clusters: list[list[dict]], *extensions: str):
    html, clusters = convert(source, *extensions)
    assert html == expected_html
    assert [c["cites"] for c in clusters] == expected_clusters


def test_single_key():
    assert_renders(
        "Common [@hartvigsen2018].",
        f"<p>Common {span('hartvigsen2018', 0, '[@hartvigsen2018]')}.</p>",
        [[cite("hartvigsen2018")]],
    )


def test_several_keys():
    assert_renders(
        "[@belavy2017; @mitchell2020]",
        f"<p>{span('belavy2017 mitchell2020', 0, '[@belavy2017; @mitchell2020]')}</p>",
        [[cite("belavy2017"), cite("mitchell2020")]],
    )


def test_narrative_and_narrative_with_locator():
    assert_renders(
        "@neason2024 found, as @horga2022 [p. 33] did.",
        f"<p>{span('neason2024', 0, '@neason2024')} found, "
        f"as {span('horga2022', 1, '@horga2022 [p. 33]')} did.</p>",
        [[cite("neason2024", T)], [cite("horga2022", T, suffix="p. 33")]],
    )


def test_narrative_with_locator_and_more_keys():
    _, clusters = convert("@a [p. 3; @b]")
    assert clusters[0]["cites"] == [cite("a", T, suffix="p. 3"), cite("b")]


def test_suppress_author():
    assert_renders(
        "[-@horga2022]", f"<p>{span('horga2022', 0, '[-@horga2022]')}</p>", [[cite("horga2022", S)]]
    )


def test_prefix_suffix_locators():
    raw = "[see @maselli2020, p. 343; also @belavy2017 chap. 3]"
    assert_renders(
        raw,
        f"<p>{span('maselli2020 belavy2017', 0, raw)}</p>",
        [
            [
                cite("maselli2020", prefix="see", suffix=", p. 343"),
                cite("belavy2017", prefix="also", suffix=" chap. 3"),
            ]
        ],
    )


def test_braced_and_punctuated_keys():
    _, clusters = convert("[@{doi:10.5555/x}] and [@smith:2020.a] and [@a.b.]")
    assert [c["cites"][0]["id"] for c in clusters] == ["doi:10.5555/x", "smith:2020.a", "a.b"]
    assert clusters[2]["cites"][0]["suffix"] == "."  # trailing punctuation is not part of a key


def test_clusters_are_numbered_in_document_order():
    # the bracketed and narrative processors run one after the other; numbering must follow the text
    html, clusters = convert("@a then [@b] then @c, [@d]")
    assert [c["cites"][0]["id"] for c in clusters] == ["a", "b", "c", "d"]
    assert [c["raw"] for c in clusters] == ["@a", "[@b]", "@c", "[@d]"]
    assert 'data-cites="c" data-cluster="2"' in html


def test_narrative_followed_by_bracketed_keys_is_one_cluster():
    _, clusters = convert("@c [@d] and @e [see @f]")  # as pandoc reads it
    assert [c["cites"] for c in clusters] == [
        [cite("c", T), cite("d")],
        [cite("e", T), cite("f", prefix="see")],
    ]


@pytest.mark.parametrize(
    "source, expected",
    [
        ("Write to info@example.com today.", "<p>Write to info@example.com today.</p>"),
        ("<info@example.com>", None),  # automail: no citation, whatever the obfuscated markup
        (
            "Code `[@hartvigsen2018]` and `@x`.",
            "<p>Code <code>[@hartvigsen2018]</code> and <code>@x</code>.</p>",
        ),
        ("    [@indented]\n", "<pre><code>[@indented]\n</code></pre>"),
        ("```\n[@fenced] @x\n```", "<pre><code>[@fenced] @x\n</code></pre>"),
        ("Just [some text] and [a; b].", "<p>Just [some text] and [a; b].</p>"),
        ("A footnote[^1].\n\n[^1]: Note.", None),
        ('<span data-x="@attr">x</span>', '<p><span data-x="@attr">x</span></p>'),
    ],
)
def test_left_alone(source, expected):
    html, clusters = convert(source, "extra")
    assert clusters == []
    assert 'class="citation"' not in html
    if expected is not None:
        assert html == expected


def test_brackets_with_a_keyless_part_are_text_but_the_key_cites():
    # pandoc: "[@a; not a cite]" is not a bracketed citation; @a inside it is a narrative one
    html, clusters = convert("[@a; not a cite]")
    assert html == f"<p>[{span('a', 0, '@a')}; not a cite]</p>"
    assert clusters[0]["cites"] == [cite("a", T)]


def test_markup_in_affixes_is_kept_raw_and_escaped():
    html, clusters = convert("[see *this* @a, p. 3 & <b>]")
    assert clusters[0]["cites"] == [cite("a", prefix="see *this*", suffix=", p. 3 & <b>")]
    assert span("a", 0, "[see *this* @a, p. 3 &amp; &lt;b&gt;]") in html


def test_list_table_heading_admonition():
    source = "\n".join(
        [
            "# Heading [@h1]",
            "",
            "- item [@l1]",
            "",
            "| a | b |",
            "|---|---|",
            "| [@t1] | @t2 |",
            "",
            "!!! note",
            "    Admonition [@ad1; @ad2].",
        ]
    )
    html, clusters = convert(source, "extra", "admonition", "toc")
    assert [c["cites"][0]["id"] for c in clusters] == ["h1", "l1", "t1", "t2", "ad1"]
    assert f"<li>item {span('l1', 1, '[@l1]')}</li>" in html
    assert f"<td>{span('t1', 2, '[@t1]')}</td>" in html
    assert f"<td>{span('t2', 3, '@t2')}</td>" in html
    assert f"<p>Admonition {span('ad1 ad2', 4, '[@ad1; @ad2]')}.</p>" in html
    assert span("h1", 0, "[@h1]") + "</h1>" in html


def test_refs_marker():
    html, _ = convert("[@a]\n\n::: {#refs}\n:::\n\nAfter.")
    assert html == f"<p>{span('a', 0, '[@a]')}</p>\n{REFS_MARKER}\n<p>After.</p>"


def test_refs_marker_in_code_block_is_text():
    html, _ = convert("```\n::: {#refs}\n:::\n```", "fenced_code")
    assert REFS_MARKER not in html and "::: {#refs}" in html


def test_state_is_per_document():
    ext = CitationExtension()  # Pelican shares one instance between the Markdown objects it makes
    first = markdown.Markdown(extensions=[ext])
    first.convert("[@a]")
    second = markdown.Markdown(extensions=[ext])
    second.convert("[@b]")
    assert json.loads(second.Meta[META_KEY][0])[0]["cites"][0]["id"] == "b"
    first.reset()
    first.convert("no citations")
    assert META_KEY not in getattr(first, "Meta", {})


def test_meta_extension_keeps_its_metadata():
    md = markdown.Markdown(extensions=["meta", CitationExtension()])
    md.convert("Title: x\n\n[@a]")
    assert md.Meta["title"] == ["x"]
    assert json.loads(md.Meta[META_KEY][0])[0]["raw"] == "[@a]"


def _cpu_seconds(source: str) -> float:
    best = float("inf")
    for _ in range(3):
        md = markdown.Markdown(extensions=["extra", CitationExtension()])
        started = time.process_time()
        md.convert(source)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize(
    "make",
    [
        # each "[" used to be matched by rescanning the rest of the line, by this extension and by
        # Python-Markdown's link processors (20 KB took 162 s)
        lambda n: "[" * n + " [@a]",
        lambda n: "[" * n + "x" + "]" * n,  # nested brackets without a key
        lambda n: "[" * n + "@a" + "; y]" * n,  # every level has a key, none a key in its last part
        lambda n: "@a [x; " * n,  # narrative citations with unclosed locators
    ],
    ids=["open-brackets", "nested", "nested-keys", "locators"],
)
def test_scanning_time_grows_linearly(make):
    # 4x the input must cost about 4x the time; a quadratic scan costs 16x.
    ratio = _cpu_seconds(make(8_000)) / _cpu_seconds(make(2_000))
    assert ratio < 8, ratio


@pytest.mark.parametrize(
    "source",
    [
        "[a [b] c](http://x) and [b](<y> 'T') and ![i](p.png)",
        "[ref][id] and [id] and [Ref][] and ![img][id]\n\n[id]: http://z",
        "[unclosed [x](http://a) [[y]](http://b) [z]",
        "[a [b](http://c) d](http://e) ![[x] y](p.png) [q]: not a definition",
    ],
)
def test_links_are_unchanged(source):
    # The extension swaps Python-Markdown's link processors for twins with a linear bracket scan.
    plain = markdown.Markdown(extensions=["extra"]).convert(source)
    html, _ = convert(source, "extra")
    assert html == plain
