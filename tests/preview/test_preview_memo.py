"""The live preview remembers what Pelican recomputes on every rebuild (sitetools/pelican_private.py):
the remembered answers must be the ones Pelican gives, including for values that compare equal but
format differently, and what changed between two rebuilds must still count as changed."""

from __future__ import annotations

import json
import subprocess
import sys

from sitetools.preview.changes import same
from tests.conftest import ROOT

# Run in a child process: the memos patch Pelican's Content class for the life of a process.
URLS = r"""
import datetime as dt, json, sys
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Category
from sitetools import pelican_private

settings = {**DEFAULT_CONFIG, "PATH": "/site/content", "ARTICLE_URL": "{date:%Y/%H}/{slug}-{part}/",
            "ARTICLE_SAVE_AS": "{category}/{date:%Y}/{slug}-{part}.html", "DRAFT_URL": "drafts/{slug}/"}
utc, plus1 = dt.timezone.utc, dt.timezone(dt.timedelta(hours=1))
cases = [  # the same instant in two zones; 1 and True are equal keys but format apart; a draft
    ("a", dt.datetime(2024, 1, 1, 10, tzinfo=utc), 1, "published"),
    ("a", dt.datetime(2024, 1, 1, 11, tzinfo=plus1), 1, "published"),
    ("a", dt.datetime(2024, 1, 1, 10, tzinfo=utc), True, "published"),
    ("a", dt.datetime(2024, 1, 1, 10, tzinfo=utc), 1, "draft"),
    ("b", dt.datetime(2025, 6, 1, 10, tzinfo=utc), 1.0, "published"),
]
def made():
    return [Article("<p>x</p>", metadata={"title": s, "slug": s, "date": d, "part": p, "status": st,
                                          "category": Category("Knee Pain", settings)},
                    settings=settings, source_path=f"/site/content/articles/{n}.md", context={})
            for n, (s, d, p, st) in enumerate(cases)]
def urls(objs):
    return [[o.url, o.save_as, o.get_relative_source_path()] for o in objs]
plain = urls(made())
pelican_private.install_url_memo()
pelican_private.install_relative_path_memo()
objs = made()
print(json.dumps({"plain": plain, "memo": urls(objs), "again": urls(objs)}))
"""


def test_remembered_urls_are_pelicans_also_for_equal_values_that_format_apart():
    result = subprocess.run(
        [sys.executable, "-c", URLS], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["memo"] == found["plain"] == found["again"]
    assert len({u for u, _, _ in found["plain"]}) == len(found["plain"])  # every case its own url


def test_equal_frozen_records_render_alike_and_a_changed_field_does_not():
    sys.path.insert(0, str(ROOT / "plugins"))
    from clinical.review import Review, ReviewDate

    day = ReviewDate(__import__("datetime").date(2026, 1, 2), "2 January 2026")
    assert same(Review(True, reviewed=day), Review(True, reviewed=day))
    later = ReviewDate(day.date.replace(day=3), "3 January 2026")
    assert not same(Review(True, reviewed=day), Review(True, reviewed=later))
    assert not same(Review(True), Review(False))


def test_taxonomy_pages_list_the_same_articles_in_linear_time():
    from pelican.contents import Article
    from pelican.generators import ArticlesGenerator
    from pelican.settings import DEFAULT_CONFIG

    from sitetools.pelican_private import linear_taxonomies

    assert not any("__eq__" in vars(cls) for cls in Article.__mro__[:-1])  # `in` means identity

    def article(n: int) -> Article:
        return Article("<p>x</p>", metadata={"title": f"A{n}"}, settings=DEFAULT_CONFIG, context={})

    def pages(generator) -> list:
        written = []

        def write(name, *args, dates, **kwargs):
            written.append((name, [id(a) for a in dates], [id(a) for a in kwargs["articles"]]))

        for method in (generator.generate_tags, generator.generate_categories, generator.generate_authors):
            method(write)
        return written

    def generator(articles: list) -> ArticlesGenerator:
        made = ArticlesGenerator.__new__(ArticlesGenerator)
        made.get_template = lambda name: name
        made.context, made.articles, made.dates = {}, articles, list(reversed(articles))
        made.tags = {f"t{k}": [a for n, a in enumerate(articles) if n % (k + 2) == 0] for k in range(5)}
        made.categories = [(f"c{k}", articles[k::3]) for k in range(3)]
        made.authors = [("x", articles[::2]), ("y", articles[1::5])]
        return made

    articles = [article(n) for n in range(60)]
    plain, linear = generator(articles), generator(articles)
    for made in (plain, linear):  # stand-ins for Tag, Category, Author: the attributes Pelican reads
        made.tags = {_Named(k): v for k, v in made.tags.items()}
        made.categories = [(_Named(k), v) for k, v in made.categories]
        made.authors = [(_Named(k), v) for k, v in made.authors]
    linear_taxonomies(linear)
    assert pages(linear) == pages(plain)
    assert len(pages(plain)) == 10 and all(dates for _, dates, _ in pages(plain))


class _Named(str):
    @property
    def save_as(self) -> str:
        return f"{self}.html"

    url = save_as
    page_name = save_as
    slug = save_as


def test_remembered_sitemap_dates_are_the_plugins_also_for_the_same_instant_in_two_zones():
    import datetime as dt

    from pelican.plugins.sitemap import sitemap

    from sitetools.pelican_private import install_sitemap_date_memo

    utc, plus1 = dt.UTC, dt.timezone(dt.timedelta(hours=1))
    dates = [dt.datetime(2024, 1, 1, 10, tzinfo=utc), dt.datetime(2024, 1, 1, 11, tzinfo=plus1)]
    dates += [dt.datetime(2024, 1, 1, 10), dt.datetime(2024, 1, 1, 10, tzinfo=utc)]
    plain = [getattr(sitemap.format_date, "__wrapped__", sitemap.format_date)(d) for d in dates]
    install_sitemap_date_memo()
    assert [sitemap.format_date(d) for d in dates] == plain
    assert plain[0] != plain[1] != plain[2]
