"""Fixtures for `invoke check` tests: run the checker as a deployer does, on built sites."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT


@dataclass
class CheckRun:
    returncode: int
    stdout: str
    stderr: str

    def rows(self, result: str) -> list[str]:
        """Table lines whose result column is `result` ("FAIL", "pass", "warn", "info")."""
        return [line for line in self.stdout.splitlines() if f"  {result}  " in line]

    def failing(self, *needles: str) -> list[str]:
        return [line for line in self.rows("FAIL") if all(n in line for n in needles)]


def run_check(output: Path, *args: str, env: dict | None = None) -> CheckRun:
    proc = subprocess.run(
        [sys.executable, "-m", "sitetools.check", "--output", str(output), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )
    return CheckRun(proc.returncode, proc.stdout, proc.stderr)


def copy_site(site_output: Path, dest: Path) -> Path:
    """A copy of a built site with the build's findings beside it, as `invoke build` leaves them."""
    shutil.copytree(site_output, dest / "output")
    findings = site_output.parent / ".cache" / "diagnostics.json"
    (dest / ".cache").mkdir(parents=True)
    shutil.copy2(findings, dest / ".cache" / "diagnostics.json")
    return dest / "output"


@pytest.fixture(scope="session")
def checked_site(site) -> CheckRun:
    """`invoke check` on the real site (built once per session), every check."""
    return run_check(site.output)
