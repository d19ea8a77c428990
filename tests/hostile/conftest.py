"""Fixtures for the hostile-input corpus (see harness.py)."""

from __future__ import annotations

import pytest

from tests.hostile.harness import Sandbox, clone, make_pristine


@pytest.fixture(scope="session")
def pristine_sandbox(tmp_path_factory) -> Sandbox:
    return make_pristine(tmp_path_factory.mktemp("pristine") / "sandbox")


@pytest.fixture
def box(pristine_sandbox, tmp_path) -> Sandbox:
    """A private sandbox: the project with one good build in output/, and outside/ beside it."""
    return clone(pristine_sandbox, tmp_path / "sandbox")
