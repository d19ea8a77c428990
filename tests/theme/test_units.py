"""The theme-data plugins' pure modules: reading aids, related articles, templates
(content images: tests/images/)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from layouts.core import choices, navigation, problem
from reading import core as reading
from related.core import neighbours, related, related_all

SEED_LIKE = """
<p>Low back pain affects millions worldwide, ranking as the leading cause of disability <span class="citation"
 id="citation-1"><span class="citation-ref"><a href="#ref-h">(Hartvigsen <em>et al.</em>, 2018)</a><span
 class="citation-preview" role="tooltip">Hartvigsen J. The Lancet.</span></span></span>. Running can help.</p>
<div class="admonition note"><p class="admonition-title">Note</p><p>An aside, not the opening.</p></div>
<h2 id="one">One</h2><p><span class="citation"><a href="#ref-h">Horga et al. (2022)</a></span> found more.</p>
<div class="book-now book-now--inline"><a href="https://example.com">Book a physiotherapy assessment</a></div>
<h2 id="two">Two</h2><h3 id="two-a">Two A</h3><h2 id="three">Three</h2>
<section class="references"><h2 id="references-title">References</h2><p>Hartvigsen J (2018) many words here
 that are not read as part of the text at all.</p></section>
"""


def test_derived_summary_is_plain_sentences_without_citations_booking_or_asides():
    summary = reading.derived_summary(reading.read_html(SEED_LIKE), 40)
    assert summary == (
        "Low back pain affects millions worldwide, ranking as the leading cause of disability. "
        "Running can help. Horga et al. (2022) found more."
    )


def test_derived_summary_keeps_whole_sentences_or_cuts_a_long_one_with_an_ellipsis():
    text = reading.read_html("<p>One two three. Four five six seven.</p>")
    assert reading.derived_summary(text, 5) == "One two three."
    assert reading.derived_summary(text, 2) == "One two…"


def test_derived_summary_escapes_what_the_text_says():
    summary = reading.derived_summary(reading.read_html("<p>Use &lt;script&gt; &amp; more.</p>"), 40)
    assert summary == "Use &lt;script&gt; &amp; more."


def test_reading_time_counts_the_text_but_not_references_previews_or_booking():
    data = reading.read_html(SEED_LIKE)
    assert "Book" not in " ".join(data.paragraphs)
    assert reading.reading_time(data, 200).minutes == 1
    long = reading.read_html("<p>" + "word " * 401 + "</p>")
    assert (reading.reading_time(long, 200).minutes, reading.reading_time(long, 200).text) == (
        3,
        "3 min read",
    )


def test_contents_list_for_long_texts_only_with_h3_nested_and_references_last():
    headings = reading.read_html(SEED_LIKE).headings
    toc = reading.table_of_contents(headings, 4)
    assert [e.text for e in toc] == ["One", "Two", "Three", "References"]
    assert [c.id for c in toc[1].children] == ["two-a"]
    assert reading.table_of_contents(headings, 5) == []


@dataclass
class Art:
    title: str
    date: dt.datetime
    tags: list = field(default_factory=list)
    category: str = ""
    source_path: str = ""


def test_neighbours_are_older_and_newer_whatever_the_input_order():
    a, b, c = (Art(t, dt.datetime(2025, 1, d)) for t, d in (("a", 1), ("b", 2), ("c", 3)))
    pairs = neighbours([c, a, b])
    assert pairs[id(b)] == (a, c) and pairs[id(a)] == (None, b) and pairs[id(c)] == (b, None)


def test_related_ranks_shared_tags_then_category_then_date_and_never_unrelated():
    me = Art("me", dt.datetime(2025, 1, 1), ["running", "back pain"], "Back pain")
    two_tags = Art("two", dt.datetime(2024, 1, 1), ["Running", "back pain"], "Knees")
    one_tag_same = Art("one+", dt.datetime(2023, 1, 1), ["running"], "Back pain")
    one_tag = Art("one", dt.datetime(2025, 6, 1), ["running"], "Knees")
    category_only = Art("cat", dt.datetime(2025, 2, 1), [], "Back pain")
    nothing = Art("none", dt.datetime(2025, 3, 1), ["knees"], "Knees")
    everyone = [me, nothing, one_tag, category_only, one_tag_same, two_tags]
    assert [a.title for a in related(me, everyone, 5)] == ["two", "one+", "one", "cat"]
    assert [a.title for a in related(me, everyone, 2)] == ["two", "one+"]
    assert related(me, everyone, 0) == []


def test_related_all_gives_exactly_what_related_gives_for_each_article():
    """The indexed version (linear) against the plain definition (quadratic), ties included."""
    rng = random.Random(7)
    topics, categories = ["running", "knees", "back pain", "sleep", "strength"], ["Back pain", "Knees", ""]
    articles = [
        Art(
            f"a{n}",
            dt.datetime(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 20)),  # many equal dates: ties
            rng.sample(topics, rng.randint(0, 3)),
            rng.choice(categories),
        )
        for n in range(120)
    ]
    for limit in (0, 1, 3, 10):
        fast = related_all(articles, limit)
        for article in articles:
            assert fast[id(article)] == related(article, articles, limit), (article.title, limit)


def test_unknown_template_names_the_choices_with_a_hint():
    available = choices(["base.html", "article.html", "page.html", "contact.html", "components/toc/toc.html"])
    assert available == ["article", "contact", "page"]
    assert problem("page", available) is None
    assert problem("contcat", available) == (
        "unknown template 'contcat' in 'template: contcat' (did you mean 'contact'?); "
        "the theme's templates are: article, contact, page"
    )


def test_the_navigation_is_the_pages_with_nav_order_in_number_order():
    @dataclass
    class P:
        title: str
        nav_order: str | None = None

    pages = [P("Ten", "10"), P("About"), P("Two", "2"), P("Classes", "1")]
    assert [p.title for p in navigation(pages)] == ["Classes", "Two", "Ten"]  # "10" after "2"
