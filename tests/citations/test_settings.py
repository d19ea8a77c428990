"""Settings: defaults in one place, bad values are clear errors at start-up."""

from __future__ import annotations

import pytest

from citations import settings
from citations.settings import CitationsConfigError
from tests.citations.helpers import run_pipeline


def test_defaults(tmp_path):
    config = settings.read({"PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "cache")})
    assert config.style == settings.STYLES_DIR / "harvard-cite-them-right.csl"
    assert config.bibliography_path == tmp_path / "references"
    assert config.cache_path == tmp_path / "cache" / "citations"
    assert (config.locale, config.references_title) == ("en-GB", "References")


def test_shipped_styles():
    assert settings.shipped_styles() == ["apa", "harvard-cite-them-right", "vancouver"]


def test_unknown_style_name_says_what_to_do(tmp_path):
    with pytest.raises(
        CitationsConfigError, match=r"unknown citation style 'vancover': did you mean 'vancouver'"
    ):
        settings.read({"PATH": str(tmp_path), "CITATIONS_STYLE": "vancover"})


def test_style_path_must_be_a_csl_file(tmp_path):
    (tmp_path / "bad.csl").write_text("<html/>", encoding="utf-8")
    with pytest.raises(CitationsConfigError, match="not a CSL style"):
        settings.read({"PATH": str(tmp_path), "CITATIONS_STYLE": "bad.csl"})
    with pytest.raises(CitationsConfigError, match="not found"):
        settings.read({"PATH": str(tmp_path), "CITATIONS_STYLE": "missing.csl"})
    (tmp_path / "mine.csl").write_bytes((settings.STYLES_DIR / "apa.csl").read_bytes())
    assert (
        settings.read({"PATH": str(tmp_path), "CITATIONS_STYLE": "mine.csl"}).style == tmp_path / "mine.csl"
    )


def test_bad_article_style_is_a_diagnostic(tmp_path, messages):
    doc = "Citation-Style: harvard-cite-them-rigth\n\n[@hartvigsen2018]\n"
    result, source = run_pipeline(tmp_path, doc, extensions=["meta"])
    assert "Hartvigsen <em>et al.</em>, 2018</a>" in result.content  # fell back to the site style
    assert any(
        m.startswith(f"{source}:1: error: unknown citation style 'harvard-cite-them-rigth'")
        for m in messages()
    )


def test_limits_have_defaults_and_must_be_positive(tmp_path):
    config = settings.read({"PATH": str(tmp_path)})
    assert (config.pandoc_timeout, config.pandoc_memory, config.max_bytes) == (120, 2 * 1024**3, 2 * 1024**2)
    assert config.load_cache
    assert not settings.read({"PATH": str(tmp_path), "LOAD_CONTENT_CACHE": False}).load_cache
    for bad in (0, -1, "10", None, True):
        with pytest.raises(CitationsConfigError, match="CITATIONS_PANDOC_TIMEOUT must be a positive number"):
            settings.read({"PATH": str(tmp_path), "CITATIONS_PANDOC_TIMEOUT": bad})


def test_a_confined_style_must_be_shipped_or_inside_the_folder(tmp_path):
    content, outside = tmp_path / "content", tmp_path / "outside"
    content.mkdir(), outside.mkdir()
    (outside / "s.csl").write_bytes((settings.STYLES_DIR / "apa.csl").read_bytes())
    (content / "link.csl").symlink_to(outside / "s.csl")
    for value in ("../outside/s.csl", str(outside / "s.csl"), "link.csl"):
        with pytest.raises(CitationsConfigError, match="outside the content folder; use a shipped style"):
            settings.resolve_style(value, [content], confine=content)
    assert settings.resolve_style("apa", [content], confine=content).name == "apa.csl"
    (content / "mine.csl").write_bytes((settings.STYLES_DIR / "apa.csl").read_bytes())
    assert settings.resolve_style("mine.csl", [content], confine=content) == content / "mine.csl"
