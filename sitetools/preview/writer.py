"""Pelican's writer for the preview: renders only the outputs an edit can change, records what each
output reads, and writes a file (atomically) only when its bytes change."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sitetools import pelican_private
from sitetools.pelican_private import buffered_writer_base
from sitetools.preview import recorder

SKIP = "\0live-reload: not rendered\0"  # a render skipped because its inputs did not change


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


class _Buffer:
    """A file Pelican writes into; on close its bytes go to `on_close` (None: discarded)."""

    def __init__(self, path: str | None, on_close) -> None:
        self.path, self.parts, self.on_close = path, [], on_close

    def write(self, text: str | bytes) -> None:
        self.parts.append(text)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.path is not None and self.parts != [SKIP]:
            data = b"".join(p.encode("utf-8") if isinstance(p, str) else p for p in self.parts)
            self.on_close(self.path, data)


class _TrackedTemplate:
    def __init__(self, template, writer) -> None:
        self.template, self.writer = template, writer

    def __getattr__(self, name):
        return getattr(self.template, name)

    def render(self, localcontext):
        name = localcontext["output_file"]
        if not self.writer.wanted(name):
            return SKIP
        with recorder.recording() as read:
            try:
                return self.template.render(localcontext)
            finally:
                self.writer.site.new_deps[name] = read


def make_writer_class():
    class LiveWriter(buffered_writer_base()):
        """Renders only `dirty` outputs (all when None) and those never rendered before."""

        def __init__(self, output_path, settings, site, dirty) -> None:
            super().__init__(output_path, settings=settings)
            self.site, self.dirty, self.planned, self.written = site, dirty, set(), []

        def _rel(self, path: str) -> str:
            return os.path.relpath(path, self.output_path).replace(os.sep, "/")

        def wanted(self, name: str) -> bool:
            self.planned.add(name)
            return self.dirty is None or name in self.dirty or name not in self.site.deps

        def write_file(self, name, template, context, relative_urls=False, paginated=None,
                       template_name=None, override_output=False, url=None, **kwargs):  # fmt: skip
            if not name:
                return None
            if not pelican_private.paginated(
                self.settings, paginated, template_name, kwargs
            ) and not self.wanted(name):  # most of an incremental build's ~1,000 pages
                pelican_private.write_skipped(
                    self, name, context, relative_urls, override_output, kwargs, self._bookkeeping
                )
                return None
            template = _TrackedTemplate(template, self)
            return super().write_file(
                name, template, context, relative_urls, paginated, template_name, override_output, url,
                **kwargs,
            )  # fmt: skip

        def _bookkeeping(self, path: str, override_output: bool) -> None:
            self._open_w(path, "utf-8", override_output)  # a discarded buffer: Pelican's overwrite rules

        def write_feed(self, elements, context, path=None, url=None, feed_type="atom", **kwargs):
            if path:
                rel = self._rel(os.path.join(self.output_path, path))
                limit = self.settings["FEED_MAX_ITEMS"]
                self.site.new_deps[rel] = {e.source_path: {recorder.ANY} for e in elements[:limit]}
                if not self.wanted(rel):
                    return None
            return super().write_feed(elements, context, path, url, feed_type, **kwargs)

        def open_buffer(self, filename):
            return _Buffer(filename, self._store)

        def _store(self, path: str, data: bytes) -> None:
            try:
                if Path(path).read_bytes() == data:
                    return
            except OSError:
                pass
            write_atomic(path, data)
            self.written.append(self._rel(path))

    return LiveWriter
