"""A build that is killed, overlapped or short of disk never leaves output/ missing or half built.

Kills are real: `python -m sitetools.build` runs as a child and gets SIGKILL at a named moment
(the test hook SITETOOLS_BUILD_PAUSE_AT makes it wait there) or at a random moment while Pelican
writes. After every kill output/ must be one whole site, byte for byte the previous build's or the
new one's, and the next build removes what the killed one left behind.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_build

SEED = "content/articles/2025-01-31-back-pain-how-running-can-help.md"
BUILD_TIME = re.compile(rb"<lastmod>[^<]*T(?!00:00:00)[^<]*</lastmod>")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a built site; the sitemap's build-time stamps (pages without a date) blanked."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            files[path.relative_to(folder).as_posix()] = BUILD_TIME.sub(b"", data)
    return files


def leftovers(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith(f".{output.name}."))


#: Index before the swap, as a production build does: these tests are about what the swap leaves (a
#: development build puts its site live first and indexes it in the background, tests/site/).
FOREGROUND = ("-e", "SEARCH_BACKGROUND=False")


def start_build(project: Path, output: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sitetools.build", "--output", str(output), *FOREGROUND],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin", "HOME": str(project), **env},
    )


def wait_for_line(proc: subprocess.Popen, text: str) -> None:
    for line in proc.stderr:
        if text in line:
            return
    raise AssertionError(f"the build ended (exit {proc.wait()}) without printing {text!r}")


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()


def two_versions(box) -> tuple[str, str, dict, dict]:
    """The seed article as it is (A, whose build is in output/) and edited (B), and both sites."""
    seed = box.project / SEED
    a = seed.read_text(encoding="utf-8")
    b = a.replace("Low back pain affects millions", "Low back pain (LBP) affects millions", 1)
    assert a != b
    seed.write_text(b, encoding="utf-8")
    reference = run_build(box.project, box.root / "reference-b" / "output", *FOREGROUND)
    assert reference.returncode == 0, reference.stderr
    seed.write_text(a, encoding="utf-8")
    return a, b, tree(box.output), tree(reference.output)


def test_a_build_killed_at_any_moment_leaves_one_whole_site(box):
    a, b, site_a, site_b = two_versions(box)
    sites = {"A": site_a, "B": site_b}
    assert site_a != site_b
    seed = box.project / SEED
    live, trials = "A", []
    # Named moments: after taking the lock, with the new site staged, right after the exchange.
    moments = ["locked", "staged", "exchanged", "staged", "exchanged"]
    # Random moments while Pelican and Pagefind write the staging folder.
    rng = random.Random(14)
    moments += [rng.uniform(0.0, 1.0) for _ in range(10)]
    for moment in moments:
        target = "B" if live == "A" else "A"
        seed.write_text(b if target == "B" else a, encoding="utf-8")
        if isinstance(moment, str):
            proc = start_build(box.project, box.output, SITETOOLS_BUILD_PAUSE_AT=moment)
            wait_for_line(proc, f"paused at {moment}")
        else:
            proc = start_build(box.project, box.output)
            deadline = time.monotonic() + 60
            while not (box.project / f".output.new-{proc.pid}").exists():  # Pelican has started
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read()
                time.sleep(0.005)
            time.sleep(moment)
        kill(proc)
        assert box.output.is_dir(), f"output/ is missing after a kill at {moment}"
        now = tree(box.output)
        whole = [name for name, site in sites.items() if now == site]
        assert whole, f"output/ is neither whole site after a kill at {moment}"
        trials.append((moment, whole[0], leftovers(box.output)))
        live = whole[0]
    assert [t[1] for t in trials[:3]] == ["A", "A", "B"], trials  # the exchange is the moment it goes live
    assert trials[2][2], "a kill after the exchange leaves the old tree in the staging folder"
    print(f"{len(trials)} kill trials, output/ whole after each: {trials}")

    # The next build removes every leftover and finishes the job.
    seed.write_text(b, encoding="utf-8")
    result = box.build(*FOREGROUND)
    assert result.returncode == 0, result.stderr
    assert leftovers(box.output) == []
    assert tree(box.output) == site_b
    assert not list((box.project / ".cache").rglob("*.new-*")), "a killed build's temporary cache files"


def test_without_renameat2_a_build_killed_between_the_renames_is_repaired_by_the_next(box):
    a, b, site_a, site_b = two_versions(box)
    (box.project / SEED).write_text(b, encoding="utf-8")
    proc = start_build(
        box.project, box.output, SITETOOLS_BUILD_NO_EXCHANGE="1", SITETOOLS_BUILD_PAUSE_AT="half-swapped"
    )
    wait_for_line(proc, "paused at half-swapped")
    kill(proc)
    assert not box.output.exists()  # the documented gap of the fallback: two renames
    (box.project / SEED).write_text(a, encoding="utf-8")
    proc = start_build(box.project, box.output, SITETOOLS_BUILD_PAUSE_AT="locked")
    wait_for_line(proc, "paused at locked")
    kill(proc)
    assert tree(box.output) == site_a  # the next build put the previous whole site back first
    result = box.build(*FOREGROUND)
    assert result.returncode == 0, result.stderr
    assert tree(box.output) == site_a and leftovers(box.output) == []
    # The fallback still replaces a site when nothing kills it.
    (box.project / SEED).write_text(b, encoding="utf-8")
    proc = start_build(box.project, box.output, SITETOOLS_BUILD_NO_EXCHANGE="1")
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    proc.stderr.close()
    assert tree(box.output) == site_b and leftovers(box.output) == []


def test_a_second_build_while_one_runs_fails_at_once_naming_the_holder(box):
    _, b, _, site_b = two_versions(box)
    (box.project / SEED).write_text(b, encoding="utf-8")
    first = start_build(box.project, box.output, SITETOOLS_BUILD_PAUSE_AT="locked:3")
    wait_for_line(first, "paused at locked")
    started = time.monotonic()
    second = box.build()
    waited = time.monotonic() - started
    assert second.returncode == 1
    assert (
        f"output: error: another build is writing output/: PID {first.pid} (python -m sitetools.build); "
        "wait for it to finish, then build again"
    ) in second.stderr
    assert "Traceback" not in second.stderr
    assert first.poll() is None and waited < 3, "the second build waited instead of failing at once"
    assert first.wait(timeout=120) == 0, first.stderr.read()
    first.stderr.close()
    assert tree(box.output) == site_b and leftovers(box.output) == []

    # Started together, without a pause: each either builds or says the lock is held; never a crash.
    procs = [start_build(box.project, box.output) for _ in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stderr.close()
    assert any(code == 0 for code, _ in results), results
    for code, err in results:
        assert "Traceback" not in err and (code == 0 or "another build is writing output/" in err), err
    assert tree(box.output) == site_b and leftovers(box.output) == []


@pytest.fixture
def tiny_disk(tmp_path):
    """A real tmpfs mounted in the test's folder (needs root); remount it to make the disk full."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _kib(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) // 1024


def test_a_disk_full_while_pagefind_writes_fails_the_build_and_keeps_the_site(box, tiny_disk):
    output = tiny_disk / "output"
    first = run_build(box.project, output, *FOREGROUND)
    assert first.returncode == 0, first.stderr
    before = tree(output)
    pages = _kib(output) - _kib(output / "pagefind")
    used = int(subprocess.run(["df", "-k", "--output=used", str(tiny_disk)], capture_output=True, text=True)
               .stdout.split()[-1])  # fmt: skip
    # Room for the staged pages and about a third of the search index: Pelican finishes, Pagefind cannot.
    size = used + pages + _kib(output / "pagefind") // 3
    subprocess.run(["mount", "-o", f"remount,size={size}k", str(tiny_disk)], check=True)
    (box.project / SEED).write_text(
        (box.project / SEED).read_text(encoding="utf-8").replace("Low back pain", "LBP", 1), encoding="utf-8"
    )
    result = run_build(box.project, output, *FOREGROUND)
    assert result.returncode == 1, result.stderr
    assert re.search(
        r"^search: error: Pagefind wrote a broken index: .*is the disk full\?", result.stderr, re.M
    ), result.stderr
    assert "Traceback" not in result.stderr
    assert tree(output) == before
    assert leftovers(output) == []


def test_the_replaced_site_is_removed_in_the_background_and_a_killed_removal_by_the_next_build(box):
    from sitetools.build import wait_for_discards

    trash = box.output.parent / ".cache"
    dead = trash / f"{box.output.name}.trash-999999999"  # a build gone before its old site was removed
    (dead / "articles").mkdir(parents=True)
    (dead / "articles" / "index.html").write_text("old", encoding="utf-8")
    result = box.build()
    assert result.returncode == 0, result.stderr
    assert wait_for_discards(box.output, 60)
    assert not dead.exists()
    assert list(trash.glob(f"{box.output.name}.trash-*")) == []
    assert leftovers(box.output) == [] and (box.output / "index.html").is_file()
