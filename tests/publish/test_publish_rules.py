"""The publish rules that need no server: refusals and the cache/type policy (the shipped headers:
test_deploy_config.py)."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys

import pytest

from sitetools.publish import PublishError, files
from sitetools.publish.config import demo_values, load_settings
from sitetools.publish.prepare import run_check
from tests.publish.conftest import ROOT, base_env, run_publish


def test_publishing_the_demo_clinic_is_refused_before_building(releases, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "invoke", "publish", "--target", "ssh", "--site", str(releases.one)],
        cwd=ROOT, env=base_env(tmp_path), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode != 0
    assert "demo values" in proc.stderr
    assert "CLINIC['phone_display'] = '01632 960000'" in proc.stderr
    assert "Building" not in proc.stdout and "Uploading" not in proc.stdout


def test_demo_markers_are_found_anywhere_in_the_clinic_settings():
    settings = {"SITEURL": "https://physio.clinic.test", "CLINIC": {"email": "mailto:a@Example.org"}}
    settings["BOOKING_TARGETS"] = {"a": {"url": "https://your-clinic.cliniko.com/bookings"}}
    assert demo_values(settings) == [
        "CLINIC['email'] = 'mailto:a@Example.org' (contains the demo marker 'example.org')"
    ]


def test_a_missing_check_fails_closed(tmp_path, monkeypatch):
    """Without sitetools/check.py (`invoke check`), nothing is published."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "sitetools.check" else real(name)
    )
    (tmp_path / "index.html").write_text("<!doctype html>")
    with pytest.raises(PublishError, match="refusing to publish an unchecked build"):
        run_check({}, tmp_path)


def test_unknown_target_names_the_configured_ones(tmp_path):
    result = run_publish(base_env(tmp_path), "rollback", "--target", "ftp")
    assert result.returncode == 1
    assert "no publish target named 'ftp'" in result.stderr and "s3, ssh" in result.stderr


@pytest.mark.parametrize(
    ("name", "kind", "cache"),
    [
        ("articles/x/index.html", "text/html; charset=utf-8", files.REVALIDATE),
        ("feeds/all.rss.xml", "application/rss+xml; charset=utf-8", files.REVALIDATE),
        ("theme/css/site.css", "text/css; charset=utf-8", files.REVALIDATE),
        ("theme/css/site.3f2a9c1d.css", "text/css; charset=utf-8", files.IMMUTABLE),
        ("images/knee-0a1b2c3d4e.webp", "image/webp", files.IMMUTABLE),
        ("images/photo.jpg", "image/jpeg", files.REVALIDATE),
        ("pagefind/wasm.en.pagefind", "application/octet-stream", files.REVALIDATE),
    ],
)
def test_types_and_cache_policy(name, kind, cache):
    assert (files.content_type(name), files.cache_control(name)) == (kind, cache)


def test_precompression_is_deterministic_and_skips_what_does_not_shrink(tmp_path):
    (tmp_path / "page.html").write_text("<p>same text again</p>\n" * 100)
    (tmp_path / "tiny.css").write_text("a{}")
    (tmp_path / "photo.jpg").write_bytes(b"\xff" * 5000)
    assert files.precompress(tmp_path, ["gzip", "br"]) == 2
    first = (tmp_path / "page.html.gz").read_bytes()
    files.precompress(tmp_path, ["gzip"])
    assert (tmp_path / "page.html.gz").read_bytes() == first  # unchanged page, unchanged .gz
    assert gzip.decompress(first) == (tmp_path / "page.html").read_bytes()
    assert not (tmp_path / "tiny.css.gz").exists() and not (tmp_path / "photo.jpg.gz").exists()


def test_the_built_site_needs_no_inline_script_or_style(real_site):
    """The CSP has no 'unsafe-inline': an inline <script>, <style>, style= or on…= would be blocked.
    JSON-LD (<script type="application/ld+json">) is data, which CSP does not block."""
    blocked = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>|<style[\s>]|\sstyle=|\son[a-z]+=", re.I
    )
    offenders = {
        page.relative_to(real_site).as_posix(): sorted(set(blocked.findall(page.read_text(encoding="utf-8"))))
        for page in real_site.rglob("*.html")
        if blocked.search(page.read_text(encoding="utf-8"))
    }
    assert offenders == {}, "move these into files under theme/static/ (the CSP blocks them)"


def test_test_settings_are_the_production_settings_without_demo_values():
    settings = load_settings("tests/publish/testconf.py")
    assert settings["SITE_ENV"] == "production" and demo_values(settings) == []
    assert demo_values(load_settings("publishconf.py"))  # what the refusal test relies on
