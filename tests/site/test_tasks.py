"""The Invoke tasks a writer uses directly."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, copy_project, run_build


def invoke(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args], cwd=project, capture_output=True, text=True, timeout=300
    )


def test_new_scaffolds_an_article_that_builds_and_refuses_to_overwrite(tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.copy2(ROOT / "tasks.py", project / "tasks.py")
    first = invoke(project, "new", "Knee Pain: Where To Start?")
    assert first.returncode == 0, first.stderr
    path = project / "content" / "articles" / f"{dt.date.today():%Y-%m-%d}-knee-pain-where-to-start.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("Title: Knee Pain: Where To Start?\n")
    for field in (
        "Date:",
        "Category:",
        "Tags:",
        "Summary:",
        "Author:",
        "Reviewed_by:",
        "Reviewed:",
        "Status: draft",
    ):
        assert field in text
    # A fresh scaffold is a draft with TODOs: it builds, and says what is left to fill in.
    result = run_build(project, project / "output")
    assert result.returncode == 0, result.stderr
    assert "still says TODO" in result.stderr

    path.write_text("Title: Mine\n\nDo not lose me.\n", encoding="utf-8")
    second = invoke(project, "new", "Knee Pain: Where To Start?")
    assert second.returncode != 0
    assert "already exists" in second.stdout + second.stderr
    assert path.read_text(encoding="utf-8") == "Title: Mine\n\nDo not lose me.\n"
