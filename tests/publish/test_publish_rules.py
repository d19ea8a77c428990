"""The publish rules that need no server: refusals, the cache/type policy, and the shipped headers."""

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

DEMO_REPORT = [
    "CLINIC['name'] = 'Example Physio Clinic' (the demo clinic's name)",
    "CLINIC['street'] = '1 Example Street' (the demo street)",
    "CLINIC['locality'] = 'Exampleton' (the demo town)",
    "CLINIC['postcode'] = 'EX1 1AA' (the demo postcode)",
    "CLINIC['phone_display'] = '01632 960000' (Ofcom's drama range 01632 960xxx)",
    "CLINIC['phone_tel'] = 'tel:+441632960000' (Ofcom's drama range 01632 960xxx)",
    "CLINIC['email'] = 'mailto:hello@example.com' (a reserved example domain)",
    "PEOPLE['alex-example'] = 'Alex Example' (a fictional demo person)",
    "PEOPLE['sam-sample'] = 'Sam Sample' (a fictional demo person)",
    "BOOKING_TARGETS['assessment']['url'] = 'https://booking.example.com/physio-clinic/initial-assessment' "
    "(a demo booking page)",
    "BOOKING_TARGETS['classes']['url'] = 'https://booking.example.com/physio-clinic/strength-conditioning' "
    "(a demo booking page)",
    "BOOKING_TARGETS['classes-beginners']['url'] = "
    "'https://booking.example.com/physio-clinic/strength-conditioning-beginners' (a demo booking page)",
    "BOOKING_TARGETS['classes-intermediate']['url'] = "
    "'https://booking.example.com/physio-clinic/strength-conditioning-intermediate' (a demo booking page)",
    "SITEURL = 'https://www.example.com' (a reserved example domain)",
]


def test_publishing_the_demo_clinic_lists_every_demo_value_at_once(tmp_path):
    """`invoke publish --dry-run` with the shipped settings: one refusal naming all 14 values, no build."""
    proc = subprocess.run(
        [sys.executable, "-m", "invoke", "publish", "--target", "ssh", "--dry-run"],
        cwd=ROOT, env=base_env(tmp_path), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode != 0
    assert "publish: error: publishconf.py: the site still has 14 demo value(s)" in proc.stderr
    listed = [line.strip() for line in proc.stderr.splitlines() if line.startswith("  ")]
    assert listed == DEMO_REPORT
    assert "Building" not in proc.stdout and "Uploading" not in proc.stdout


def test_the_demo_report_shrinks_as_each_value_is_replaced():
    """Replace the demo settings one at a time: each step drops exactly its lines; none left at the end."""
    settings = load_settings("publishconf.py")
    assert demo_values(settings) == DEMO_REPORT
    expected = list(DEMO_REPORT)
    steps = [
        ("CLINIC", "name", "Riverside Physio Clinic"),
        ("CLINIC", "street", "2 Riverside Walk"),
        ("CLINIC", "locality", "Testbury"),
        ("CLINIC", "postcode", "ZZ99 9ZZ"),
        ("CLINIC", "phone_display", "020 7946 0000"),
        ("CLINIC", "phone_tel", "tel:+442079460000"),
        ("CLINIC", "email", "mailto:hello@riverside-physio.test"),
        ("PEOPLE", "alex-example", {"name": "Alex Example", "role": "Physiotherapist"}),
        ("PEOPLE", "sam-sample", {"name": "Sam Sample", "role": "Physiotherapist"}),
        *(
            (
                "BOOKING_TARGETS",
                name,
                {"label": name, "url": f"https://riverside.cliniko.com/bookings?{name}"},
            )
            for name in ("assessment", "classes", "classes-beginners", "classes-intermediate")
        ),
        ("SITEURL", None, "https://www.riverside-physio.test"),
    ]
    for setting, key, value in steps:
        if key is None:
            settings[setting] = value
        else:
            settings[setting] = {**settings[setting], key: value}
        expected.pop(0)
        assert demo_values(settings) == expected, f"after replacing {setting} {key or ''}"
    assert demo_values(settings) == []


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


def _nginx_headers() -> dict[str, str]:
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    return {m[0]: m[1] for m in re.findall(r'add_header ([\w-]+) "([^"]*)" always;', text)}


def _cdn_headers() -> dict[str, str]:
    lines = (ROOT / "deploy" / "_headers").read_text().splitlines()
    return {
        k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines if line.startswith("  "))
    }


def test_nginx_and_cdn_send_the_same_security_headers():
    cdn = _cdn_headers()
    assert cdn == _nginx_headers()
    assert set(cdn) == {
        "Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy",
        "Permissions-Policy",
    }  # fmt: skip
    assert "unsafe-inline" not in cdn["Content-Security-Policy"]
    assert cdn["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_nginx_cache_map_matches_the_publish_policy():
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    assert f'"~{files.FINGERPRINTED.pattern}" "{files.IMMUTABLE}";' in text
    assert f'default "{files.REVALIDATE}";' in text


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
