"""Shared fixtures: real builds of the real site (in a subprocess, as `make build` runs it).

Builds run through `python -m sitetools.build` in a child process: Pelican's signal handlers
stay connected for the life of a process, so in-process builds would leak plugins between tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# One Playwright/Chromium and one set of static servers for the whole session, shared by every
# folder (two session fixtures of the same name in sub-folders would start Playwright twice).
from tests.browser_support import browser, page, serve_static  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files (expected HTML) from what the code renders now; review the diff",
    )


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden"))


@dataclass
class BuildResult:
    returncode: int
    output: Path
    stdout: str
    stderr: str

    def page(self, rel: str) -> str:
        return (self.output / rel).read_text(encoding="utf-8")


#: The pytest-xdist worker running this test ("gw0", "gw1"; "" without xdist): `invoke test` runs two.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def run_build(project: Path, output: Path, *extra: str, settings: str = "pelicanconf.py") -> BuildResult:
    """Build `project` (a folder laid out like this repo) into `output`.

    Builds of this repository itself keep one cache per xdist worker: two builds writing one Pelican
    cache at once could each read the other's half-written files."""
    if WORKER and Path(project).resolve() == ROOT and not any("CACHE_PATH=" in e for e in extra):
        extra = (*extra, "-e", f"CACHE_PATH={str(ROOT / '.cache' / f'tests-{WORKER}')!r}")
    proc = subprocess.run(
        [sys.executable, "-m", "sitetools.build", "--settings", settings, "--output", str(output), *extra],
        cwd=project,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin", "HOME": str(project)},
        timeout=300,
    )
    # A development build indexes search in the background: wait, so the site is whole and no indexer
    # outlives the test (a build that fails starts none).
    # Likewise the replaced site's removal by a detached rm (a test walking .cache would meet it).
    from sitetools.build import wait_for_discards
    from sitetools.search import wait_for_index

    where = output if Path(output).is_absolute() else Path(project) / output
    wait_for_index(where, timeout=300)
    wait_for_discards(Path(where), timeout=120)
    return BuildResult(proc.returncode, output, proc.stdout, proc.stderr)


def copy_project(dest: Path) -> Path:
    """A private copy of the project (content, theme, plugins, settings, tooling) to break things in."""
    for name in ("content", "theme", "plugins", "sitetools"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy2(ROOT / name, dest / name)
    return dest


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> BuildResult:
    """The real site, built once per test session with the development settings."""
    out = tmp_path_factory.mktemp("site") / "output"
    result = run_build(ROOT, out, "--ignore-cache")
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="session")
def production_site(tmp_path_factory) -> BuildResult:
    """The real site built with publishconf.py (absolute URLs), once per session."""
    out = tmp_path_factory.mktemp("prod") / "output"
    result = run_build(ROOT, out, "--ignore-cache", settings="publishconf.py")
    return result


@pytest.fixture
def project(tmp_path) -> Path:
    """A throwaway copy of the project for bad-input tests."""
    return copy_project(tmp_path / "project")
