"""A build whose Markdown is read by worker processes and whose pages are written by forked children
(the default on a machine with two or more cores) writes exactly what a single-process build writes,
and reports the same findings; a writer that dies fails the build and leaves the site as it was."""

from __future__ import annotations

import filecmp
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import copy_project, run_build

SEED = "content/articles/2025-01-31-back-pain-how-running-can-help.md"
BUILD_TIME = re.compile(r"<lastmod>[^<]*T(?!00:00:00)[^<]*</lastmod>")  # the sitemap dates undated pages now


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def differences(a: Path, b: Path) -> list[str]:
    found = [f"only in one tree: {name}" for name in sorted(_tree(a) ^ _tree(b))]
    for name in sorted(_tree(a) & _tree(b)):
        if name == "sitemap.xml":
            same = BUILD_TIME.sub("", (a / name).read_text()) == BUILD_TIME.sub("", (b / name).read_text())
        else:
            same = filecmp.cmp(a / name, b / name, shallow=False)
        if not same:
            found.append(f"differs: {name}")
    return found


def _findings(stderr: str) -> list[str]:
    """What a build reported, without its last line (its time) and the search indexer's (PID, folder)."""
    return [line for line in stderr.splitlines()[:-1] if not line.startswith("search: indexing")]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The real project with a dozen more articles (so both workers get many files)."""
    root = copy_project(tmp_path_factory.mktemp("parallel") / "project")
    seed = (root / SEED).read_text(encoding="utf-8")
    for n in range(12):
        text = seed.replace("Title: Back Pain: How Running Can Help, Not Harm", f"Title: Running Note {n}")
        name = f"content/articles/2025-02-{n + 1:02d}-running-note-{n}.md"
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_workers_write_the_same_site_as_one_process(project, tmp_path):
    one = run_build(project, tmp_path / "one", "--ignore-cache", "--jobs", "1")
    two = run_build(project, tmp_path / "two", "--ignore-cache", "--jobs", "2")
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert len(_tree(one.output)) > 40
    assert differences(one.output, two.output) == []
    assert _findings(one.stderr) == _findings(two.stderr)


def test_workers_report_a_files_errors_as_one_process_does(project, tmp_path):
    bad = project / "content/articles/2025-02-01-running-note-0.md"
    text = bad.read_text(encoding="utf-8")
    bad.write_text(text.replace("[@hartvigsen2018]", "[@hartvigsen2019]", 1), encoding="utf-8")
    try:
        one = run_build(project, tmp_path / "one", "--ignore-cache", "--jobs", "1")
        two = run_build(project, tmp_path / "two", "--ignore-cache", "--jobs", "2")
    finally:
        bad.write_text(text, encoding="utf-8")
    assert one.returncode == 1 and two.returncode == 1
    assert "unknown citation key 'hartvigsen2019'" in two.stderr
    assert _findings(one.stderr) == _findings(two.stderr)


def _start(project: Path, output: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sitetools.build", "--output", str(output), "--jobs", "2", "--ignore-cache"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin", "HOME": str(project), **env},
    )


def _paused_writer(proc: subprocess.Popen) -> int:
    """The PID of the child that paused before writing its share of the pages."""
    for line in proc.stderr:
        if found := re.search(r"paused at writing \(PID (\d+)\)", line):
            return int(found.group(1))
    raise AssertionError(f"the build ended (exit {proc.wait()}) without a writer pausing")


def _gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_page_writer_killed_fails_the_build_and_keeps_the_previous_site(project, tmp_path):
    first = run_build(project, tmp_path / "output", "--jobs", "2")
    assert first.returncode == 0, first.stderr
    before = _files(first.output)
    proc = _start(project, first.output, SITETOOLS_BUILD_PAUSE_AT="writing:60")
    writer = _paused_writer(proc)
    assert writer != proc.pid
    os.kill(writer, signal.SIGKILL)
    rest = proc.stderr.read()
    assert proc.wait(60) == 1
    assert "error: a process writing pages was killed by signal 9" in rest, rest
    assert "Build FAILED" in rest
    assert _files(first.output) == before


def test_a_killed_build_takes_its_page_writers_with_it(project, tmp_path):
    proc = _start(project, tmp_path / "output", SITETOOLS_BUILD_PAUSE_AT="writing:60")
    writer = _paused_writer(proc)
    proc.kill()
    proc.wait(10)
    proc.stderr.close()
    assert _gone(writer), f"the page writer {writer} outlived the build it wrote for"
