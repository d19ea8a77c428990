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
- **Memo.** :class:`Memo` keeps the results of pure per-page work between builds (under CACHE_PATH),
  keyed by a digest of the page's input: the work after every generator is done (reading time,
  reading age, citation lint) is done again only for the pages that changed.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import importlib
import json
import marshal
import os
from pathlib import Path
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


def code_version(*modules) -> str:
    """A digest of the source files of `modules`: a :class:`Memo` made by other code is not believed."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def digest(*parts: str) -> str:
    """The key of a :class:`Memo` entry: a digest of the input the work depends on."""
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


#: Memo files read in this process: path -> (modified time, size, code version, entries). The live
#: preview runs the receivers again on every save and finds the file it wrote itself, unchanged since.
_LOADED: dict[Path, tuple[int, int, str, dict]] = {}
_MEMO_MAGIC = "memo-2"


class Memo:
    """Results of pure per-page work kept between builds (CACHE_PATH/memo/<name>.marshal), keyed by a
    :func:`digest` of the input: a page whose HTML (or source) is unchanged is not worked out again.

    One file per kind of work, read once and written once per build, atomically, with a checksum and
    the :func:`code_version` of the code that made it (a damaged, foreign or outdated file is ignored
    and replaced). Bounded: the entries this build used, then the most recent others, up to `limit`.
    Values are JSON data (a caller gets the same shape whether the value was computed or stored),
    stored with ``marshal``: it reads 12 MB of rendered citations in half the time ``json`` takes.
    The file maps each key to its value's own marshal bytes, decoded when asked for: the build holds
    the 12 MB of bytes, not every page's rendered citations as objects at once (~20 MiB more).
    """

    def __init__(self, cache_path, name: str, version: str, load: bool = True, limit: int = 10_000) -> None:
        self.path = Path(cache_path) / "memo" / f"{name}.marshal" if cache_path else None
        self.version, self.limit = version, limit
        self.old = self._load() if (load and self.path) else {}
        self.used: dict[str, bytes] = {}  # key -> its value's marshal bytes
        self.computed = 0

    def _stamp(self) -> tuple[int, int]:
        try:
            stat = self.path.stat()
        except OSError:
            return (0, -1)
        return (stat.st_mtime_ns, stat.st_size)

    def _load(self) -> dict:
        stamp = self._stamp()
        kept = _LOADED.get(self.path)
        if kept and kept[:3] == (*stamp, self.version):
            return kept[3]
        try:
            head, _, body = self.path.read_bytes().partition(b"\n")
            magic, version, check = head.decode("ascii").split(" ")
            if magic != _MEMO_MAGIC or version != self.version or hashlib.sha256(body).hexdigest() != check:
                return {}
            entries = marshal.loads(body)
        except (OSError, ValueError, EOFError, TypeError, UnicodeDecodeError):
            return {}
        if not isinstance(entries, dict):
            return {}
        _LOADED[self.path] = (*stamp, self.version, entries)
        return entries

    def has(self, key: str) -> bool:
        """Whether a value of `key` is stored (without decoding it)."""
        return key in self.used or key in self.old

    def peek(self, key: str):
        """The stored value of `key`, or None."""
        data = self.used.get(key)
        if data is None:
            data = self.old.get(key)
            if data is None:
                return None
            self.used[key] = data
        return marshal.loads(data)

    def put(self, key: str, value):
        """Keep `value` (JSON only) for the next build; returns it in the shape a stored one comes back in."""
        value = json.loads(json.dumps(value))
        self.used[key] = marshal.dumps(value)
        self.computed += 1
        return value

    def get(self, key: str, compute):
        """The stored value of `key`, else ``compute()``, kept for the next build."""
        value = self.peek(key)
        return self.put(key, compute()) if value is None else value

    def save(self) -> None:
        """Write the file when this build computed something (the bench's warm build writes nothing);
        within :func:`memo_in_memory`, keep the entries in this process only."""
        if not self.path or not self.computed:
            return
        entries = dict(self.used)
        for key, value in self.old.items():
            if len(entries) >= self.limit:
                break
            entries.setdefault(key, value)
        self.old, self.computed = entries, 0
        if not _WRITE[0]:
            _LOADED[self.path] = (*self._stamp(), self.version, entries)
            return
        body = marshal.dumps(entries)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(f"{_MEMO_MAGIC} {self.version} {hashlib.sha256(body).hexdigest()}\n".encode() + body)
        tmp.replace(self.path)
        _LOADED[self.path] = (*self._stamp(), self.version, entries)


_WRITE = [True]


@contextlib.contextmanager
def memo_in_memory():
    """Memos computed inside stay in this process (its next build finds them) and leave their files
    as they are: the live preview's rebuild of one saved page does not write 12 MB (0.1 s) each time."""
    _WRITE[0] = False
    try:
        yield
    finally:
        _WRITE[0] = True
