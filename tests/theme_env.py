"""The theme's Jinja environment as a build makes it: the one factory every test of templates uses.

Built from the site's real settings (pelicanconf.py's JINJA_ENVIRONMENT, JINJA_FILTERS and
JINJA_GLOBALS) plus what each plugin in PLUGINS declares for templates (plugins/pipeline.py), so a
template that works here works in the build, and the other way round.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from pelican.settings import read_settings

import pipeline

ROOT = Path(__file__).resolve().parents[1]


@cache
def theme_env() -> jinja2.Environment:
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ROOT / "theme" / "templates"), **settings["JINJA_ENVIRONMENT"]
    )
    filters, found = pipeline.declared_jinja(settings["PLUGINS"])
    env.filters.update({**settings["JINJA_FILTERS"], **filters})
    env.globals.update({**settings["JINJA_GLOBALS"], **found})
    return env


def render_macro(template: str, macro: str, /, *args, **kwargs) -> str:
    """`macro` of `template` called with the arguments (positional-only names: a macro may take `name`)."""
    return str(getattr(theme_env().get_template(template).module, macro)(*args, **kwargs))
