"""Test data and the small pipeline shared by the citations tests (imported as a module:
``from tests.citations.helpers import …``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown

from citations import core, render
from citations.engine import Engine
from citations.settings import STYLES_DIR, Config
from citations.syntax import META_KEY, UNSUPPORTED_KEY, CitationExtension, clusters_from_meta
from tests.theme_env import theme_env

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
FIXTURES = Path(__file__).with_name("fixtures")
SEED_BIB = FIXTURES / "back-pain-running.bib"  # copies of /work/shared/references
SEED_JSON = FIXTURES / "back-pain-running.json"
HARD_BIB = FIXTURES / "hard-cases.bib"  # fictional entries for the hard cases

THEME = render.theme_templates(theme_env())  # the site's components, as a build uses them


def run_pipeline(tmp_path: Path, doc: str, bib=SEED_BIB, style="harvard-cite-them-right", extensions=()):
    """Markdown → extension → core (bibliography folder with `bib`, `style`) → (Rendered, source path)."""
    folder = tmp_path / "references"
    folder.mkdir(exist_ok=True)
    if bib is not None:
        shutil.copy(bib, folder)
    source = tmp_path / "article.md"
    source.write_text(doc, encoding="utf-8")
    md = markdown.Markdown(extensions=[*extensions, CitationExtension()])
    html = md.convert(doc)
    meta = getattr(md, "Meta", {})
    config = Config(STYLES_DIR / f"{style}.csl", folder, "References", tmp_path / "cache", "en-GB", tmp_path)
    document = core.Document(
        str(source),
        html,
        clusters_from_meta(meta.get(META_KEY)),
        style=(meta.get("citation-style") or [None])[0],
        unsupported=clusters_from_meta(meta.get(UNSUPPORTED_KEY)),
    )
    (result,) = core.process([document], config, THEME, Engine(tmp_path / "cache"))
    return result, source
