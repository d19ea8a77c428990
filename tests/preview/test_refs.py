"""`invoke refs`: the bibliography as a writer needs it, from the citations plugin's own loader."""

from __future__ import annotations

import subprocess
import sys

from sitetools.refs import rows
from tests.conftest import ROOT


def test_refs_lists_key_author_year_title_and_filters_by_a_word():
    found, problems = rows(ROOT / "content" / "references")
    assert problems == []
    assert next(r for r in found if r[0] == "hartvigsen2018")[:3] == ("hartvigsen2018", "Hartvigsen", "2018")
    marathon, _ = rows(ROOT / "content" / "references", "MARATHON")
    assert [r[0] for r in marathon] == ["horga2022"]


def test_invoke_refs_prints_the_key_to_cite():
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "refs", "-w", "marathon"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "horga2022  Horga (2022)  What happens to the lower lumbar spine" in result.stdout
    assert "Cite one as [@horga2022]" in result.stdout
