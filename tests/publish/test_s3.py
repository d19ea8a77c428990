"""Publishing to a real S3 endpoint (SeaweedFS, authentication on): types, cache headers, order, faults."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitetools.publish.files import site_files
from tests.publish.conftest import (
    S3Server,
    assert_one_whole_release,
    kill_at,
    kill_group,
    run_publish,
    start_publish,
)


def objects(server: S3Server, bucket: str) -> dict[str, bytes]:
    client = server.client()
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])]
    return {key: client.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


def site_keys(stored: dict[str, bytes]) -> set[str]:
    return {key for key in stored if not key.startswith(".publish/")}


def assert_exactly(server: S3Server, bucket: str, release: Path) -> None:
    """The bucket holds `release` and nothing else, and no publish is pending."""
    stored = objects(server, bucket)
    assert site_keys(stored) == set(site_files(release))
    assert [n for n, f in site_files(release).items() if stored[n] != f.path.read_bytes()] == []
    assert ".publish/pending.json" not in stored


def test_publish_uploads_types_and_cache_headers_then_only_changes(seaweedfs, bucket, releases, tmp_path):
    env = seaweedfs.env(tmp_path, bucket)
    first = run_publish(env, "publish", "--target", "s3", "--site", str(releases.one))
    assert first.returncode == 0, first.stderr
    expected = set(site_files(releases.one))
    assert site_keys(objects(seaweedfs, bucket)) == expected
    assert not any(key.endswith((".gz", ".br")) for key in expected)  # the CDN compresses, not us

    client = seaweedfs.client()
    for key, kind, cache in [
        ("index.html", "text/html; charset=utf-8", "public, max-age=0, must-revalidate"),
        ("theme/css/site.css", "text/css; charset=utf-8", "public, max-age=0, must-revalidate"),
        ("theme/css/site.0123abcd.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable"),
        ("feeds/all.atom.xml", "application/atom+xml; charset=utf-8", "public, max-age=0, must-revalidate"),
        ("theme/favicon.svg", "image/svg+xml; charset=utf-8", "public, max-age=0, must-revalidate"),
    ]:
        head = client.head_object(Bucket=bucket, Key=key)
        assert (head["ContentType"], head["CacheControl"]) == (kind, cache), key

    again = run_publish(env, "publish", "--target", "s3", "--site", str(releases.one))
    assert again.returncode == 0, again.stderr
    assert "0 uploaded, 0 deleted" in again.stdout

    dry = run_publish(env, "publish", "--target", "s3", "--site", str(releases.two), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "  + new-page/index.html" in dry.stdout and "  - retired/index.html" in dry.stdout
    assert "retired/index.html" in objects(seaweedfs, bucket)  # a dry run changes nothing

    second = run_publish(env, "publish", "--target", "s3", "--site", str(releases.two))
    assert second.returncode == 0, second.stderr
    lines = second.stdout.splitlines()
    assert (
        "  + index.html" in lines and "  + new-page/index.html" in lines and "  - retired/index.html" in lines
    )
    # New pages before the pages that link to them; deletions only after every upload.
    assert (
        lines.index("  + new-page/index.html")
        < lines.index("  + index.html")
        < lines.index("  - retired/index.html")
    )
    assert "2 uploaded, 1 deleted" in second.stdout  # checksums: nothing unchanged went up again
    stored = objects(seaweedfs, bucket)
    assert site_keys(stored) == set(site_files(releases.two))
    assert stored["index.html"] == (releases.two / "index.html").read_bytes()


def test_wrong_credentials_fail_clearly_and_change_nothing(seaweedfs, bucket, releases, tmp_path):
    assert (
        run_publish(
            seaweedfs.env(tmp_path, bucket), "publish", "--target", "s3", "--site", str(releases.one)
        ).returncode
        == 0
    )
    before = objects(seaweedfs, bucket)
    bad = run_publish(
        seaweedfs.env(tmp_path, bucket, secret="wrong"),
        "publish",
        "--target",
        "s3",
        "--site",
        str(releases.two),
    )
    assert bad.returncode != 0
    assert "refused the credentials" in bad.stderr and "AWS_SECRET_ACCESS_KEY" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert objects(seaweedfs, bucket) == before


@pytest.mark.parametrize(("step", "live_after_kill"), [("page", "one"), ("record", "two"), ("delete", "two")])
def test_killed_at_each_step_leaves_one_whole_release_and_rollback_restores_the_last_complete_one(
    seaweedfs, bucket, releases, tmp_path, step, live_after_kill
):
    """page: one page of two is up, the home page still one's; record: every file of two is up, its
    record not written; delete: two is recorded, one's dropped page not yet deleted."""
    env = seaweedfs.env(tmp_path, bucket)
    both = {"one": releases.one, "two": releases.two}
    assert run_publish(env, "publish", "--target", "s3", "--site", str(releases.one)).returncode == 0

    kill_at(env, step, "publish", "--target", "s3", "--site", str(releases.two))
    stored = objects(seaweedfs, bucket)
    assert assert_one_whole_release(stored.get, both) == live_after_kill
    assert "new-page/index.html" in stored and "retired/index.html" in stored  # a mix of pages, each whole

    back = run_publish(env, "rollback", "--target", "s3")  # back to one: the last complete release
    assert back.returncode == 0, back.stderr
    assert_exactly(seaweedfs, bucket, releases.one)

    rerun = run_publish(env, "publish", "--target", "s3", "--site", str(releases.two))
    assert rerun.returncode == 0, rerun.stderr
    assert_exactly(seaweedfs, bucket, releases.two)
    back = run_publish(env, "rollback", "--target", "s3")  # one again, never the killed copy of two
    assert back.returncode == 0, back.stderr
    assert_exactly(seaweedfs, bucket, releases.one)


def test_kill_trials_during_a_big_publish_then_rollback_and_rerun(seaweedfs, bucket, releases, tmp_path):
    """SIGKILL a publish of `big` (24 images, a new page, the changed home page: 26 uploads) after its
    1st, 12th, 25th and 26th upload line; each time the live site is one whole release and every
    object is one release's version, and rollback restores release one exactly."""
    env = seaweedfs.env(tmp_path, bucket)
    both = {"one": releases.one, "big": releases.big}
    versions = {name: {f.path.read_bytes()} for name, f in site_files(releases.one).items()}
    for name, f in site_files(releases.big).items():
        versions.setdefault(name, set()).add(f.path.read_bytes())
    assert run_publish(env, "publish", "--target", "s3", "--site", str(releases.one)).returncode == 0

    landed = []
    for after in (1, 12, 25, 26):
        publish = start_publish(env, "publish", "--target", "s3", "--site", str(releases.big))
        seen = 0
        for line in publish.stdout:
            seen += line.startswith("  + ")
            if seen == after:
                break
        kill_group(publish)
        stored = objects(seaweedfs, bucket)
        landed.append(assert_one_whole_release(stored.get, both))
        assert [key for key in site_keys(stored) if stored[key] not in versions.get(key, ())] == []
        back = run_publish(env, "rollback", "--target", "s3")
        assert back.returncode == 0, back.stderr
        assert_exactly(seaweedfs, bucket, releases.one)
    print(f"kill trials: {len(landed)}, live release after each kill: {landed}")
    assert landed[0] == "one"  # killed among the images: nothing a visitor sees has changed

    rerun = run_publish(env, "publish", "--target", "s3", "--site", str(releases.big))
    assert rerun.returncode == 0, rerun.stderr
    assert_exactly(seaweedfs, bucket, releases.big)


def test_rollback_republishes_the_previous_release(seaweedfs, bucket, releases, tmp_path):
    env = seaweedfs.env(tmp_path, bucket)
    assert run_publish(env, "publish", "--target", "s3", "--site", str(releases.one)).returncode == 0
    assert run_publish(env, "publish", "--target", "s3", "--site", str(releases.two)).returncode == 0
    back = run_publish(env, "rollback", "--target", "s3")
    assert back.returncode == 0, back.stderr
    assert "Rolled back to" in back.stdout
    stored = objects(seaweedfs, bucket)
    assert site_keys(stored) == set(site_files(releases.one))
    assert stored["index.html"] == (releases.one / "index.html").read_bytes()


def test_a_killed_rollback_is_finished_by_the_next_rollback(seaweedfs, bucket, releases, tmp_path):
    env = seaweedfs.env(tmp_path, bucket)
    for site in (releases.one, releases.two):
        assert run_publish(env, "publish", "--target", "s3", "--site", str(site)).returncode == 0
    kill_at(env, "page", "rollback", "--target", "s3")  # one's dropped page is back, the home page not yet
    stored = objects(seaweedfs, bucket)
    assert assert_one_whole_release(stored.get, {"one": releases.one, "two": releases.two}) == "two"
    assert "retired/index.html" in stored

    again = run_publish(env, "rollback", "--target", "s3")
    assert again.returncode == 0, again.stderr
    assert "An interrupted rollback to" in again.stdout
    assert_exactly(seaweedfs, bucket, releases.one)
