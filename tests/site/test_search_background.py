"""Search in the background (issue 21): a development build goes live first and Pagefind catches up a
moment later; a production build indexes before the swap. Real builds, real Pagefind: only the
binary's start is slowed (PAGEFIND_BINARY_PATH, which the pagefind package reads) so the order of
events can be seen, and made to fail.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from sitetools.search import wait_for_index
from tests.clinical.real_values import write_realconf
from tests.conftest import copy_project, run_build

ARTICLE = "content/articles/2025-06-01-background-search.md"
WRAPPER = """#!{python}
import os, sys, time
time.sleep({delay})
os.execv({real!r}, [{real!r}, *sys.argv[1:]])
"""


def _index_text(output: Path) -> str:
    """Every page the live index holds, unpacked (Pagefind's fragments: gzip, a header, JSON)."""
    return "\n".join(
        gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        for path in (output / "pagefind" / "fragment").glob("*.pf_fragment")
    )


def _article(project: Path, word: str) -> None:
    head = f"Title: Background search {word}\nDate: 2025-06-01\nCategory: News\nClinical: no\n"
    text = f"{head}\nThe word is {word}.\n"
    (project / ARTICLE).write_text(text, encoding="utf-8")


class Project:
    def __init__(self, root: Path) -> None:
        import pagefind_bin

        self.root, self.output = root, root / "output"
        self.real = str(pagefind_bin.get_executable())

    def build(self, pagefind: str | None = None, delay: float = 0) -> subprocess.CompletedProcess:
        """A development build, returning as soon as the build does (no waiting for the index);
        its Pagefind starts `delay` seconds late."""
        if pagefind is None:
            wrapper = self.root / f"pagefind-after-{delay}s"
            wrapper.write_text(WRAPPER.format(python=sys.executable, delay=delay, real=self.real))
            wrapper.chmod(0o755)
            pagefind = str(wrapper)
        env = {"PYTHONPATH": str(self.root), "PATH": "/usr/bin:/bin", "HOME": str(self.root)}
        env["PAGEFIND_BINARY_PATH"] = pagefind
        cmd = [sys.executable, "-m", "sitetools.build", "--output", str(self.output)]
        return subprocess.run(cmd, cwd=self.root, env=env, capture_output=True, text=True, timeout=300)

    def content_check(self) -> subprocess.CompletedProcess:
        """What `invoke check` runs after its build, limited to the build's findings."""
        cmd = [sys.executable, "-m", "sitetools.check", "--output", str(self.output), "--only", "content"]
        env = {"PYTHONPATH": str(self.root), "PATH": "/usr/bin:/bin", "HOME": str(self.root)}
        return subprocess.run(cmd, cwd=self.root, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("search-bg") / "project")
    yield Project(root)
    wait_for_index(root / "output", timeout=120)  # no indexer outlives the tests


@pytest.fixture(scope="module")
def production(project):
    """The first build: production settings (publishconf.py with real values)."""
    _article(project.root, "quokkaprod")
    result = run_build(project.root, project.output, settings=write_realconf(project.root))
    assert result.returncode == 0, result.stderr
    return result


def test_a_production_build_indexes_before_the_site_goes_live(production, project):
    assert "in the background" not in production.stderr
    assert "quokkaprod" in _index_text(project.output)
    record = wait_for_index(project.output, timeout=0)  # nothing pending: done when the build was
    assert record["ok"] and record["background"] is False


def test_a_development_build_goes_live_first_and_search_catches_up(production, project):
    _article(project.root, "quokkadev")
    result = project.build(delay=2)
    assert result.returncode == 0, result.stderr
    assert "search: indexing" in result.stderr and "in the background" in result.stderr
    page = project.output / "articles" / "background-search-quokkadev" / "index.html"
    assert page.is_file()  # the new site is live ...
    text = _index_text(project.output)
    assert "quokkaprod" in text and "quokkadev" not in text  # ... searching the previous index
    record = wait_for_index(project.output, timeout=120)
    assert record["ok"] and record["background"], record
    assert record["seconds"] >= 2 and record["peak_mib"] > 0
    text = _index_text(project.output)
    assert "quokkadev" in text and "quokkaprod" not in text


def test_two_quick_builds_end_with_the_newest_index(production, project):
    _article(project.root, "quokkafirst")
    first = project.build(delay=60)  # its indexer is still starting Pagefind when the next build is live
    assert first.returncode == 0, first.stderr
    _article(project.root, "quokkasecond")
    second = project.build(delay=0)
    assert second.returncode == 0, second.stderr
    record = wait_for_index(project.output, timeout=120)  # also: the first indexer has given up
    assert record["ok"], record
    text = _index_text(project.output)
    assert "quokkasecond" in text and "quokkafirst" not in text
    log = (project.root / ".cache" / "output.search.log").read_text(encoding="utf-8")
    assert "a newer build's indexer takes over" in log


def test_a_failing_indexer_is_reported_by_the_next_build_and_by_check(production, project):
    broken = project.root / "not-pagefind"
    broken.write_text("#!/bin/sh\necho 'pagefind: cannot read the site' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    _article(project.root, "quokkabroken")
    result = project.build(pagefind=str(broken))
    assert result.returncode == 0, result.stderr  # the site is live; its search is behind
    record = wait_for_index(project.output, timeout=120)
    assert not record["ok"] and "cannot read the site" in record["problem"], record

    check = project.content_check()
    assert check.returncode == 1, check.stdout
    stale = "the search index was not updated after the last build: Pagefind could not index the site"
    assert stale in check.stdout and "cannot read the site" in check.stdout
    assert "output.search.log" in check.stdout and "build again" in check.stdout

    again = project.build()
    assert again.returncode == 0, again.stderr
    assert f"search: warning: {stale}" in again.stderr
    assert wait_for_index(project.output, timeout=120)["ok"]
    assert "quokkabroken" in _index_text(project.output)
    fixed = project.content_check()
    assert stale not in fixed.stdout, fixed.stdout
