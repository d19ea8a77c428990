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
