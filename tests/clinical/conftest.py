"""Fixtures for the clinical tests: the theme's Jinja environment, as Pelican sets it up."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from clinical import jsonld

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def theme_env() -> Environment:
    """The theme's templates with the site's Jinja options and the plugin's `jsonld` filter."""
    env = Environment(
        loader=FileSystemLoader(ROOT / "theme" / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters["jsonld"] = jsonld.script_json
    return env
