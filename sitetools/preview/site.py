"""The site kept in memory: `LiveSite.build(changed)` brings the output folder up to date with the
sources, incrementally when only articles or pages changed (see the package's docstring)."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from sitetools import pelican_private
from sitetools.build import ROOT, load_settings, report_failure
from sitetools.preview import recorder
from sitetools.preview.changes import OnlyChanged, differs, scope_of, structure, substitute
from sitetools.preview.recorder import ANY
from sitetools.preview.writer import make_writer_class

sys.path.insert(0, str(ROOT / "plugins"))
import pipeline
from pelican_content import CONTENT_LISTS, forget_memoized

_WRITTEN_ARTICLES = ("translations", "articles", "hidden_translations", "hidden_articles")
_WRITTEN_PAGES = (
    "translations", "pages", "hidden_translations", "hidden_pages", "draft_translations", "draft_pages",
)  # fmt: skip


class NeedFullBuild(Exception):
    """The incremental route cannot promise a full build's result: do a full build."""


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


class LiveSite:
    """The site in memory: `build(changed)` brings the output folder up to date with the sources."""

    def __init__(self, settings_file="pelicanconf.py", output=None, overrides=None) -> None:
        sys.path.insert(0, str(ROOT / "plugins"))
        from pelican import Pelican

        import diagnostics

        self.diagnostics = diagnostics
        self.collector = diagnostics.COLLECTOR
        self.collector.clear()
        bridge = diagnostics.PelicanLogBridge(self.collector)
        logging.getLogger().addHandler(bridge)
        try:
            settings, self.settings_path, self.output = load_settings(settings_file, overrides, output)
            settings["OUTPUT_PATH"] = str(self.output)
            self.pelican = Pelican(settings)  # plugins connect their signals: once per process
        finally:
            logging.getLogger().removeHandler(bridge)
        self.startup_problems = list(self.collector.items)
        self.settings = self.pelican.settings
        self.content = Path(self.settings["PATH"]).resolve()
        self.writer_class = make_writer_class()
        recorder.install()
        pelican_private.install_atomic_static_copies()
        pelican_private.install_atomic_pelican_cache()
        pelican_private.install_build_speedups()
        pelican_private.install_static_links_memo()  # the preview hands Pelican the same objects again
        pelican_private.install_sitemap_date_memo()  # it rewrites the sitemap on every save
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
                if scope_of(receiver) is None:
                    return False
        return True

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
        incremental = (
            not self.needs_full
            and self.incremental_ok
            and changed is not None
            and all(self.is_content(p) for p in changed)
        )
        self.collector.clear()
        pelican_private.reset_log_limits()  # Pelican drops repeated messages for the life of a process
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
        context = settings.copy()
        context["generated_content"] = {}
        context["static_links"] = set()
        context["static_content"] = {}
        context["localsiteurl"] = settings["SITEURL"]
        generators = pelican_private.make_generators(
            self.pelican,
            context,
            settings,
            content_cache=not incremental,  # the objects in memory are the cache: skip Pelican's
        )
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
            with pipeline.memo_in_memory():  # the results of the pages just saved: kept in this process
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
            if id(obj) in changed_ids and key in old and structure(obj) != structure(old[key]):
                structural = True

        skipped = []

        def send(signal, sender):
            for receiver in signal.receivers_for(sender):
                scope = scope_of(receiver)
                if scope is None:
                    raise NeedFullBuild(receiver)
                if scope == "structure" and not structural:
                    skipped.append(receiver)  # its results stand: only the objects are new
                    continue
                if scope == "object":
                    if isinstance(sender, list):
                        receiver([OnlyChanged(g, changed_ids, CONTENT_LISTS) for g in sender])
                    else:
                        receiver(OnlyChanged(sender, changed_ids, CONTENT_LISTS))
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
            substitute(old, memo, changed_ids)
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
                changed[obj.source_path] = {n for n in names if n == ANY or differs(before, obj, n)}
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
