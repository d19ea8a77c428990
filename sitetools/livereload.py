"""The writer's live preview: `python -m sitetools.livereload [--output DIR] [--port 8000] [-e NAME=literal]`.

One long-lived process keeps Pelican, the settings, the plugins (signals connected once) and the
last good build's content objects in memory, watches the project, and on every save:

- an article or page (a Markdown file) changed, was added or removed: **incremental**. Only the
  changed files are read again (Markdown, the plugins' per-file work: citations, care cards,
  booking, reading age); every other content object is reused as it was. The site's lists
  (categories, tags, authors, archives, pagination) are rebuilt from all objects, exactly as
  Pelican builds them. Then only the outputs that can have changed are rendered: while the full
  build renders, every template's access to a content object is recorded (Jinja's getattr and
  getitem), so an edit re-renders the pages that read the edited article (its own page, the
  listings, feeds and any "related" or "next" link that shows it). When an edit changes what
  Pelican groups or orders by (date, category, tags, authors, status, slug, URL, template...) or
  adds or removes a file, every output is rendered again. Files are written only when their bytes
  change, and outputs no longer produced are deleted.
- a template, CSS, image or bibliography file changed: a full build in this process.
- plugin code or a settings file changed: the process restarts itself (plugins connect their
  signals once per process).

Correctness first: the incremental result equals a full build (tests/preview compare the trees).
A plugin whose `all_generators_finalized` / `*_generator_finalized` receiver this module does not
know makes every rebuild a full one, unless the receiver declares how it works, e.g.
``receiver.live_reload_scope = "object"`` (it handles each content object on its own: it is called
with only the changed objects) or ``"site"`` (idempotent over the whole site: it is called on
everything again).

The server (127.0.0.1 only, and only to a loopback Host header: sitetools.serve) serves the output
folder; every HTML response gets a small script that reloads the page when a build finishes.
When the latest build failed, every HTML response is an error page listing the diagnostics
instead of a stale page; it reloads itself once they are fixed.
Nothing of this is written into the output folder: `make build` output never contains it.
The Pagefind search index is built once, when the preview starts.

The output folder is never deleted or half-written: the first build goes to a staging folder
that replaces it in one step, later files are written atomically, and every build holds the
same lock as `make build` (waiting for one that runs). Each rebuild prints only the findings
that changed since the last good build; a failed one prints only its errors.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import datetime as dt
import html
import json
import logging
import os
import shutil
import sys
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sitetools.build import (
    ROOT,
    _fingerprint,
    _remove,
    _swap_in,
    clean_leftovers,
    install_atomic_pelican_cache,
    output_lock,
    report_failure,
)
from sitetools.serve import LocalOnly

sys.path.insert(0, str(ROOT / "plugins"))
from pelican_content import CONTENT_LISTS, forget_memoized

HOST = "127.0.0.1"
STATUS_PATH = "/__live/status"
#: Receivers of the finalized signals whose per-object nature this module knows (module.qualname).
KNOWN_SCOPES = {
    "citations.all_generators_finalized": "object",
    "clinical.generator_finalized": "object",
    "clinical.write_article": "object",  # *_write_article/_write_page: sent for changed objects only
    "layouts.article_generator_finalized": "object",
    "layouts.page_generator_finalized": "object",
    "reading.all_generators_finalized": "object",
    "images.all_generators_finalized": "object",  # unchanged objects' image variants are on disk already
    # prev/next/related depend only on dates, tags and categories: see "structure" in _post_process
    "related.article_generator_finalized": "structure",
}
#: Attributes a content object's place in the site's lists depends on (any change: render everything).
STRUCTURAL = (
    "status", "date", "category", "tags", "authors", "author", "slug", "save_as", "url", "lang",
    "translation", "template", "in_default_lang", "translation_id",
)  # fmt: skip
_WRITTEN_ARTICLES = ("translations", "articles", "hidden_translations", "hidden_articles")
_WRITTEN_PAGES = (
    "translations", "pages", "hidden_translations", "hidden_pages", "draft_translations", "draft_pages",
)  # fmt: skip
_SKIP = "\0live-reload: not rendered\0"  # a render skipped because its inputs did not change


class NeedFullBuild(Exception):
    """The incremental route cannot promise a full build's result: do a full build."""


# --- recording which content objects each output reads ---------------------------------------

_recording: dict[str, set] | None = None  # source path -> attributes read, while rendering one output
ANY = "*"  # "any change to this source"


def _install_recorder() -> None:
    """Record every content object a template reads while rendering (Jinja getattr and getitem)."""
    import jinja2
    from pelican.contents import Content

    if getattr(jinja2.Environment, "_live_reload_recorder", False):
        return
    original_getattr, original_getitem = jinja2.Environment.getattr, jinja2.Environment.getitem

    def getattr_(self, obj, attribute):
        if _recording is not None and isinstance(obj, Content):
            _recording.setdefault(obj.source_path, set()).add(attribute)
        return original_getattr(self, obj, attribute)

    def getitem_(self, obj, argument):
        if _recording is not None and isinstance(obj, Content):
            name = argument if isinstance(argument, str) else ANY
            _recording.setdefault(obj.source_path, set()).add(name)
        return original_getitem(self, obj, argument)

    jinja2.Environment.getattr, jinja2.Environment.getitem = getattr_, getitem_
    jinja2.Environment._live_reload_recorder = True


class _Buffer:
    """A file Pelican writes into; on close its bytes go to disk only if they differ."""

    def __init__(self, path: str, on_close) -> None:
        self.path, self.parts, self.on_close = path, [], on_close

    def write(self, text: str | bytes) -> None:
        self.parts.append(text)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.parts != [_SKIP]:
            data = b"".join(p.encode("utf-8") if isinstance(p, str) else p for p in self.parts)
            self.on_close(self.path, data)


def _make_writer_class():
    from pelican.writers import FileOverwriteFailedError, Writer

    class LiveWriter(Writer):
        """Pelican's writer that renders only `dirty` outputs (all when None), records what each
        output reads, and writes a file only when its bytes change."""

        def __init__(self, output_path, settings, site: LiveSite, dirty) -> None:
            super().__init__(output_path, settings=settings)
            self.site, self.dirty, self.planned, self.written = site, dirty, set(), []

        def _rel(self, path: str) -> str:
            return os.path.relpath(path, self.output_path).replace(os.sep, "/")

        def wanted(self, name: str) -> bool:
            self.planned.add(name)
            return self.dirty is None or name in self.dirty or name not in self.site.deps

        def write_file(self, name, template, context, *args, **kwargs):
            if name:
                template = _TrackedTemplate(template, self)
            return super().write_file(name, template, context, *args, **kwargs)

        def write_feed(self, elements, context, path=None, url=None, feed_type="atom", **kwargs):
            if path:
                rel = self._rel(os.path.join(self.output_path, path))
                limit = self.settings["FEED_MAX_ITEMS"]
                self.site.new_deps[rel] = {e.source_path: {ANY} for e in elements[:limit]}
                if not self.wanted(rel):
                    return None
            return super().write_feed(elements, context, path, url, feed_type, **kwargs)

        def _open_w(self, filename, encoding, override=False):
            # Pelican's own overwrite rules, then a buffer instead of a truncated file.
            if filename in self._overridden_files:
                if override:
                    raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
                return _Buffer(os.devnull, lambda *_: None)
            if filename in self._written_files and not override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}": already written')
            if override:
                self._overridden_files.add(filename)
            self._written_files.add(filename)
            return _Buffer(filename, self._store)

        def _store(self, path: str, data: bytes) -> None:
            try:
                if Path(path).read_bytes() == data:
                    return
            except OSError:
                pass
            write_atomic(path, data)
            self.written.append(self._rel(path))

    class _TrackedTemplate:
        def __init__(self, template, writer) -> None:
            self.template, self.writer = template, writer

        def __getattr__(self, name):
            return getattr(self.template, name)

        def render(self, localcontext):
            global _recording
            name = localcontext["output_file"]
            if not self.writer.wanted(name):
                return _SKIP
            _recording = {}
            try:
                return self.template.render(localcontext)
            finally:
                self.writer.site.new_deps[name] = _recording
                _recording = None

    return LiveWriter


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write a file so that a reader (the server, a browser) sees the old bytes or the new, never half."""
    temp = f"{path}.live-{os.getpid()}.tmp"
    try:
        with open(temp, "wb") as fh:
            fh.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _install_atomic_static_copies() -> None:
    """Pelican copies static files (CSS, images) with shutil.copyfile, which truncates the file in
    the served folder first: copy beside it and rename instead."""
    import pelican.utils

    if getattr(pelican.utils.copy_file, "live_reload_atomic", False):
        return

    def copy_file(source: str, destination: str) -> None:
        temp = f"{destination}.live-{os.getpid()}.tmp"
        try:
            shutil.copyfile(source, temp)
            os.replace(temp, destination)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            log = logging.getLogger("pelican.utils")  # Pelican's own warning: it fails the build
            log.warning("A problem occurred copying file %s to %s; %s", source, destination, exc)

    copy_file.live_reload_atomic = True
    pelican.utils.copy_file = copy_file


# --- the site kept in memory ------------------------------------------------------------------


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _structure(obj) -> tuple:
    values = []
    for name in STRUCTURAL:
        value = getattr(obj, name, None)
        if isinstance(value, list | tuple):
            value = tuple(str(v) for v in value)
        values.append(str(value) if value is not None else None)
    return tuple(values)


class _OnlyChanged:
    """A generator as a per-object receiver sees it: its content lists hold only the changed objects."""

    def __init__(self, generator, changed_ids: set[int]) -> None:
        self._generator = generator
        for name in CONTENT_LISTS:
            items = getattr(generator, name, None)
            if isinstance(items, list):
                setattr(self, name, [c for c in items if id(c) in changed_ids])

    def __getattr__(self, name):
        return getattr(self._generator, name)


class LiveSite:
    """The site in memory: `build(changed)` brings the output folder up to date with the sources."""

    def __init__(self, settings_file="pelicanconf.py", output=None, overrides=None) -> None:
        sys.path.insert(0, str(ROOT / "plugins"))
        os.chdir(ROOT)
        from pelican import Pelican

        import diagnostics
        import settings_schema

        self.diagnostics = diagnostics
        self.settings_path = (ROOT / settings_file).resolve()
        self.collector = diagnostics.COLLECTOR
        self.collector.clear()
        bridge = diagnostics.PelicanLogBridge(self.collector)
        logging.getLogger().addHandler(bridge)
        try:
            settings = settings_schema.read(self.settings_path, overrides)  # every plugin setting checked
            final = Path(output or settings["OUTPUT_PATH"])
            self.output = final if final.is_absolute() else ROOT / final
            settings["OUTPUT_PATH"] = str(self.output)
            settings["CACHE_PATH"] = str(Path(settings["CACHE_PATH"]) / _fingerprint(self.settings_path))
            self.pelican = Pelican(settings)  # plugins connect their signals: once per process
        finally:
            logging.getLogger().removeHandler(bridge)
        self.startup_problems = list(self.collector.items)
        self.settings = self.pelican.settings
        self.content = Path(self.settings["PATH"]).resolve()
        self.writer_class = _make_writer_class()
        _install_recorder()
        _install_atomic_static_copies()
        install_atomic_pelican_cache()
        self.memo: dict[tuple[str, str], tuple] = {}  # (source, class) -> (stamp, object)
        self.deps: dict[str, dict[str, set]] = {}  # output (relative) -> {source: attributes it read}
        self.outputs: set[str] = set()  # outputs of the last good build (written by the writer)
        self.site_findings: list = []  # last full build's findings not about one content file
        self.file_findings: dict[str, list] = {}  # last good build's findings per content file
        self.new_deps: dict[str, dict[str, set]] = {}
        self.needs_full = True
        self._relpaths: dict[str, str] = {}
        self.incremental_ok = self._receivers_known(
            "all_generators_finalized",
            "article_generator_finalized",
            "page_generator_finalized",
            "article_generator_pretaxonomy",
        )
        self.write_receivers_known = self._receivers_known(
            "article_generator_write_article", "page_generator_write_page"
        )

    def retarget(self, folder: Path) -> None:
        """Write the next builds into `folder` (a staging folder, then the output folder again)."""
        self.output = folder
        self.settings["OUTPUT_PATH"] = self.pelican.output_path = str(folder)

    def relpath(self, source: str) -> str:
        if source not in self._relpaths:
            self._relpaths[source] = self.diagnostics.relpath(source)
        return self._relpaths[source]

    # -- which route --------------------------------------------------------------------------
    def _receivers_known(self, *names: str) -> bool:
        from pelican import signals

        for name in names:
            signal = getattr(signals, name)
            for receiver in signal.receivers_for(signal.ANY):
                if self._scope(receiver) is None:
                    return False
        return True

    @staticmethod
    def _scope(receiver) -> str | None:
        declared = getattr(receiver, "live_reload_scope", None)
        if declared in ("object", "site", "structure"):
            return declared
        return KNOWN_SCOPES.get(f"{receiver.__module__}.{receiver.__qualname__}")

    def is_content(self, path: Path) -> bool:
        """A Markdown file of the articles or pages (the incremental route)."""
        try:
            rel = path.resolve().relative_to(self.content)
        except ValueError:
            return False
        folders = [*self.settings["ARTICLE_PATHS"], *self.settings["PAGE_PATHS"]]
        return path.suffix.lower() in (".md", ".markdown", ".mkd", ".mdown") and any(
            rel.as_posix().startswith(folder.rstrip("/") + "/") for folder in folders
        )

    # -- one build ----------------------------------------------------------------------------
    def build(self, changed: set[Path] | None = None) -> bool:
        """Bring the output up to date; `changed` None or not only content: a full build. True on success."""
        from pelican.log import LimitFilter

        incremental = (
            not self.needs_full
            and self.incremental_ok
            and changed is not None
            and all(self.is_content(p) for p in changed)
        )
        self.collector.clear()
        LimitFilter._raised_messages.clear()  # Pelican drops repeated messages for the life of a process
        LimitFilter._group_count.clear()
        bridge = self.diagnostics.PelicanLogBridge(self.collector)
        logging.getLogger().addHandler(bridge)
        self.new_deps = {}
        started = time.perf_counter()
        try:
            try:
                written = self._run(incremental)
            except NeedFullBuild:
                self.collector.clear()
                self.new_deps = {}
                incremental = False
                written = self._run(False)
        except Exception as exc:
            if not isinstance(exc, self.diagnostics.ReportedError):
                report_failure(exc)
            written = None
        finally:
            logging.getLogger().removeHandler(bridge)
        self.seconds = time.perf_counter() - started
        self.kind = "incremental" if incremental else "full"
        ok = written is not None and not self.collector.errors
        if not ok and (written or not incremental):  # start again from a full build next time
            self.needs_full = True
        self.written = written or []
        return ok

    def _run(self, incremental: bool) -> list[str] | None:
        from pelican import signals
        from pelican.generators import ArticlesGenerator, PagesGenerator

        settings = self.settings
        if incremental:  # the objects in memory are the cache: skip Pelican's (saving it costs ~0.25 s)
            settings = {**settings, "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False}
        context = settings.copy()
        context["generated_content"] = {}
        context["static_links"] = set()
        context["static_content"] = {}
        context["localsiteurl"] = settings["SITEURL"]
        generators = [
            cls(
                context=context,
                settings=settings,
                path=self.pelican.path,
                theme=self.pelican.theme,
                output_path=self.pelican.output_path,
            )
            for cls in self.pelican._get_generator_classes()
        ]
        memo, fresh = {}, []
        for generator in generators:
            if hasattr(generator, "readers"):
                generator.readers.read_file = self._reader(
                    generator.readers.read_file, memo, fresh, context, reuse=incremental
                )

        muted = (
            signals.article_generator_pretaxonomy,
            signals.article_generator_finalized,
            signals.page_generator_finalized,
        )
        if incremental:
            for signal in muted:
                signal.is_muted = True
        try:
            for generator in generators:
                if hasattr(generator, "generate_context"):
                    generator.generate_context()
                if hasattr(generator, "check_disabled_readers"):
                    generator.check_disabled_readers()
        finally:
            for signal in muted:
                signal.is_muted = False

        if self.collector.errors:
            return None
        dirty = None
        if incremental:
            dirty = self._post_process(generators, memo, fresh, context)
        else:
            signals.all_generators_finalized.send(generators)
        for generator in generators:
            if hasattr(generator, "refresh_metadata_intersite_links"):
                generator.refresh_metadata_intersite_links()
        if self.collector.errors:
            return None

        writer = self.writer_class(self.pelican.output_path, settings, self, dirty)
        write_signals = (signals.article_generator_write_article, signals.page_generator_write_page)
        only_changed = incremental and self.write_receivers_known
        if only_changed:  # per-object receivers: what they set on unchanged objects is still there
            changed_ids = {id(obj) for obj in fresh}
            for generator in generators:  # the objects Pelican sends them for, in its order
                if isinstance(generator, ArticlesGenerator):
                    signal, names = write_signals[0], _WRITTEN_ARTICLES
                elif isinstance(generator, PagesGenerator):
                    signal, names = write_signals[1], _WRITTEN_PAGES
                else:
                    continue
                for name in names:
                    for obj in getattr(generator, name):
                        if id(obj) in changed_ids:
                            signal.send(generator, content=obj)
            for signal in write_signals:
                signal.is_muted = True
        try:
            for generator in generators:
                if hasattr(generator, "generate_output"):
                    generator.generate_output(writer)
        finally:
            for signal in write_signals:
                signal.is_muted = False
        signals.finalized.send(self.pelican)
        self._commit(incremental, memo, writer)
        return writer.written

    def _reader(self, read_file, memo, fresh, context, reuse: bool):
        def read(base_path, path, content_class, **kwargs):
            source = os.path.abspath(os.path.join(base_path, path))
            key = (source, content_class.__name__)
            stamp = _stamp(source)
            kept = self.memo.get(key)
            if reuse and kept is not None and kept[0] == stamp:
                obj = kept[1]
                obj._context = context
                memo[key] = kept
                return obj
            obj = read_file(base_path=base_path, path=path, content_class=content_class, **kwargs)
            memo[key] = (stamp, obj)
            fresh.append(obj)
            return obj

        return read

    def _post_process(self, generators, memo, fresh, context) -> set[str] | None:
        """Run the finalized signals for the changed objects only; return the outputs to render
        (None: all of them)."""
        from pelican import signals

        changed_ids = {id(obj) for obj in fresh}
        old = {key: obj for key, (_, obj) in self.memo.items()}
        structural = set(memo) != set(old)
        for key, (_, obj) in memo.items():
            if id(obj) in changed_ids and key in old and _structure(obj) != _structure(old[key]):
                structural = True

        skipped = []

        def send(signal, sender):
            for receiver in signal.receivers_for(sender):
                scope = self._scope(receiver)
                if scope is None:
                    raise NeedFullBuild(receiver)
                if scope == "structure" and not structural:
                    skipped.append(receiver)  # its results stand: only the objects are new
                    continue
                if scope == "object":
                    if isinstance(sender, list):
                        receiver([_OnlyChanged(g, changed_ids) for g in sender])
                    else:
                        receiver(_OnlyChanged(sender, changed_ids))
                else:
                    receiver(sender)

        from pelican.generators import ArticlesGenerator, PagesGenerator

        for generator in generators:
            if isinstance(generator, ArticlesGenerator):
                send(signals.article_generator_pretaxonomy, generator)
                send(signals.article_generator_finalized, generator)
            elif isinstance(generator, PagesGenerator):
                send(signals.page_generator_finalized, generator)
        send(signals.all_generators_finalized, generators)

        if skipped:
            _substitute(old, memo, changed_ids)
        if structural:  # links between contents may now resolve differently: render all afresh
            for _, obj in memo.values():
                forget_memoized(obj)
            return None
        # An output is rendered again if it read an attribute of a changed object whose value changed.
        wanted: dict[str, set] = {}
        for read in self.deps.values():
            for source, names in read.items():
                wanted.setdefault(source, set()).update(names)
        changed: dict[str, set] = {}
        for key, (_, obj) in memo.items():
            if id(obj) in changed_ids:
                before = old[key]
                names = wanted.get(obj.source_path, set())
                changed[obj.source_path] = {n for n in names if n == ANY or _differs(before, obj, n)}
                changed[obj.source_path].add(ANY)
        return {
            name
            for name, read in self.deps.items()
            if any(
                source in changed and (ANY in names or names & changed[source])
                for source, names in read.items()
            )
        }

    def _commit(self, incremental: bool, memo, writer) -> None:
        """The build succeeded: keep its objects, dependencies and findings; delete stale outputs."""
        items = self.collector.items
        fresh_paths = {
            self.relpath(obj.source_path)
            for key, (stamp, obj) in memo.items()
            if self.memo.get(key, (None,))[0] != stamp or not incremental
        }
        kept_paths = {self.relpath(key[0]) for key in memo}
        if incremental:
            # Findings about unchanged files, and site-wide ones, come from the builds that made them.
            findings = {p: list(v) for p, v in self.file_findings.items() if p in kept_paths}
            for path in fresh_paths:
                findings[path] = []
            new_site = []
            for diag in items:
                if diag.path in fresh_paths:
                    findings[diag.path].append(diag)
                elif diag.severity == "error":
                    new_site.append(diag)
            self.file_findings = findings
            site = self.site_findings + new_site
        else:
            self.file_findings = {}
            site = []
            for diag in items:
                if diag.path in kept_paths:
                    self.file_findings.setdefault(diag.path, []).append(diag)
                else:
                    site.append(diag)
            self.site_findings = site
        self.collector.clear()
        for diag in [*site, *(d for v in self.file_findings.values() for d in v)]:
            self.collector.add(diag)

        self.memo = memo
        if incremental:
            self.deps.update(self.new_deps)
        else:
            self.deps = dict(self.new_deps)
        for name in set(self.deps) - writer.planned:
            del self.deps[name]
        for name in self.outputs - writer.planned:
            path = self.output / name
            path.unlink(missing_ok=True)
            writer.written.append(name)
            for folder in path.parents:
                if folder == self.output or not folder.is_dir() or any(folder.iterdir()):
                    break
                folder.rmdir()
        self.outputs = set(writer.planned)
        self.needs_full = False


def _substitute(old: dict, memo: dict, changed_ids: set[int]) -> None:
    """What a skipped "structure" receiver set still points at the replaced objects: point it at
    the new ones, and give the new objects what it had set on the old ones."""
    from pelican.contents import Content

    swap = {id(old[key]): obj for key, (_, obj) in memo.items() if id(obj) in changed_ids and key in old}

    def new(value):
        if isinstance(value, Content):
            return swap.get(id(value), value)
        if isinstance(value, list | tuple) and any(id(v) in swap for v in value):
            return type(value)(swap.get(id(v), v) for v in value)
        return value

    for _, obj in memo.values():
        if id(obj) in changed_ids:
            continue
        for name, value in list(vars(obj).items()):
            if isinstance(value, Content | list | tuple):
                replaced = new(value)
                if replaced is not value:
                    setattr(obj, name, replaced)
    for old_id, obj in swap.items():
        before = next(o for o in old.values() if id(o) == old_id)
        for name, value in vars(before).items():
            if name not in vars(obj) and isinstance(value, Content | list | tuple | type(None)):
                setattr(obj, name, new(value))


_PLAIN = (str, int, float, bool, type(None), dt.date, dt.datetime)


def _same(a, b) -> bool:
    """Equal, for values whose equality says they render alike; anything else counts as different."""
    from pelican.urlwrappers import URLWrapper

    if type(a) is not type(b):
        return False
    if isinstance(a, _PLAIN):
        return a == b
    if isinstance(a, URLWrapper):
        return (a.name, a.slug, a.url) == (b.name, b.slug, b.url)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return False


def _differs(old, new, name: str) -> bool:
    try:
        return not _same(getattr(old, name), getattr(new, name))
    except Exception:
        return True


# --- watching ---------------------------------------------------------------------------------


def snapshot(folders: list[Path], files: list[Path]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under `folders` and of `files`; editors' temporary files ignored."""
    found = {}
    stack = [str(f) for f in folders]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith((".", "#")) or name.endswith("~") or name == "__pycache__":
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            else:
                try:
                    st = entry.stat()
                except OSError:
                    continue
                found[entry.path] = (st.st_mtime_ns, st.st_size)
    for path in files:
        if stamp := _stamp(str(path)):
            found[str(path)] = stamp
    return found


# --- serving ----------------------------------------------------------------------------------


class Status:
    """What the server tells the browser: the build number, and the diagnostics of a failed build."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version = 0
        self.ok = True
        self.busy = True
        self.diagnostics: list[str] = []
        self.seconds = 0.0
        self.kind = ""

    def as_json(self) -> bytes:
        with self.lock:
            data = {
                "version": self.version,
                "ok": self.ok,
                "busy": self.busy,
                "diagnostics": self.diagnostics,
                "seconds": round(self.seconds, 3),
                "kind": self.kind,
            }
        return json.dumps(data).encode()


RELOAD_SCRIPT = (
    "<script>/* live preview only: never in a built site */(function(){{var v={version};"
    "function poll(){{fetch('{status}',{{cache:'no-store'}}).then(function(r){{return r.json()}})"
    ".then(function(s){{if(s.version!==v&&!s.busy){{location.reload()}}else{{setTimeout(poll,250)}}}})"
    ".catch(function(){{setTimeout(poll,1000)}})}}setTimeout(poll,250)}})();</script>"
)


def error_page(diagnostics: list[str], version: int) -> str:
    """The page shown instead of any page while the latest build has errors (every line escaped)."""
    lines = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in diagnostics)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Build failed: live preview</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{font:1rem/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}"
        "h1{color:#a00}li{margin:.5rem 0}code{white-space:pre-wrap;font-size:1rem}</style></head>"
        '<body><main><h1>The site could not be built</h1><p id="live-preview-error">Fix the problem below '
        "and save the file: this page updates by itself.</p>"
        f'<ul class="diagnostics">{lines}</ul>'
        "<p>What each message means: docs/writing.md, “When something is wrong”.</p></main>"
        f"{RELOAD_SCRIPT.format(version=version, status=STATUS_PATH)}</body></html>\n"
    )


def make_handler(root: Path, status: Status):
    class Handler(LocalOnly, SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def do_HEAD(self) -> None:
            if not self.refused():  # a foreign Host header (DNS rebinding): 403, nothing read
                super().do_HEAD()

        def log_message(self, *args) -> None:  # the terminal is for build messages
            pass

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def do_GET(self) -> None:
            if self.refused():  # a foreign Host header (DNS rebinding): 403, nothing read
                return None
            if self.path.split("?")[0] == STATUS_PATH:
                return self._send(HTTPStatus.OK, "application/json", status.as_json())
            fs_path = Path(self.translate_path(self.path))
            if fs_path.is_dir():
                if not self.path.split("?")[0].endswith("/"):
                    return super().do_GET()  # the redirect to the folder with a slash
                fs_path = fs_path / "index.html"
            if fs_path.suffix != ".html":
                return super().do_GET()
            with status.lock:
                ok, version, lines = status.ok, status.version, list(status.diagnostics)
            if not ok:
                page = error_page(lines, version).encode()
                return self._send(HTTPStatus.OK, "text/html; charset=utf-8", page)
            code = HTTPStatus.OK
            if not fs_path.is_file():
                code, fs_path = HTTPStatus.NOT_FOUND, root / "404.html"
                if not fs_path.is_file():
                    return self.send_error(HTTPStatus.NOT_FOUND)
            text = fs_path.read_text(encoding="utf-8")
            script = RELOAD_SCRIPT.format(version=version, status=STATUS_PATH)
            at = text.rfind("</body>")
            text = text[:at] + script + text[at:] if at >= 0 else text + script
            self._send(code, "text/html; charset=utf-8", text.encode())

        def _send(self, code, content_type: str, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


# --- the process ------------------------------------------------------------------------------


class Preview:
    """Builds, serves, watches; rebuilds on every change."""

    def __init__(self, args) -> None:
        self.args = args
        self.status = Status()
        overrides = {}
        for item in args.extra:
            name, _, value = item.partition("=")
            overrides[name.strip()] = ast.literal_eval(value)
        self.restart_on = [ROOT / "pelicanconf.py", (ROOT / args.settings).resolve()]
        self.output = Path(args.output or "output")
        self.output = self.output if self.output.is_absolute() else ROOT / self.output
        try:
            self.site: LiveSite | None = LiveSite(args.settings, self.output, overrides)
            self.problems = self.site.startup_problems
        except Exception as exc:  # a bad setting: show it, and start again when the settings change
            import diagnostics

            if not isinstance(exc, diagnostics.ReportedError):
                report_failure(exc)
            self.site, self.problems = None, diagnostics.COLLECTOR.items
        self.fresh = True  # until the first good build (see build)
        self.good_findings: list[str] | None = None  # what the last good build printed

    def watched(self) -> dict:
        folders = [ROOT / "plugins"]
        if self.site is not None:
            folders += [self.site.content, Path(self.site.pelican.theme)]
        return snapshot(folders, self.restart_on)

    def report(self, ok: bool, started: float) -> None:
        """Tell the browser, and print what changed since the last good build (a failed build: its
        errors only; its other findings may be consequences of the error, e.g. "never cited")."""
        site = self.site
        if site is None or self.problems:
            items = self.problems
            kind, written, seconds = "start-up", [], 0.0
        else:
            items = site.collector.items
            kind, written, seconds = site.kind, site.written, site.seconds
        lines = [d.format() for d in items]
        errors = [d.format() for d in items if d.severity == "error"]
        with self.status.lock:
            self.status.ok = ok
            self.status.diagnostics = errors or lines
            self.status.version += 1
            self.status.busy = False
            self.status.seconds = time.perf_counter() - started
            self.status.kind = kind
        if not ok:
            shown, tail = errors or lines, ""
        elif self.good_findings is None:  # the first good build: everything
            shown, tail = lines, ""
        else:
            before = self.good_findings
            shown = [line for line in lines if line not in before]
            shown += [f"fixed: {line}" for line in before if line not in lines]
            same = sum(line in before for line in lines)
            tail = f"; {same} earlier finding(s) unchanged, not repeated" if same else ""
        if ok:
            self.good_findings = lines
        if shown:
            print("\n".join(shown), file=sys.stderr)
        verdict = "Rebuilt" if ok else "Build FAILED; the browser shows the errors"
        print(
            f"{verdict} ({kind}, {len(written)} file(s) written) in {seconds:.2f} s{tail}.",
            file=sys.stderr,
            flush=True,
        )

    def build(self, changed: set[Path] | None) -> bool:
        """One build under the output folder's lock (waiting for a `make build` that holds it).

        Until the first good build, a full build goes to a staging folder that replaces the output
        folder in one step (as `make build` does): the output folder is never deleted or half
        built. After it, builds write in place, each file atomically (temp file + rename)."""
        holder = "the live preview, python -m sitetools.livereload"
        with output_lock(self.output, holder, wait=True):
            if self.fresh:
                return self._build_fresh()
            return self.site.build(changed)

    def _build_fresh(self) -> bool:
        clean_leftovers(self.output)
        staging = self.output.with_name(f".{self.output.name}.new-{os.getpid()}")
        staging.mkdir(parents=True)
        self.site.retarget(staging)
        try:
            ok = self.site.build(None)
        finally:
            self.site.retarget(self.output)
        if ok and not self.args.no_search:
            from sitetools.search import build_index

            if problem := build_index(staging):
                print(f"search: warning: {problem}", file=sys.stderr)
                shutil.rmtree(staging / "pagefind", ignore_errors=True)
        if ok:
            _swap_in(staging, self.output)
            self.fresh = False
        else:
            _remove(staging)
        return ok

    def start(self) -> None:
        output = self.output
        started = time.perf_counter()
        ok = False if self.site is None or self.problems else self.build(None)
        self.report(ok, started)
        server = ThreadingHTTPServer((HOST, self.args.port), make_handler(output, self.status))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
        print(f"Live preview of {output} on http://{HOST}:{port}/ (Ctrl-C to stop)", flush=True)
        self.watch()

    def watch(self) -> None:
        seen = self.watched()
        while True:
            time.sleep(self.args.interval)
            now = self.watched()
            if now == seen:
                continue
            # Let an editor finish its save (truncate then write, or write then rename): build only
            # once two looks 30 ms apart agree, or after about a second of constant change.
            for _ in range(30):
                time.sleep(0.03)
                settled = self.watched()
                if settled == now:
                    break
                now = settled
            changed = {Path(p) for p in set(now) ^ set(seen) | {p for p in now if now[p] != seen.get(p)}}
            seen = now
            if any(p in changed for p in map(Path, map(str, self.restart_on))) or any(
                p.suffix == ".py" and ROOT / "plugins" in p.parents for p in changed
            ):
                print("Settings or plugin code changed: restarting the preview.", file=sys.stderr, flush=True)
                os.execv(sys.executable, [sys.executable, "-m", "sitetools.livereload", *self.args.argv])
            if self.site is None:
                continue
            with self.status.lock:
                self.status.busy = True
            started = time.perf_counter()
            self.problems = []
            ok = self.build(changed)
            self.report(ok, started)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default="pelicanconf.py", help="settings file (default: %(default)s)")
    parser.add_argument("--output", help="output folder (default: the settings' OUTPUT_PATH)")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between looks for changes")
    parser.add_argument("--no-search", action="store_true", help="do not build the Pagefind search index")
    parser.add_argument("-e", "--extra", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    args.argv = argv
    try:
        Preview(args).start()
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
