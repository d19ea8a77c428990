"""The harness itself: it must catch what it is there to catch, or every hostile case is hollow."""

from __future__ import annotations

import pytest

from tests.hostile.harness import SECRET


def test_a_good_edit_is_accepted(box):
    box.article("Title: Fine\nDate: 2025-03-01\nCategory: Back pain\n\nA plain article.\n")
    box.accepts()


def test_rejects_fails_when_the_build_passes(box):
    with pytest.raises(AssertionError, match="build passed"):
        box.rejects("content/articles/x.md", 1, "anything")


def test_accepts_fails_when_the_secret_reaches_output(box):
    # A page that quotes the sentinel text itself stands in for a leak.
    box.article(f"Title: Leak\nDate: 2025-03-01\nCategory: Back pain\n\n{SECRET}\n")
    with pytest.raises(AssertionError, match="sentinel secret"):
        box.accepts()
