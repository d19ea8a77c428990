"""Every plugin setting checked once, at start-up, and reported with the file and line that set it.

    pelicanconf.py:191: error: CITATIONS_STYLE = 'harvad' is not a citation style (did you mean ...

Not a Pelican plugin (nothing to register): the build runner (``sitetools.build``, and
``sitetools.preview``) calls :func:`read` instead of Pelican's ``read_settings``, before Pelican
loads any plugin. :func:`read` collects the declarations of the plugins in ``PLUGINS`` (each
plugin's ``<plugin>/settings.py``: ``SETTINGS``, a tuple of :class:`Setting`, and optionally
``check(settings)``, rules that look inside a setting or across several, each message starting with
the setting it is about), checks every value, reports each problem at the line that assigned it,
fills in the defaults, and raises :class:`diagnostics.ReportedError` when anything is wrong.

The parts are pure: the declaration, the checks and "did you mean" in ``core``, the line finder in ``source``.
"""

from __future__ import annotations

import copy
import importlib
import sys
import traceback
from pathlib import Path
from types import ModuleType

import diagnostics
import pipeline

from .core import (
    REQUIRED,
    Problem,
    Retired,
    Setting,
    check,
    did_you_mean,
    folder,
    list_of_text,
    list_of_whole_numbers,
    literal,
    mapping,
    number,
    one_of,
    optional,
    subject,
    text,
    unknown,
    whole_number,
)
from .source import Source, syntax_error

__all__ = [
    "REQUIRED",
    "Retired",
    "Setting",
    "declarations",
    "did_you_mean",
    "folder",
    "list_of_text",
    "list_of_whole_numbers",
    "literal",
    "locate",
    "mapping",
    "number",
    "one_of",
    "optional",
    "read",
    "report",
    "text",
    "whole_number",
]

CHECK = "settings"


#: The settings file of this build (a Source) and the names given with -e (a build runs once per process).
_where = pipeline.BuildState(source=None, overrides=frozenset())


def declarations(plugins) -> list[ModuleType]:
    """The ``settings`` module of each plugin in `plugins` that has one."""
    found = []
    for name in plugins or ():
        if not isinstance(name, str):
            continue
        try:
            module = importlib.import_module(f"{name}.settings")
        except Exception:  # no settings module, or a plugin that cannot load: Pelican reports that
            continue
        if hasattr(module, "SETTINGS"):
            found.append(module)
    return found


def locate(name: str, keys: tuple = ()) -> tuple[str, int | None]:
    """(path as shown, line) of the place that set `name` (or a key inside it) for this build."""
    if name in _where.overrides:
        return f"-e {name}", None
    source = _where.source
    if source is None:
        return "pelicanconf.py", None
    found = source.locate(name, keys)
    if found is None:
        return diagnostics.relpath(source.path), None
    return diagnostics.relpath(found[0]), found[1]


def report(message: str, name: str = "", keys: tuple = ()) -> None:
    """One error about a setting, at the line that set it (the setting is read from the message's
    start, e.g. "BOOKING_TARGETS['classes']['url'] = ..." when `name` is not given)."""
    if not name:
        name, keys = subject(message)
    path, line = locate(name, keys) if name else ("pelicanconf.py", None)
    diagnostics.COLLECTOR.add(diagnostics.Diagnostic(path, line, diagnostics.ERROR, message, CHECK))


def _about(message: str) -> Problem:
    name, keys = subject(message)
    return Problem(name, message, keys)


def read(settings_file: str | Path, overrides: dict | None = None) -> dict:
    """Pelican's settings from `settings_file` (and -e `overrides`), every plugin setting checked.

    Each problem is reported as ``file:line: error: ...``; then :class:`diagnostics.ReportedError`
    is raised, so the build stops before Pelican reads any content.
    """
    from pelican.settings import DEFAULT_CONFIG, read_settings

    path = Path(settings_file).resolve()
    _where.source, _where.overrides = Source(path), frozenset(overrides or ())
    try:
        settings = read_settings(str(path), override=dict(overrides or {}))
    except SyntaxError as exc:
        where = Path(exc.filename or path)
        try:
            source = where.read_text(encoding="utf-8")
        except OSError:
            source = ""
        line, message = syntax_error(exc, source)
        diagnostics.error(where, line, message, check=CHECK)
        raise diagnostics.ReportedError(where) from exc
    except Exception as exc:  # an error while running the file: its line, if it is in a settings file
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).suffix == ".py"]
        mine = [f for f in frames if Path(f.filename).resolve().parent == path.parent]
        if not mine:
            raise
        diagnostics.error(mine[-1].filename, mine[-1].lineno, f"{type(exc).__name__}: {exc}", check=CHECK)
        raise diagnostics.ReportedError(mine[-1].filename) from exc

    for entry in settings.get("PLUGIN_PATHS") or ():
        if entry not in sys.path:
            sys.path.insert(0, entry)
    modules = declarations(settings.get("PLUGINS"))
    declared = [item for module in modules for item in module.SETTINGS]
    defaults = {i.name: i.default for i in declared if isinstance(i, Setting) and i.default is not REQUIRED}
    view = {**copy.deepcopy(defaults), **settings}  # what the plugins will see
    problems: list[Problem] = []
    for module in modules:
        found = check(view, module.SETTINGS)
        rules = getattr(module, "check", None)
        if callable(rules) and not found:  # the plugin's rules may rely on the values checked above
            found = [_about(message) for message in rules(view)]
        problems += found
    problems += unknown(set(settings) - set(DEFAULT_CONFIG), [item.name for item in declared])
    for problem in problems:
        report(problem.message, problem.name, problem.keys)
    if problems:
        raise diagnostics.ReportedError(path, "the settings are wrong: see the errors above")
    for name, default in defaults.items():
        settings.setdefault(name, copy.deepcopy(default))
    return settings
