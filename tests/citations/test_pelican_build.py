"""A tiny real Pelican site with the plugin, built in a subprocess (Pelican's signals outlive a build)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap

from bs4 import BeautifulSoup

from tests.citations.helpers import PLUGINS, SEED_BIB

COMPONENTS = PLUGINS.parent / "theme" / "templates" / "components"

ARTICLE = """\
Title: Back pain: how running can help, not harm
Date: 2025-01-31
Slug: back-pain

Low back pain is the leading cause of disability [@hartvigsen2018].
@horga2022 scanned 21 first-time marathoners.
Runners are not more affected [see @maselli2020, p. 343; also @belavy2017],
and discs adapt [@belavy2017; @mitchell2020]. The ASTEROID trial by @neason2024 [p. 33] agrees.

!!! note
    Write to info@example.com; `[@not-a-citation]` is code.
"""

BUILD = textwrap.dedent(
    """\
    import sys
    from pelican import Pelican
    from pelican.settings import read_settings

    sys.path.insert(0, {plugins!r})
    import diagnostics
    from citations import pandoc

    settings = read_settings(override={{
        "PATH": "content", "OUTPUT_PATH": "output", "CACHE_PATH": "cache",
        "PLUGIN_PATHS": [{plugins!r}], "PLUGINS": ["citations"],
        "SITEURL": "https://example.org", "FEED_DOMAIN": "https://example.org",
        "FEED_ALL_ATOM": "feeds/all.atom.xml", "TIMEZONE": "Europe/London",
        "LOAD_CONTENT_CACHE": True, "CACHE_CONTENT": True, "THEME_TEMPLATES_OVERRIDES": ["templates"],
        "MARKDOWN": {{"extensions": ["markdown.extensions.extra", "markdown.extensions.toc",
                                     "markdown.extensions.admonition", "markdown.extensions.meta"]}},
    }})
    Pelican(settings).run()
    print("PANDOC_STARTS", pandoc.STARTS)
    print(diagnostics.COLLECTOR.summary())
    sys.exit(1 if diagnostics.COLLECTOR.errors else 0)
    """
)


def make_site(tmp_path, article: str):
    (tmp_path / "content" / "articles").mkdir(parents=True)
    (tmp_path / "content" / "references").mkdir()
    shutil.copy(SEED_BIB, tmp_path / "content" / "references")
    (tmp_path / "content" / "articles" / "back-pain.md").write_text(article, encoding="utf-8")
    for name in ("citation", "references"):  # Pelican's own theme, with the site's two components
        shutil.copytree(COMPONENTS / name, tmp_path / "templates" / "components" / name)
    (tmp_path / "build.py").write_text(BUILD.format(plugins=str(PLUGINS)), encoding="utf-8")


def run(tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "build.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )


def test_site_with_the_six_seed_citations(tmp_path):
    make_site(tmp_path, ARTICLE)
    done = run(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    page = (tmp_path / "output" / "back-pain.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    cites = soup.select("span.citation")
    assert len(cites) == 5  # clusters; six keys
    assert {a["href"] for c in cites for a in c.select("a[role=doc-biblioref]")} == {
        f"#ref-{k}"
        for k in ("hartvigsen2018", "horga2022", "maselli2020", "belavy2017", "mitchell2020", "neason2024")
    }
    entries = soup.select("section.references #refs > div.csl-entry")
    assert len(entries) == 6
    assert all(e.find("a", href=re.compile(r"^https://doi\.org/10\.")) for e in entries)
    assert "info@example.com" in page and "<code>[@not-a-citation]</code>" in page
    assert "uncited" not in done.stdout and "never cited: maselli2021, tagliaferri2023" in done.stdout
    feed = (tmp_path / "output" / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "https://example.org/back-pain.html#ref-hartvigsen2018" in feed
    assert 'href="#' not in feed.replace("&quot;", '"') and "citation-preview" not in feed

    again = run(tmp_path)  # warm: content cache and citation cache
    assert "PANDOC_STARTS 0" in again.stdout
    assert (tmp_path / "output" / "back-pain.html").read_text(encoding="utf-8") == page


def test_unknown_key_fails_the_build_with_a_diagnostic(tmp_path):
    make_site(tmp_path, ARTICLE + "\nA typo [@hartvigsen2019].\n")
    done = run(tmp_path)
    assert done.returncode == 1
    assert (
        "content/articles/back-pain.md:13: error: unknown citation key 'hartvigsen2019' "
        "(did you mean 'hartvigsen2018'?)" in done.stdout
    )
    page = (tmp_path / "output" / "back-pain.html").read_text(encoding="utf-8")
    assert "<strong>hartvigsen2019?</strong>" in page


def test_a_theme_without_the_components_fails_the_build_saying_what_to_copy(tmp_path):
    make_site(tmp_path, ARTICLE)
    shutil.rmtree(tmp_path / "templates" / "components" / "references")
    done = run(tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (
        "error: the theme has no components/references/references.html, which the citations plugin "
        "renders the reference list with; copy theme/templates/components/references/ into the theme"
    ) in done.stdout
