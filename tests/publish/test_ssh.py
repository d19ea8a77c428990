"""Publishing to a real sshd + rsync, served by the shipped nginx.conf: content, headers, atomicity."""

from __future__ import annotations

import gzip
import ssl
import time
import urllib.error
import urllib.request
from pathlib import Path

import brotli

from tests.publish.conftest import assert_one_whole_release, kill_at, kill_group, run_publish, start_publish


def fetch(server, path: str, encoding: str | None = None):
    """(status, headers, body) from the local nginx over HTTPS (its self-signed certificate trusted)."""
    context = ssl.create_default_context(cafile=str(server.cert))
    request = urllib.request.Request(server.url + path, headers={"Accept-Encoding": encoding or "identity"})
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def live(server):
    """What a visitor gets for a site file through nginx (None unless 200): for assert_one_whole_release."""

    def read(name: str) -> bytes | None:
        status, _, body = fetch(server, "/" + name)
        return body if status == 200 else None

    return read


def releases_on_server(path: Path) -> list[str]:
    return sorted(p.name for p in (path / "releases").iterdir())


def test_publish_serves_the_site_with_headers_and_precompressed_files(ssh_target, releases):
    env, _, server = ssh_target
    result = run_publish(env, "publish", "--target", "ssh", "--site", str(releases.one))
    assert result.returncode == 0, result.stderr
    assert "uploaded" in result.stdout and "deleted" in result.stdout and " s." in result.stdout

    status, headers, body = fetch(server, "/")
    assert status == 200
    assert body == (releases.one / "index.html").read_bytes()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]

    status, headers, _ = fetch(server, "/theme/css/site.0123abcd.css")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"

    original = (releases.one / "index.html").read_bytes()
    status, headers, body = fetch(server, "/", "gzip")
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == original
    status, headers, body = fetch(server, "/", "br")
    assert headers["Content-Encoding"] == "br" and brotli.decompress(body) == original

    status, _, body = fetch(server, "/no-such-page/")
    assert status == 404 and body == (releases.one / "404.html").read_bytes()


def test_second_publish_switches_atomically_reuses_files_and_rolls_back(ssh_target, releases):
    env, path, server = ssh_target
    assert run_publish(env, "publish", "--target", "ssh", "--site", str(releases.one)).returncode == 0

    dry = run_publish(env, "publish", "--target", "ssh", "--site", str(releases.two), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "  + new-page/index.html" in dry.stdout and "  - retired/index.html" in dry.stdout
    assert len(releases_on_server(path)) == 1 and fetch(server, "/new-page/")[0] == 404  # nothing changed

    second = run_publish(env, "publish", "--target", "ssh", "--site", str(releases.two))
    assert second.returncode == 0, second.stderr
    assert "  + new-page/index.html" in second.stdout and "  - retired/index.html" in second.stdout
    assert fetch(server, "/new-page/")[0] == 200 and fetch(server, "/retired/")[0] == 404
    assert b"Release two is live." in fetch(server, "/")[2]
    old, new = (path / "releases" / name for name in releases_on_server(path))
    stylesheet = "theme/css/site.0123abcd.css"
    assert (old / stylesheet).stat().st_ino == (new / stylesheet).stat().st_ino  # hard link, not a copy
    assert (path / "current").is_symlink()

    back = run_publish(env, "rollback", "--target", "ssh")
    assert back.returncode == 0, back.stderr
    assert "Rolled back to" in back.stdout
    assert fetch(server, "/")[2] == (releases.one / "index.html").read_bytes()
    assert fetch(server, "/retired/")[0] == 200 and fetch(server, "/new-page/")[0] == 404


def test_killed_publish_leaves_the_previous_release_live_and_a_rerun_converges(ssh_target, releases):
    env, path, server = ssh_target
    assert run_publish(env, "publish", "--target", "ssh", "--site", str(releases.one)).returncode == 0
    live_release = (path / "current").resolve()

    # 24 MB at 2 MB/s: the upload is certainly still running when the partial folder appears.
    publish = start_publish(
        {**env, "TEST_SSH_BWLIMIT": "2000"}, "publish", "--target", "ssh", "--site", str(releases.big)
    )
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".partial-") for p in (path / "releases").iterdir()):
        assert publish.poll() is None, publish.stdout.read()
        assert time.monotonic() < deadline, "the upload never started"
        time.sleep(0.05)
    time.sleep(0.5)
    kill_group(publish)

    assert (path / "current").resolve() == live_release
    assert assert_one_whole_release(live(server), {"one": releases.one, "big": releases.big}) == "one"
    assert fetch(server, "/retired/")[0] == 200 and fetch(server, "/images/bulk/photo-00.jpg")[0] == 404

    rerun = run_publish(env, "publish", "--target", "ssh", "--site", str(releases.big))
    assert rerun.returncode == 0, rerun.stderr
    assert (
        fetch(server, "/images/bulk/photo-23.jpg")[2]
        == (releases.big / "images/bulk/photo-23.jpg").read_bytes()
    )
    assert b"Release two is live." in fetch(server, "/")[2]
    assert not [name for name in releases_on_server(path) if name.startswith(".")]  # partial upload removed
    back = run_publish(env, "rollback", "--target", "ssh")
    assert back.returncode == 0, back.stderr
    assert assert_one_whole_release(live(server), {"one": releases.one, "big": releases.big}) == "one"


def test_killed_between_release_complete_and_switch_keeps_the_old_release_and_rollback_skips_it(
    ssh_target, releases
):
    env, path, server = ssh_target
    both = {"one": releases.one, "two": releases.two}
    assert run_publish(env, "publish", "--target", "ssh", "--site", str(releases.one)).returncode == 0
    first = (path / "current").resolve().name

    out = kill_at(env, "switch", "publish", "--target", "ssh", "--site", str(releases.two))
    assert "complete; switching" in out
    (unserved,) = [name for name in releases_on_server(path) if name != first]
    assert not unserved.startswith(".")  # release two is complete on the server ...
    assert (path / "current").resolve().name == first  # ... but was never switched to
    assert assert_one_whole_release(live(server), both) == "one"

    rerun = run_publish(env, "publish", "--target", "ssh", "--site", str(releases.two))
    assert rerun.returncode == 0, rerun.stderr
    assert assert_one_whole_release(live(server), both) == "two"
    assert unserved not in releases_on_server(path) and len(releases_on_server(path)) == 2

    back = run_publish(env, "rollback", "--target", "ssh")  # to what was live before: one, not `unserved`
    assert back.returncode == 0, back.stderr
    assert (path / "current").resolve().name == first
    assert assert_one_whole_release(live(server), both) == "one"


def test_rollback_after_rollback_and_publish_returns_to_what_was_live_before(ssh_target, releases):
    """one, two, rollback (one), big, rollback: one again, never two (which was rolled back from)."""
    env, _, server = ssh_target
    sites = {"one": releases.one, "two": releases.two}  # big's home page is two's
    for args in (("publish", "one"), ("publish", "two"), ("rollback",), ("publish", "big"), ("rollback",)):
        extra = ["--site", str(getattr(releases, args[1]))] if len(args) > 1 else []
        result = run_publish(env, args[0], "--target", "ssh", *extra)
        assert result.returncode == 0, result.stderr
    assert assert_one_whole_release(live(server), sites) == "one"


def test_failing_check_publishes_nothing(ssh_target, releases):
    env, path, _ = ssh_target
    env = {**env, "TEST_CHECK_COMMAND": "false"}
    result = run_publish(env, "publish", "--target", "ssh", "--site", str(releases.one))
    assert result.returncode != 0
    assert "check" in result.stderr and "nothing was published" in result.stderr
    assert not path.exists()  # not even the releases folder


def test_old_releases_are_pruned_to_keep(ssh_target, releases):
    env, path, _ = ssh_target  # testconf keeps 3
    for _ in range(4):
        assert run_publish(env, "publish", "--target", "ssh", "--site", str(releases.one)).returncode == 0
    kept = releases_on_server(path)
    assert len(kept) == 3 and (path / "current").resolve().name == kept[-1]
