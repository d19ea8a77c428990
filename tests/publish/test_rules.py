"""The publish rules that need no server: refusals and the cache/type policy (the shipped headers:
test_deploy_config.py)."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys

import pytest

from sitetools.publish import PublishError, files
from sitetools.publish.config import demo_values, load_settings
from sitetools.publish.localserve import free_port
from sitetools.publish.prepare import run_check, stage
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
    "content/timetable.yaml:6 demo = 'true' (fictional class times: enter the real classes, then delete "
    "the line)",
]


def test_publishing_the_demo_clinic_lists_every_demo_value_at_once(tmp_path):
    """`invoke publish --dry-run` with the shipped settings: one refusal naming all 15 values, no build."""
    proc = subprocess.run(
        [sys.executable, "-m", "invoke", "publish", "--target", "ssh", "--dry-run"],
        cwd=ROOT, env=base_env(tmp_path), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode != 0
    assert "publish: error: publishconf.py: the site still has 15 demo value(s)" in proc.stderr
    listed = [line.strip() for line in proc.stderr.splitlines() if line.startswith("  ")]
    assert listed == DEMO_REPORT
    assert "Building" not in proc.stdout and "Uploading" not in proc.stdout


def test_the_demo_report_shrinks_as_each_value_is_replaced(tmp_path):
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
        ("PATH", None, str(tmp_path)),  # a content folder whose timetable has real times
    ]
    (tmp_path / "timetable.yaml").write_text("demo: false\nclasses: []\n", encoding="utf-8")
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


def test_precompression_removes_stale_compressed_copies(tmp_path):
    """A prebuilt site (--site) may carry name.gz from an older build: nginx would serve it instead."""
    (tmp_path / "page.html").write_text("<p>new</p>")  # too small to compress now
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(b"<p>old page</p>" * 50))
    (tmp_path / "page.html.br").write_bytes(b"old")
    (tmp_path / "feed.xml").write_text("<feed>new entries</feed>\n" * 50)
    (tmp_path / "feed.xml.br").write_bytes(b"old")  # gzip only this time
    files.precompress(tmp_path, ["gzip"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.xml", "feed.xml.gz", "page.html"]


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


def _publish_copy(releases, tmp_path, change) -> subprocess.CompletedProcess:
    """Publish a changed copy of release one to the ssh target (a port nobody listens on: each case
    is refused before anything connects)."""
    site = tmp_path / "site"
    shutil.copytree(releases.one, site)
    change(site)
    env = {**base_env(tmp_path), "TEST_SSH_PATH": str(tmp_path / "srv"), "TEST_SSH_PORT": str(free_port())}
    return run_publish(env, "publish", "--target", "ssh", "--site", str(site))


def test_a_development_build_is_refused(releases, tmp_path):
    def development(site):  # what `invoke build` (pelicanconf.py: no SITEURL) writes
        for page in site.rglob("*.html"):
            page.write_text(page.read_text().replace("https://physio.clinic.test", ""))

    result = _publish_copy(releases, tmp_path, development)
    assert result.returncode == 1
    assert "never links to SITEURL 'https://physio.clinic.test'" in result.stderr
    assert "nothing was published" in result.stderr and "Traceback" not in result.stderr


def test_a_page_still_showing_a_demo_value_is_refused(releases, tmp_path):
    def demo_phone(site):
        page = site / "about" / "index.html"
        page.write_text(page.read_text().replace("</main>", "<p>Call 01632 960000</p></main>", 1))

    result = _publish_copy(releases, tmp_path, demo_phone)
    assert result.returncode == 1
    assert "about/index.html contains the demo marker '01632 960'" in result.stderr
    assert "nothing was published" in result.stderr


def test_a_symlink_in_the_site_is_refused_not_published_as_a_file(releases, tmp_path):
    secret = tmp_path / "outside" / "id_ed25519"
    secret.parent.mkdir()
    secret.write_text("PRIVATE KEY")
    result = _publish_copy(releases, tmp_path, lambda site: (site / "key.txt").symlink_to(secret))
    assert result.returncode == 1
    assert "key.txt: the site contains a symlink; publish only real files" in result.stderr
    assert "Checking" not in result.stdout


def test_a_prebuilt_site_is_checked_with_the_findings_of_its_own_build(tmp_path):
    """The content check reads <site>/../.cache/diagnostics.json: --site brings it along, but only
    when it is the record of that very folder's build."""
    built = tmp_path / "project" / "output"
    built.mkdir(parents=True)
    (built / "index.html").write_text("<!doctype html>")
    (tmp_path / "project" / ".cache").mkdir()
    findings = tmp_path / "project" / ".cache" / "diagnostics.json"
    findings.write_text(json.dumps({"output": str(built), "diagnostics": []}))
    stage(built, tmp_path / "a" / "site")
    assert (tmp_path / "a" / ".cache" / "diagnostics.json").read_text() == findings.read_text()

    findings.write_text(json.dumps({"output": str(tmp_path / "elsewhere"), "diagnostics": []}))
    stage(built, tmp_path / "b" / "site")
    assert not (tmp_path / "b" / ".cache").exists()  # the content check then fails closed


def test_an_ssh_target_at_the_server_root_is_refused():
    from sitetools.publish.ssh import SSHTarget

    with pytest.raises(PublishError, match=r"\['path'\] is '/': name the site's own folder"):
        SSHTarget({"name": "web", "host": "127.0.0.1", "path": "/"})
