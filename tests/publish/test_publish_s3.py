"""Publishing to a real S3 endpoint (SeaweedFS, authentication on): types, cache headers, order, faults."""

from __future__ import annotations

import time

from sitetools.publish.files import site_files
from tests.publish.conftest import S3Server, kill_group, run_publish, start_publish


def objects(server: S3Server, bucket: str) -> dict[str, bytes]:
    client = server.client()
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])]
    return {key: client.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


def site_keys(stored: dict[str, bytes]) -> set[str]:
    return {key for key in stored if not key.startswith(".publish/")}


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


def test_killed_publish_keeps_every_page_whole_and_a_rerun_converges(seaweedfs, bucket, releases, tmp_path):
    env = seaweedfs.env(tmp_path, bucket)
    assert run_publish(env, "publish", "--target", "s3", "--site", str(releases.one)).returncode == 0

    publish = start_publish(env, "publish", "--target", "s3", "--site", str(releases.big))
    deadline = time.monotonic() + 60
    for line in publish.stdout:  # 24 one-megabyte images go up before any page
        if line.startswith("  + images/bulk/"):
            break
        assert time.monotonic() < deadline
    kill_group(publish)

    stored = objects(seaweedfs, bucket)
    for name, file in site_files(releases.one).items():  # the previous release, whole
        assert stored[name] == file.path.read_bytes(), name
    assert "new-page/index.html" not in stored

    rerun = run_publish(env, "publish", "--target", "s3", "--site", str(releases.big))
    assert rerun.returncode == 0, rerun.stderr
    stored = objects(seaweedfs, bucket)
    assert site_keys(stored) == set(site_files(releases.big))
    for name, file in site_files(releases.big).items():
        assert stored[name] == file.path.read_bytes(), name


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
