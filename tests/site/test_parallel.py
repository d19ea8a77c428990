"""A build whose Markdown is read by worker processes (the default on a machine with two or more
cores) writes exactly what a single-process build writes, and reports the same findings."""

from __future__ import annotations

import filecmp
import re
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
    assert one.stderr.replace("in 1.", "in ?").splitlines()[:-1] == two.stderr.splitlines()[:-1]


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
    assert one.stderr.splitlines()[:-1] == two.stderr.splitlines()[:-1]
