""" "Online ahead of print": CSL `status` (BibLaTeX `pubstate`) is shown by every shipped style, and
the site's own neason2024 says so instead of Harvard's "[Preprint]"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.citations.helpers import run_pipeline

CONTENT_BIB = Path(__file__).resolve().parents[2] / "content" / "references" / "back-pain-running.bib"


@pytest.mark.parametrize(
    "style, shown",
    [
        ("harvard-cite-them-right", "British Journal of Sports Medicine [Online ahead of print]"),
        ("apa", "British Journal of Sports Medicine. Online ahead of print."),
        ("vancouver", "2024 Oct. [Online ahead of print]"),
    ],
)
def test_online_ahead_of_print_is_shown(style, shown, tmp_path):
    result, _ = run_pipeline(tmp_path, "A trial [@neason2024].\n", CONTENT_BIB, style)
    (entry,) = result.citations
    assert shown in entry["text"]
    assert "Preprint" not in entry["text"]
