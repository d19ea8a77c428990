"""Before anything leaves the machine: build fresh, check, refuse demo values, precompress.

Every publish builds with the production settings into a fresh folder, ignoring the content
cache, then runs the real checks (`invoke check`): a failing or missing check publishes nothing.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import importlib.util
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from sitetools.publish.config import ROOT, PublishError, demo_module
from sitetools.publish.files import DOCUMENT_SUFFIXES


def release_id() -> str:
    """Sortable and traceable: UTC time, then the commit when the tree is a git checkout."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{stamp}-{commit}" if commit else stamp


def unique(release: str, existing) -> str:
    """`release`, or `release-2`, `-3` ... when two publishes fall within one second."""
    candidate, n = release, 1
    while candidate in existing:
        n += 1
        candidate = f"{release}-{n}"
    return candidate


PAUSE_VARIABLE = "PUBLISH_TEST_PAUSE"
_paused: set[str] = set()


def pause_point(step: str) -> None:
    """Test hook: with PUBLISH_TEST_PAUSE=STEP a publish stops once at STEP for 60 s, announcing it,
    so a test can kill it exactly there. Steps: "switch" (ssh: release complete, `current` not yet
    switched), "page" (s3: one page uploaded), "record" (s3: every file uploaded, record not yet
    written), "delete" (s3: record written, stale objects not yet deleted). Unset: does nothing."""
    if os.environ.get(PAUSE_VARIABLE) == step and step not in _paused:
        _paused.add(step)
        print(f"publish: paused at {step!r} ({PAUSE_VARIABLE}) for 60 s", flush=True)
        time.sleep(60)


@contextmanager
def target_lock(folder: Path, name: str):
    """One publish per target at a time (on this machine; CI runs publish in one concurrency group).

    flock is released by the kernel when the process dies, so a killed publish leaves no stale lock.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.lock"
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise PublishError(
            f"another publish to {name!r} is running ({holder} holds {path}); wait for it to finish"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}")
    handle.flush()
    try:
        yield
    finally:
        handle.close()


def build(settings_file: str, output: Path) -> None:
    """The production build into `output` (which must not exist yet)."""
    print(f"Building with {settings_file} into {output} (content cache ignored) ...", flush=True)
    argv = [sys.executable, "-m", "sitetools.build", "--settings", settings_file, "--output", str(output)]
    result = subprocess.run([*argv, "--ignore-cache"], cwd=ROOT)
    if result.returncode:
        raise PublishError("the build failed (see above): nothing was published")


def run_check(settings: dict, output: Path, settings_file: str = "publishconf.py") -> None:
    """Run the site checks on `output`; raise unless they pass. Never publish unchecked.

    The real check is `invoke check`'s engine, `python -m sitetools.check`, run on this build with
    these settings in its own process (it starts servers and a browser). If it is missing, the
    publish fails: `invoke check` itself would check output/, not this build.
    """
    command = settings.get("PUBLISH_CHECK_COMMAND")
    print(f"Checking {output} ...", flush=True)
    if command:
        argv = [part.replace("{output}", str(output)) for part in shlex.split(command)]
        code = subprocess.run(argv, cwd=ROOT).returncode
        if code:
            raise PublishError(f"the check `{command}` failed (exit {code}): nothing was published")
        return
    if importlib.util.find_spec("sitetools.check") is None:
        raise PublishError(
            "the site checks (sitetools/check.py, `invoke check`) are missing: "
            "refusing to publish an unchecked build"
        )
    argv = [sys.executable, "-m", "sitetools.check", "--output", str(output), "--settings", settings_file]
    code = subprocess.run(argv, cwd=ROOT).returncode
    if code:
        raise PublishError(f"`invoke check` found problems (exit {code}, see above): nothing was published")


def stage(site: Path, dest: Path) -> None:
    """Copy a prebuilt site into the staging folder (the original is never modified), with the
    findings of the build that made it, which the content check reads beside the site."""
    if not (site / "index.html").is_file():
        raise PublishError(f"{site}: no index.html there; is it a built site?")
    from sitetools.search import wait_for_index

    record = wait_for_index(site)  # a search index still being made in the background: whole, then copied
    if record and not record.get("ok"):
        raise PublishError(f"{site}: {record.get('problem')}; nothing was published")
    links = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_symlink())
    if links:  # copied, a link to ~/.ssh/id_ed25519 would be published as a file
        raise PublishError(f"{site}/{links[0]}: the site contains a symlink; publish only real files")
    shutil.copytree(site, dest, symlinks=False)
    findings = site.parent / ".cache" / "diagnostics.json"
    try:
        built = json.loads(findings.read_text(encoding="utf-8")).get("output")
    except (OSError, ValueError, AttributeError):
        return  # no findings: the content check fails closed
    if built and Path(built).resolve() == site.resolve():
        (dest.parent / ".cache").mkdir(exist_ok=True)
        shutil.copy2(findings, dest.parent / ".cache" / "diagnostics.json")


def refuse_foreign_site(site: Path, settings: dict, settings_file: str) -> None:
    """The site must be what `settings_file` builds: refuse one built for another SITEURL (such as
    `invoke build`'s development output) or one whose pages still show a demo value."""
    siteurl = str(settings.get("SITEURL") or "").rstrip("/")
    home = (site / "index.html").read_text(encoding="utf-8", errors="replace")
    if siteurl.startswith(("https://", "http://")) and siteurl not in home:
        raise PublishError(
            f"the site's index.html never links to SITEURL {siteurl!r}: it was not built with "
            f"{settings_file} (`invoke build-production` builds with it); nothing was published"
        )
    markers = [m.lower() for m in demo_module().PAGE_MARKERS]
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix.lower() in DOCUMENT_SUFFIXES and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace").lower()
            hit = next((m for m in markers if m in text), None)
            if hit:
                found.append(f"{path.relative_to(site).as_posix()} contains the demo marker {hit!r}")
    if found:
        more = f"\n  ... and {len(found) - 10} more" if len(found) > 10 else ""
        raise PublishError(
            "the site still shows demo values (nothing was published):\n  " + "\n  ".join(found[:10]) + more
        )
