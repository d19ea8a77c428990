"""Fixtures for the citations plugin's tests. Puts plugins/ on sys.path (until pyproject does it)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))

import diagnostics  # noqa: E402


@pytest.fixture(autouse=True)
def _clean_diagnostics():
    diagnostics.COLLECTOR.clear()
    yield
    diagnostics.COLLECTOR.clear()


@pytest.fixture
def messages():
    """The diagnostics reported so far, formatted."""
    return lambda: [d.format() for d in diagnostics.COLLECTOR.items]
