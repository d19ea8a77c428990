"""The theme's components and their named examples, read from the component folders.

Every ``theme/templates/components/<name>/`` holds the macro (``<name>.html``, macro ``<name>``) and
``examples.yaml``: ``{macro: <name>, examples: {<example>: {<keyword arguments>}}}``. A component
added that way is picked up here, and so by every test that runs the examples (escaping, golden
files, axe). Keyword arguments named ``html`` or ending in ``_html`` are trusted markup (Markup).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from markupsafe import Markup

from tests.theme_env import render_macro

ROOT = Path(__file__).resolve().parents[2]
COMPONENTS = ROOT / "theme" / "templates" / "components"
#: What every `hostile-...` example puts in its text fields (COMMON.md).
HOSTILE = "<img src=x onerror=alert(1)>"


def _trusted(args: dict) -> dict:
    return {k: Markup(v) if (k == "html" or k.endswith("_html")) and v else v for k, v in args.items()}


@cache
def components() -> dict[str, dict]:
    """name -> {"macro": ..., "examples": {example: kwargs}} for every component folder."""
    found = {}
    for path in sorted(COMPONENTS.glob("*/examples.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["macro"] == path.parent.name, f"{path}: macro must be '{path.parent.name}'"
        assert (path.parent / f"{path.parent.name}.html").is_file(), f"{path}: no {path.parent.name}.html"
        found[path.parent.name] = data
    return found


def example(component: str, name: str) -> dict:
    """The keyword arguments of one named example."""
    return components()[component]["examples"][name]


def folder_examples() -> list[tuple[str, str]]:
    return [(c, n) for c, data in components().items() for n in data["examples"]]


def render(component: str, name: str) -> str:
    macro = components()[component]["macro"]
    return render_macro(
        f"components/{component}/{component}.html", macro, **_trusted(example(component, name))
    )


#: Every example of every component.
EXAMPLES = folder_examples()


def _unique_ids(html: str, suffix: str) -> str:
    """The example's ids (and what points at them) made unique on a page holding every example."""
    for ident in set(re.findall(r'\bid="([^"]+)"', html)):
        for attr in ("id", "aria-labelledby", "aria-describedby", "for"):
            html = html.replace(f'{attr}="{ident}"', f'{attr}="{ident}-{suffix}"')
        html = html.replace(f'href="#{ident}"', f'href="#{ident}-{suffix}"')
    return html


def gallery(pairs: list[tuple[str, str]] | None = None) -> str:
    """Examples on one valid page (one h1, landmarks), as a visitor's browser would get them."""
    parts = []
    for index, (component, name) in enumerate(pairs or EXAMPLES):
        html = _unique_ids(render(component, name), str(index))
        if html.startswith("<span"):  # phrasing content (an in-text citation): inside a paragraph
            html = f"<p>Cited as {html}.</p>"
        parts.append(
            f"<section aria-label='{component} {name}' data-example='{component}/{name}'>{html}</section>"
        )
    css = (ROOT / "theme" / "static" / "css" / "site.css").read_text(encoding="utf-8")
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Components</title>"
        f"<style>{css}</style></head><body><main class='wrap prose'><h1>Components</h1>"
        + "\n".join(parts)
        + "</main></body></html>"
    )
