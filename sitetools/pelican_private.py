"""Every private of Pelican (and the one Jinja patch) that sitetools relies on, in one place.

Pelican has no public API for what the live preview and the atomic build need (a writer that
buffers, the generator list, the log de-duplication, the content cache's save). Each use is here,
checked against the one Pelican version these were read from: a different version fails at once
with what to do, instead of a preview that quietly writes stale pages.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import shutil
from importlib import metadata

#: The Pelican version whose internals this module was written against (requirements.lock pins it).
PELICAN_VERSION = "4.12.0"


class PelicanVersionError(RuntimeError):
    """Pelican is not the pinned version: the privates below may have changed."""


def check_version(found: str | None = None) -> None:
    """Fail with what to do unless the installed Pelican (or `found`) is PELICAN_VERSION."""
    found = found or metadata.version("pelican")
    if found != PELICAN_VERSION:
        raise PelicanVersionError(
            f"sitetools/pelican_private.py: error: Pelican {found} is installed, but the live preview and "
            f"the build rely on internals of Pelican {PELICAN_VERSION}; install the pinned version "
            f"(`make venv`), or re-check each private in sitetools/pelican_private.py against Pelican "
            f"{found} and update PELICAN_VERSION"
        )


# --- the generators, and the log's de-duplication ------------------------------------------------
def generator_classes(pelican) -> list:
    """The generator classes a Pelican run uses, plugins' included (Pelican._get_generator_classes)."""
    return pelican._get_generator_classes()


def make_generators(pelican, context: dict, settings: dict, content_cache: bool = True) -> list:
    """The generators of one build, as Pelican.run makes them. content_cache=False: without Pelican's
    content cache (neither loaded nor saved: ~0.25 s each at 1,000 articles), while every plugin still
    sees the real settings (its own caches follow LOAD_CONTENT_CACHE, which stays as set). Pelican
    reads the cache policies once, when a generator and its Readers are made."""
    off = settings if content_cache else {**settings, "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False}
    generators = [
        cls(
            context=context,
            settings=off,
            path=pelican.path,
            theme=pelican.theme,
            output_path=pelican.output_path,
        )
        for cls in generator_classes(pelican)
    ]
    for generator in generators:
        generator.settings = settings
        if hasattr(generator, "readers"):
            generator.readers.settings = settings
    return generators


def reset_log_limits() -> None:
    """Pelican's LimitFilter drops repeated messages for the life of a process: forget them, so each
    rebuild reports its own findings."""
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


# --- reading in worker processes (sitetools.parallel) --------------------------------------------
@contextlib.contextmanager
def prefetch_reads(reads):
    """While active, every articles/pages generator hands its file list to `reads.submit(readers,
    paths)` as soon as it has it (Generator.get_files, after the content checks) and its Markdown
    reader asks `reads.take(path)` before reading a file itself. Files whose content-cache entry is
    still valid are not sent (Pelican will not read them)."""
    from pelican import signals
    from pelican.generators import ArticlesGenerator, PagesGenerator

    import diagnostics

    def hook(generator) -> None:
        if not isinstance(generator, ArticlesGenerator | PagesGenerator):
            return
        readers, get_files = generator.readers, generator.get_files

        def get_files_and_submit(*args, **kwargs):
            files = get_files(*args, **kwargs)
            paths = [os.path.abspath(os.path.join(generator.path, f)) for f in files]
            cached = generator.get_cached_data
            stale = [
                path
                for f, path in zip(files, paths, strict=True)
                if cached(f, None) is None and readers.get_cached_data(path, None) is None
            ]
            reads.submit(readers, stale)
            return files

        generator.get_files = get_files_and_submit
        for reader in set(readers.readers.values()):
            read = reader.read

            def read_prefetched(source_path, read=read):
                taken = reads.take(os.path.abspath(source_path))
                if taken is None:
                    return read(source_path)
                kind, value = taken
                if kind == "reported":
                    raise diagnostics.ReportedError(source_path)
                return value

            reader.read = read_prefetched

    signals.generator_init.connect(hook)
    try:
        yield
    finally:
        signals.generator_init.disconnect(hook)


# --- the writer ----------------------------------------------------------------------------------
def buffered_writer_base():
    """Pelican's Writer with `_open_w` returning `open_buffer(filename)` instead of a truncated file,
    keeping Pelican's overwrite rules (`_overridden_files`, `_written_files`)."""
    from pelican.writers import FileOverwriteFailedError, Writer

    class BufferedWriter(Writer):
        def open_buffer(self, filename: str | None):  # overridden: None means "discard"
            raise NotImplementedError

        def _open_w(self, filename, encoding, override=False):
            if filename in self._overridden_files:
                if override:
                    raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
                return self.open_buffer(None)
            if filename in self._written_files and not override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}": already written')
            if override:
                self._overridden_files.add(filename)
            self._written_files.add(filename)
            return self.open_buffer(filename)

    return BufferedWriter


def paginated(settings: dict, paginated, template_name, kwargs: dict) -> bool:
    """Whether Pelican's Writer.write_file would write this call as several pages (its own test)."""
    paged = (
        paginated
        if paginated is not None
        else {k: v for k, v in kwargs.items() if k in ("articles", "dates")}
    )
    return bool(paged) and template_name in settings["PAGINATED_TEMPLATES"]


@functools.lru_cache(maxsize=1 << 16)
def _relative_url(name: str) -> str:
    """A page's SITEURL with relative URLs (Writer.write_file), the same for every build."""
    from pelican.utils import get_relative_path, path_to_url

    return path_to_url(get_relative_path(name))


def write_skipped(writer, name, context, relative_urls, override_output, kwargs, bookkeeping) -> None:
    """For one (not paginated) page this process does not render: what Pelican's Writer.write_file
    does around the render that others see, without its copy of the whole context — the overwrite
    rules (`bookkeeping(path, override_output)`) and the content_written signal (the sitemap lists
    every page it is told of), with the context the page would have had."""
    from collections import ChainMap

    from pelican import signals
    from pelican.utils import sanitised_join

    path = sanitised_join(writer.output_path, name)
    bookkeeping(path, override_output)
    local = {"localsiteurl": context.get("localsiteurl"), "output_file": name}
    if relative_urls:
        local["SITEURL"] = local["localsiteurl"] = _relative_url(name)
    signals.content_written.send(path, context=ChainMap(kwargs, local, context))


def strided_writer_base():
    """Pelican's Writer that can leave some writes to another process: while `share` is (k, n), each
    page render and feed is numbered in Pelican's order and only those numbered k modulo n are made;
    for the others only the bookkeeping runs (Pelican's overwrite rules in `_open_w`, the context's
    `localsiteurl`, the folders), and the file is not touched. share None: every write is made."""
    from pelican.utils import sanitised_join
    from pelican.writers import FileOverwriteFailedError, Writer

    class Share:
        """A template whose render is made only for this process's share of the writes."""

        def __init__(self, template, writer) -> None:
            self.template, self.writer = template, writer

        def render(self, *args, **kwargs):
            if self.writer.mine():
                return self.template.render(*args, **kwargs)
            self.writer.skipping = True
            return ""

        def __getattr__(self, name):
            return getattr(self.template, name)

    class StridedWriter(Writer):
        share: tuple[int, int] | None = None
        number = 0  # writes numbered so far while sharing
        skipping = False  # the write being made is another process's

        def mine(self) -> bool:
            if self.share is None:
                return True
            number, (k, n) = self.number, self.share
            self.number += 1
            return number % n == k

        def write_file(self, name, template, context, relative_urls=False, paginated_=None,
                       template_name=None, override_output=False, url=None, **kwargs):  # fmt: skip
            args = (relative_urls, paginated_, template_name, override_output, url)
            if self.share is None or not name:
                return super().write_file(name, template, context, *args, **kwargs)
            if paginated(self.settings, paginated_, template_name, kwargs):  # each page numbered
                return super().write_file(name, Share(template, self), context, *args, **kwargs)
            if self.mine():
                return super().write_file(name, template, context, *args, **kwargs)
            write_skipped(self, name, context, relative_urls, override_output, kwargs, self.note)
            return None

        def write_feed(self, elements, context, path=None, url=None, feed_type="atom",
                       override_output=False, feed_title=None):  # fmt: skip
            if self.mine():
                return super().write_feed(
                    elements, context, path, url, feed_type, override_output, feed_title
                )
            if path:
                self.note(sanitised_join(self.output_path, path), override_output)
            return None

        def note(self, filename, override) -> bool:
            """Pelican's overwrite rules (Writer._open_w) without opening the file; False: skip it."""
            if filename in self._overridden_files:
                if override:
                    raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
                return False
            if filename in self._written_files and not override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}": already written')
            if override:
                self._overridden_files.add(filename)
            self._written_files.add(filename)
            return True

        def _open_w(self, filename, encoding, override=False):
            if not self.skipping:
                return super()._open_w(filename, encoding, override)
            self.skipping = False
            self.note(filename, override)
            return open(os.devnull, "w", encoding=encoding)

    return StridedWriter


# --- one Markdown object per reader ---------------------------------------------------------
def install_markdown_reuse() -> None:
    """Pelican's MarkdownReader.read makes a new Markdown object for every file, setting up every
    extension again (~1 ms a file with ours: a tenth of reading). Python-Markdown's documented way to
    convert several documents is one object and `reset()` between them (Pelican itself does so for
    a summary): keep one per reader. Its `_parse_metadata` deregisters the `meta` preprocessor (so
    a summary's text is not read as a header), which comes back before the next file; a read that
    raised (a timeout, a reported error) drops the object, so a half-converted state is never used."""
    from markdown import Markdown
    from pelican.readers import MarkdownReader, pelican_open

    if getattr(MarkdownReader.read, "reuses", False):
        return
    original = MarkdownReader.read

    def read(self, source_path):
        self._source_path = source_path
        kept = self.__dict__.pop("_kept_markdown", None)
        if kept is None:
            md = Markdown(**self.settings["MARKDOWN"])
            meta = md.preprocessors["meta"] if "meta" in md.preprocessors else None  # noqa: SIM401 (no .get)
            priority = next((item.priority for item in md.preprocessors._priority if item.name == "meta"), 0)
            kept = (md, meta, priority)
        md, meta, priority = kept
        if meta is not None and "meta" not in md.preprocessors:
            md.preprocessors.register(meta, "meta", priority)
        md.reset()
        self._md = md
        with pelican_open(source_path) as text:
            content = md.convert(text)
        metadata = self._parse_metadata(md.Meta) if hasattr(md, "Meta") else {}
        self.__dict__["_kept_markdown"] = kept
        return content, metadata

    read.reuses, read.original = True, original
    MarkdownReader.read = read


# --- the sitemap's dates, formatted once per process --------------------------------------------
def install_sitemap_date_memo() -> None:
    """The sitemap plugin (pelican.plugins.sitemap) formats every page's date again whenever it writes
    the sitemap, which the live preview does on every save (~1,500 dates at 1,000 articles, through
    Pelican's slow strftime): remember each date's text, keyed by its ISO form (which holds its UTC
    offset, all the format depends on; equal datetimes in different zones stay apart)."""
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:
        return
    original = sitemap.format_date
    if getattr(original, "memoized", False):
        return
    known: dict[tuple, str] = {}

    def format_date(date):
        key = (type(date), date.isoformat())
        if key not in known:
            known[key] = original(date)
        return known[key]

    format_date.memoized, format_date.__wrapped__ = True, original
    sitemap.format_date = format_date


# --- taxonomy pages in linear time ----------------------------------------------------------
class _Members(list):
    """A list of content objects whose `in` takes one look (content objects compare by identity:
    Pelican's Content defines no __eq__), for lists that no longer change."""

    def __init__(self, items) -> None:
        super().__init__(items)
        self._ids = {id(item) for item in self}

    def __contains__(self, item) -> bool:
        return id(item) in self._ids


def linear_taxonomies(generator) -> None:
    """An ArticlesGenerator's tag, category and author article lists, in place, as `_Members`."""
    for tag, articles in list(generator.tags.items()):
        generator.tags[tag] = _Members(articles)
    for name in ("categories", "authors"):
        pairs = getattr(generator, name)
        if isinstance(pairs, list):  # [(category, articles)] once generate_context has run
            pairs[:] = [(key, _Members(articles)) for key, articles in pairs]


def install_linear_taxonomy_pages() -> None:
    """Pelican's generate_tags, generate_categories and generate_authors pick, for each tag, category
    and author, the site's articles in date order that are in its list: `[a for a in self.dates if a
    in articles]`, a scan of a list for every article, so the cost grows with the square of the site
    (0.45 s of a profiled build at 1,000 articles, a hundred times that at 10,000). Before writing, give
    those lists (in place: the context shares them) a one-look `in`; what is written is the same."""
    from pelican.generators import ArticlesGenerator

    original = ArticlesGenerator.generate_output
    if getattr(original, "linear", False):
        return

    def generate_output(self, writer):
        linear_taxonomies(self)
        return original(self, writer)

    generate_output.linear = True
    ArticlesGenerator.generate_output = generate_output


def install_build_speedups() -> None:
    """What every build of a whole site uses, the strict build and the live preview alike: one
    Markdown object per reader, the URL and relative-path memos, linear taxonomy pages."""
    install_markdown_reuse()
    install_relative_path_memo()
    install_url_memo()
    install_linear_taxonomy_pages()


# --- the Jinja patch: who reads which content object ---------------------------------------------
def install_jinja_recorder(note) -> None:
    """Call `note(content_object, attribute_or_None)` on every template access to a Pelican content
    object (Jinja's Environment.getattr and getitem; None: an item that is not a name)."""
    import jinja2
    from pelican.contents import Content

    if getattr(jinja2.Environment, "_live_reload_recorder", False):
        return
    original_getattr, original_getitem = jinja2.Environment.getattr, jinja2.Environment.getitem

    def getattr_(self, obj, attribute):
        if isinstance(obj, Content):
            note(obj, attribute)
        return original_getattr(self, obj, attribute)

    def getitem_(self, obj, argument):
        if isinstance(obj, Content):
            note(obj, argument if isinstance(argument, str) else None)
        return original_getitem(self, obj, argument)

    jinja2.Environment.getattr, jinja2.Environment.getitem = getattr_, getitem_
    jinja2.Environment._live_reload_recorder = True


# --- atomic file replacement inside Pelican ------------------------------------------------------
def install_atomic_static_copies() -> None:
    """Pelican copies static files (CSS, images) with shutil.copyfile, which truncates the file in
    the served folder first: copy beside it and rename instead (pelican.utils.copy_file)."""
    import pelican.utils

    if getattr(pelican.utils.copy_file, "live_reload_atomic", False):
        return

    def copy_file(source: str, destination: str) -> None:
        if _same_bytes(source, destination):  # Pelican copies the theme's files on every build: a
            return  # rename over a file makes ext4 flush it (~25 ms each on a busy disk)
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


def _same_bytes(a: str, b: str) -> bool:
    """Whether two files hold the same bytes (False if either cannot be read)."""
    import filecmp

    try:
        return filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False


def install_atomic_pelican_cache() -> None:
    """Pelican saves its content cache by truncating the file and pickling into it: a build killed
    then leaves a cut-off cache that fails every later build ("EOFError: Ran out of input"). Save it
    beside the old one and rename it into place instead (FileDataCacher's privates)."""
    import pickle

    from pelican.cache import FileDataCacher, logger

    if getattr(FileDataCacher.save_cache, "atomic", False):
        return

    def save_cache(self) -> None:
        if not self._cache_data_policy:
            return
        temp = f"{self._cache_path}.new-{os.getpid()}"
        try:
            os.makedirs(self.settings["CACHE_PATH"], exist_ok=True)
            with self._cache_open(temp, "wb") as fhandle:
                pickle.dump(self._cache, fhandle)
            os.replace(temp, self._cache_path)
        except (OSError, pickle.PicklingError, TypeError) as err:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            logger.warning("Could not save cache %s\n ... %s", self._cache_path, err)

    save_cache.atomic = True
    FileDataCacher.save_cache = save_cache


# --- one relative source path per file --------------------------------------------------------
def install_relative_path_memo() -> None:
    """Content.get_relative_source_path runs os.path.relpath + abspath on every url, save_as and
    url_format (~8 times per article per build; ~0.5 s at 1,000 articles in the live preview's
    incremental build). It is a pure function of the content folder and the source path when the
    content folder is absolute (abspath then ignores the working directory): remember it."""
    from pelican.contents import Content

    original = Content.get_relative_source_path
    if getattr(original, "memoized", False):
        return
    known: dict[tuple[str, str], str | None] = {}

    def get_relative_source_path(self, source_path: str | None = None) -> str | None:
        source_path = source_path or self.source_path
        root = self.settings["PATH"]
        if source_path is None or not (isinstance(root, str) and os.path.isabs(root)):
            return original(self, source_path)
        key = (root, source_path)
        if key not in known:
            known[key] = original(self, source_path)
        return known[key]

    get_relative_source_path.memoized = True
    Content.get_relative_source_path = get_relative_source_path


# --- static links found once per content text ---------------------------------------------------
def install_static_links_memo() -> None:
    """Pelican's generate_context scans every article's HTML for {static} links on every build; the
    live preview hands it the same objects again: keep the answer while the text is the same."""
    from pelican.contents import Content

    original = Content.get_static_links
    if getattr(original, "memoized", False):
        return

    def get_static_links(self) -> set[str]:
        key = (
            self._content,
            self.settings.get("INTRASITE_LINK_REGEX"),
            self.source_path,
            self.settings["PATH"],
        )
        kept = self.__dict__.get("_static_links_memo")
        if kept is None or kept[0][0] is not key[0] or kept[0][1:] != key[1:]:
            kept = self.__dict__["_static_links_memo"] = (key, original(self))
        return set(kept[1])

    get_static_links.memoized = True
    Content.get_static_links = get_static_links


# --- urls and save_as formatted once per set of values ---------------------------------------
class _NoMemo(Exception):
    """A url pattern or value this memo does not handle: let Pelican format it."""


def install_url_memo() -> None:
    """Pelican formats every content object's url and save_as from its settings pattern ~8 times per
    build (Content.url_format copies the metadata each time). Remember each result by the pattern and
    the values of the fields it names (with their types, and a datetime's time zone): the same values
    always format alike. Patterns with positional or nested fields, unhashable values and content
    without a date (Pelican would use the current time) are formatted by Pelican as before."""
    import datetime
    import re
    import string

    from pelican.contents import Content
    from pelican.utils import path_to_url

    original = Content._expand_settings
    if getattr(original, "memoized", False):
        return
    names_of: dict[str, tuple[str, ...] | None] = {}
    known: dict[tuple, str] = {}

    def names(pattern: str) -> tuple[str, ...]:
        if pattern not in names_of:
            found: list[str] | None = []
            try:
                for _, field, spec, _ in string.Formatter().parse(pattern):
                    if field is None:
                        continue
                    name = re.split(r"[.\[]", field, maxsplit=1)[0]
                    if not name.isidentifier() or "{" in (spec or ""):
                        found = None
                        break
                    found.append(name)
            except ValueError:
                found = None
            names_of[pattern] = tuple(found) if found is not None else None
        if names_of[pattern] is None:
            raise _NoMemo
        return names_of[pattern]

    def value(self, name: str):
        if name == "path":
            v = path_to_url(self.metadata.get("path", self.get_relative_source_path()))
        elif name == "slug":
            v = getattr(self, "slug", "")
        elif name == "lang":
            v = getattr(self, "lang", "en")
        elif name == "date":
            if not hasattr(self, "date"):
                raise _NoMemo
            v = self.date
        elif name in ("author", "category"):
            v = getattr(self, name).slug if hasattr(self, name) else ""
        elif name in self.metadata:
            v = self.metadata[name]
        else:
            raise _NoMemo
        tz = v.tzinfo if isinstance(v, datetime.datetime | datetime.time) else None
        return (type(v), v, tz)

    def _expand_settings(self, key: str, klass: str | None = None) -> str:
        fq_key = (f"{klass or self.__class__.__name__}_{key}").upper()
        pattern = self.settings.get(fq_key)
        try:
            if not isinstance(pattern, str):
                raise _NoMemo
            memo_key = (pattern, *(value(self, name) for name in names(pattern)))
            hash(memo_key)
        except (_NoMemo, TypeError):
            return original(self, key, klass)
        if memo_key not in known:
            known[memo_key] = original(self, key, klass)
        return known[memo_key]

    _expand_settings.memoized = True
    Content._expand_settings = _expand_settings
