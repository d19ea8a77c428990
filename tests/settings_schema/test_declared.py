"""The plugins' declared settings agree with the README and with pelicanconf.py.

The README's settings tables are written by hand; these tests fail when a table and a declaration
disagree on a name or a default, and when pelicanconf.py repeats a default (so changing a default
in one place changes it everywhere).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import pelicanconf
from settings_schema import REQUIRED, Setting, declarations, literal
from settings_schema.core import check, prefix

ROOT = Path(__file__).resolve().parents[2]
MODULES = declarations(pelicanconf.PLUGINS)
DECLARED = {item.name: item for module in MODULES for item in module.SETTINGS if isinstance(item, Setting)}
PREFIXES = {prefix(name) for name in DECLARED} - {""}


def readme_rows() -> list[tuple[int, str, str]]:
    """(line, setting, default cell) of every README table row whose first cell is one `SETTING`."""
    rows = []
    for number, line in enumerate((ROOT / "README.md").read_text(encoding="utf-8").splitlines(), 1):
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) >= 3 and re.fullmatch(r"`[A-Z][A-Z0-9_]*`", cells[0]):
            rows.append((number, cells[0].strip("`"), cells[1]))
    return rows


def test_every_plugin_that_has_settings_declares_them():
    assert {m.__name__ for m in MODULES} == {
        f"{name}.settings"
        for name in (
            "contentguard",
            "citations",
            "booking",
            "clinical",
            "reading",
            "images",
            "related",
            "timetable",
            "cms",
        )
    }


def test_each_setting_is_declared_once():
    names = [item.name for module in MODULES for item in module.SETTINGS]
    assert sorted(names) == sorted(set(names))


def test_every_default_passes_its_own_check(tmp_path):
    settings = {"PATH": str(tmp_path)}
    for module in MODULES:
        found = [p.message for p in check(settings, module.SETTINGS)]
        required = [f"{s.name} is not set" for s in module.SETTINGS if getattr(s, "default", 0) is REQUIRED]
        assert [m for m in found if not m.startswith(tuple(required))] == [], module.__name__


@pytest.mark.parametrize("name", sorted(DECLARED))
def test_the_readme_gives_each_setting_with_its_default(name):
    setting = DECLARED[name]
    rows = [(line, cell) for line, row_name, cell in readme_rows() if row_name == name]
    assert rows, f"README.md has no table row for {name}; add `{name}` | `{literal(setting.default)}` | ..."
    for line, cell in rows:
        if setting.default is REQUIRED:
            assert cell.startswith("required"), f"README.md:{line}: {name} has no default; write 'required'"
        else:
            shown = re.match(r"`([^`]*)`", cell)
            assert shown and shown.group(1) == literal(setting.default), (
                f"README.md:{line}: the default of {name} is `{literal(setting.default)}`, not {cell!r}"
            )


def test_the_readme_lists_no_plugin_setting_that_is_not_declared():
    stale = [
        f"README.md:{line}: {name}"
        for line, name, _ in readme_rows()
        if prefix(name) in PREFIXES and name not in DECLARED
    ]
    assert stale == []


def test_pelicanconf_does_not_repeat_a_default():
    tree = ast.parse((ROOT / "pelicanconf.py").read_text(encoding="utf-8"))
    repeated = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
            if name in DECLARED:
                try:
                    value = ast.literal_eval(stmt.value)
                except ValueError:
                    continue
                if value == DECLARED[name].default:
                    repeated.append(f"pelicanconf.py:{stmt.lineno}: {name}")
    assert repeated == []
