"""Previous/next and related articles, for the article template.

Pelican glue only (the rules are in ``core``). When the article generator has finished, each
published article gets ``prev_article`` (the older one), ``next_article`` (the newer one) and
``related`` (up to RELATED_MAX_ARTICLES articles sharing tags or the category), computed from the
whole list of articles on every build.
"""

from __future__ import annotations

from pelican import signals

from . import core
from .settings import DEFAULTS


def article_generator_finalized(generator) -> None:
    limit = generator.settings.get("RELATED_MAX_ARTICLES", DEFAULTS["RELATED_MAX_ARTICLES"])
    articles = list(generator.articles)
    pairs = core.neighbours(articles)
    related = core.related_all(articles, limit)
    for article in articles:
        article.prev_article, article.next_article = pairs[id(article)]
        article.related = related[id(article)]


# The live preview (sitetools/preview/changes.py): prev/next/related read only dates, tags, categories.
LIVE_RELOAD_SCOPE = "structure"


def register() -> None:
    signals.article_generator_finalized.connect(article_generator_finalized)
