"""How the plugins fit together: their declared order, their Markdown extensions, their per-build state.

Not a plugin (nothing to register) and free of Pelican imports, like ``demo_values``.

- **Order.** A plugin that reads another plugin's output says so in its package:
  ``AFTER = ("citations", "booking")``. :func:`check_order` (run at start-up by every plugin that
  declares ``AFTER``) fails the build with the line of ``PLUGINS`` when the list runs them the other
  way round, instead of a comment asking people to keep the order.
- **Markdown.** A plugin declares its extensions (``MARKDOWN_EXTENSIONS`` in its package) and adds
  them at start-up with :func:`add_markdown_extension` (once each); :func:`declared_markdown` gives
  the same list to the tests' ``assert_markdown_renders``.
- **Templates.** :func:`add_jinja` gives templates a plugin's filters and globals (Pelican's
  ``JINJA_FILTERS`` / ``JINJA_GLOBALS``); the test suite's theme environment reads the same values.
- **State.** :class:`BuildState` is the one way a plugin keeps values between signals: a namespace
  that ``reset()`` empties at ``initialized`` (a build runs once per process).
"""

from __future__ import annotations

import copy
import importlib
from types import SimpleNamespace

import diagnostics


def short_name(plugin: str) -> str:
    """`pelican.plugins.sitemap` -> `sitemap`: the name `AFTER` uses."""
    return plugin.rsplit(".", 1)[-1]


def declared_after(plugin: str) -> tuple[str, ...]:
    """The plugins whose output `plugin` reads (its package's `AFTER`), or () when it declares none."""
    try:
        module = importlib.import_module(plugin)
    except ImportError:
        return ()  # Pelican reports a plugin that cannot load
    return tuple(getattr(module, "AFTER", ()))


def order_problems(plugins: list[str]) -> list[str]:
    """What is wrong with the order of `plugins` (PLUGINS), one message per misplaced plugin."""
    names = [short_name(str(p)) for p in plugins]
    problems = []
    for index, name in enumerate(names):
        after = declared_after(str(plugins[index]))
        later = [before for before in after if before in names and names.index(before) > index]
        if later:
            listed = ", ".join(f"'{b}'" for b in later)
            problems.append(
                f"PLUGINS lists '{name}' before {listed}, whose output it reads ({name}.AFTER = {after!r}); "
                f"move '{name}' after {listed} in PLUGINS"
            )
    return problems


_checked: set[tuple[str, ...]] = set()


def check_order(settings: dict) -> None:
    """Fail the build (file:line of PLUGINS) when PLUGINS runs a plugin before one whose output it reads."""
    plugins = tuple(str(p) for p in settings.get("PLUGINS") or ())
    if plugins in _checked:
        return
    problems = order_problems(list(plugins))
    if not problems:
        _checked.add(plugins)
        return
    import settings_schema  # here: settings_schema keeps its own state in a BuildState

    path, line = settings_schema.locate("PLUGINS")  # the line that set it, or `-e PLUGINS`
    for message in problems:
        diagnostics.error(path, line, message, check="plugins")
    raise diagnostics.ReportedError(path, "PLUGINS is in the wrong order: see the errors above")


def add_markdown_extension(settings: dict, extension) -> None:
    """Add `extension` to the site's Markdown extensions, unless one of its class is there already."""
    extensions = settings.setdefault("MARKDOWN", {}).setdefault("extensions", [])
    if not any(type(ext) is type(extension) for ext in extensions):
        extensions.append(extension)


def add_markdown_extensions(settings: dict, extensions) -> None:
    """:func:`add_markdown_extension` for each class a plugin declares (its ``MARKDOWN_EXTENSIONS``)."""
    for extension in extensions:
        add_markdown_extension(settings, extension())


def declared_markdown(plugins) -> list:
    """An instance of each Markdown extension the plugins in `plugins` declare (``MARKDOWN_EXTENSIONS``
    in the package: the classes its start-up adds with :func:`add_markdown_extension`)."""
    found = []
    for plugin in plugins:
        try:
            module = importlib.import_module(str(plugin))
        except ImportError:
            continue
        found += [extension() for extension in getattr(module, "MARKDOWN_EXTENSIONS", ())]
    return found


def add_jinja(settings: dict, filters: dict | None = None, globals: dict | None = None) -> None:
    """Give every template `filters` and `globals` (also the macros that components import).

    A plugin declares them in its package as ``JINJA_FILTERS`` and ``JINJA_GLOBALS`` and passes
    those here, so that :func:`declared_jinja` finds the same values without a build."""
    settings["JINJA_FILTERS"] = {**(settings.get("JINJA_FILTERS") or {}), **(filters or {})}
    settings["JINJA_GLOBALS"] = {**(settings.get("JINJA_GLOBALS") or {}), **(globals or {})}


def declared_jinja(plugins) -> tuple[dict, dict]:
    """(filters, globals) every plugin in `plugins` declares for templates (see :func:`add_jinja`)."""
    filters: dict = {}
    found: dict = {}
    for plugin in plugins:
        try:
            module = importlib.import_module(str(plugin))
        except ImportError:
            continue
        filters.update(getattr(module, "JINJA_FILTERS", {}))
        found.update(getattr(module, "JINJA_GLOBALS", {}))
    return filters, found


class BuildState(SimpleNamespace):
    """A plugin's values between signals: ``state = BuildState(env=None)``; ``state.reset()`` at start-up."""

    def __init__(self, **defaults) -> None:
        super().__init__(**copy.deepcopy(defaults))
        object.__setattr__(self, "_defaults", copy.deepcopy(defaults))

    def reset(self) -> None:
        defaults = self._defaults
        self.__dict__.clear()
        self.__dict__.update({k: copy.deepcopy(v) for k, v in defaults.items()}, _defaults=defaults)


def keep_theme_env(state: BuildState):
    """A ``generator_init`` receiver that keeps the theme's Jinja environment in ``state.env`` (the
    first generator's: every generator of a build shares it), for plugins that render components."""

    def generator_init(generator) -> None:
        if state.env is None:
            state.env = generator.env

    return generator_init
