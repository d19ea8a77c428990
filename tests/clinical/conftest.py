"""Fixtures for the clinical tests: the theme's Jinja environment, as the build makes it."""

from __future__ import annotations

import pytest
from jinja2 import Environment

from tests import theme_env as factory


@pytest.fixture(scope="session")
def theme_env() -> Environment:
    return factory.theme_env()
