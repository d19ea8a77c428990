"""Every named example of every component (theme/templates/components/<name>/examples.yaml): its
text arrives escaped, and its HTML is the reviewed golden file (tests/theme/golden/<name>/<example>.html;
`pytest tests/theme --update-golden` rewrites them after a deliberate change). Axe checks every
example in test_components.py (one page, one browser run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.theme.examples import HOSTILE, folder_examples, render

GOLDEN = Path(__file__).with_name("golden")
EXAMPLES = [pytest.param(component, name, id=f"{component}/{name}") for component, name in folder_examples()]
ESCAPED = ("&lt;img src=x onerror=alert(1)&gt;", "\\u003cimg src=x onerror=alert(1)\\u003e")


@pytest.mark.parametrize(("component", "name"), EXAMPLES)
def test_text_from_data_arrives_as_text(component, name):
    html = render(component, name)
    assert HOSTILE not in html and "<script>alert" not in html
    if name.startswith("hostile"):
        assert any(escaped in html for escaped in ESCAPED), html


@pytest.mark.parametrize(("component", "name"), EXAMPLES)
def test_html_is_the_golden_file(component, name, update_golden):
    html = render(component, name).strip() + "\n"
    golden = GOLDEN / component / f"{name}.html"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(html, encoding="utf-8")
    assert golden.is_file(), (
        f"no golden file {golden}: run `pytest tests/theme --update-golden`, then review it"
    )
    assert html == golden.read_text(encoding="utf-8")
