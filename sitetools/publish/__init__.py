"""`invoke publish` / `invoke rollback`: safe, atomic deploys with rollback.

    python -m sitetools.publish publish --target NAME [--dry-run] [--settings publishconf.py] [--site DIR]
    python -m sitetools.publish rollback --target NAME [--settings publishconf.py]

Every publish, in this order, stopping at the first refusal:
1. refuse demo values, every one listed at once (plugins/demo_values.py, as the production build);
2. take the target's lock (one publish per target at a time);
3. build with the settings into a fresh folder, ignoring the content cache (or copy --site DIR,
   a site already built with these settings: no symlinks, links to SITEURL);
   refuse a site whose pages (HTML, feeds, text) still contain a demo marker;
4. run the checks (`invoke check`); any failure publishes nothing;
5. precompress text files (gzip, brotli) where the target serves them (the ssh target);
6. deploy atomically (ssh.py, s3.py), printing what was uploaded and deleted and how long it took.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from sitetools.publish.config import PublishError, demo_report, load_settings, releases_dir, target
from sitetools.publish.files import precompress
from sitetools.publish.prepare import build, refuse_foreign_site, release_id, run_check, stage, target_lock
from sitetools.publish.report import Report

__all__ = ["PublishError", "publish", "rollback"]


def _target(settings: dict, name: str):
    config = target(settings, name)
    if config["type"] == "ssh":
        from sitetools.publish.ssh import SSHTarget

        return SSHTarget(config)
    from sitetools.publish.s3 import S3Target

    return S3Target(config, releases_dir(settings))


def publish(
    name: str, settings_file: str = "publishconf.py", site: Path | None = None, dry_run=False
) -> Report:
    started = time.perf_counter()
    settings = load_settings(settings_file)
    demo = demo_report(settings)
    if demo:
        raise PublishError(f"{settings_file}: {demo}")
    destination = _target(settings, name)
    work_root = releases_dir(settings)
    try:
        with target_lock(work_root, name):
            work_root.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(prefix="build-", dir=work_root) as temp:
                staged = Path(temp) / "site"
                if site is None:
                    build(settings_file, staged)
                else:
                    stage(Path(site), staged)
                refuse_foreign_site(staged, settings, settings_file)
                run_check(settings, staged, settings_file)
                if destination.precompress and not dry_run:
                    count = precompress(staged, destination.precompress)
                    print(f"Precompressed {count} files ({', '.join(destination.precompress)}).", flush=True)
                report = destination.publish(staged, release_id(), dry_run)
    finally:
        destination.close()
    report.seconds = time.perf_counter() - started
    return report


def rollback(name: str, settings_file: str = "publishconf.py") -> Report:
    started = time.perf_counter()
    settings = load_settings(settings_file)
    destination = _target(settings, name)
    with target_lock(releases_dir(settings), name):
        try:
            report = destination.rollback()
        finally:
            destination.close()
    report.rollback = True
    report.seconds = time.perf_counter() - started
    return report


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m sitetools.publish", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("publish", help="build, check and deploy to a target")
    p.add_argument("--target", required=True, help="a name in PUBLISH_TARGETS")
    p.add_argument("--settings", default="publishconf.py")
    p.add_argument("--site", type=Path, help="publish this already-built site instead of building")
    p.add_argument("--dry-run", action="store_true", help="list what would change; change nothing")
    r = sub.add_parser("rollback", help="serve the release before the current one again")
    r.add_argument("--target", required=True)
    r.add_argument("--settings", default="publishconf.py")
    args = parser.parse_args(argv)
    try:
        if args.command == "publish":
            report = publish(args.target, args.settings, args.site, args.dry_run)
        else:
            report = rollback(args.target, args.settings)
    except PublishError as exc:
        print(f"publish: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "publish: interrupted; every page is still whole: publish again to finish, or "
            "`invoke rollback` to go back to the last complete release",
            file=sys.stderr,
        )
        return 130
    print("\n".join(report.lines()), flush=True)
    return 0
