"""Both cores for the full build: the Markdown of every article and page is read (Python-Markdown and
the plugins' extensions, the bulk of a build) by worker processes while the build process does the
rest in Pelican's own order (ParallelReads); then the pages are rendered and written by the build
process and forked children, each making its share of the writes (ParallelWrites).

The workers are forked from the build process once Pelican and its plugins are set up (after the
content checks that run before anything is read), so each has the very reader the build would use.
A worker returns what the reader returned, with the diagnostics it reported; the build process
takes them in Pelican's order, exactly where it would have read the file itself, so pages,
findings and caches are what a single-process build makes (tests/site/test_parallel.py
compares both trees). Anything unusual (a reader that raised something other than a reported
error, a result that cannot be sent back) falls back to reading in the build process.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import pickle
import sys

from sitetools.pelican_private import prefetch_reads, strided_writer_base

MARKDOWN = ("md", "markdown", "mkd", "mdown")
_STATE: dict = {}  # what a forked worker inherits: {"readers": {fmt: reader}, "settings": dict}


def default_jobs() -> int:
    """Worker processes for a build: one per core, at most 4 (SITETOOLS_BUILD_JOBS=1: no workers)."""
    env = os.environ.get("SITETOOLS_BUILD_JOBS", "")
    if env.isdigit():
        return int(env)
    return min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


class _Pickler(pickle.Pickler):
    """Results refer to the settings (Category, Tag, Author objects hold them): send a reference,
    not a copy, so the build process's objects share its own settings as they would."""

    def persistent_id(self, obj):
        return "settings" if obj is _STATE.get("settings") else None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid):
        if pid == "settings":
            return _STATE["settings"]
        raise pickle.UnpicklingError(f"unknown reference {pid!r}")


def _read(fmt: str, path: str) -> bytes:
    """In a worker: read one file as the build would; return the pickled outcome."""
    import diagnostics

    diagnostics.COLLECTOR.clear()
    try:
        reader = _STATE["readers"][fmt]
        outcome = ("ok", type(reader).read(reader, path))  # the class's read: not the build's hook
    except diagnostics.ReportedError:
        outcome = ("reported", None)
    except Exception:
        return pickle.dumps(("again", None, []))  # the build process reads it itself, as usual
    found = diagnostics.COLLECTOR.items
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((*outcome, found))
    except Exception:
        return pickle.dumps(("again", None, []))
    return buffer.getvalue()


class ParallelReads:
    """While active, Pelican's article and page generators have their Markdown read by `jobs` workers.

    The workers are forked when a generator has its file list: worker k reads files k, k + jobs,
    k + 2·jobs … of it in Pelican's order and streams each outcome through its own pipe, so there is
    no per-file hand-off (a process pool's queues and threads cost the build process ~1 ms a file). A
    full pipe stops its worker until the build process takes the next outcome: only a few read files
    wait in memory. Fewer than `min_files` files to read (a small site, a warm content cache): no
    workers, as starting them would cost more than they save."""

    def __init__(self, jobs: int, min_files: int = 2) -> None:
        self.jobs, self.min_files = jobs, min_files
        self.workers: list[tuple[int, io.BufferedReader]] = []  # (PID, read end of its pipe)
        self.assigned: dict[str, int] = {}  # path -> the worker reading it, until taken

    def submit(self, readers, paths: list[str]) -> None:
        """Read `paths` ahead (absolute; the Markdown files Pelican is about to read, in its order)."""
        if self.jobs < 2 or len(paths) < self.min_files or self.workers:
            return
        _STATE["readers"] = {fmt: readers.readers[fmt] for fmt in MARKDOWN if fmt in readers.readers}
        _STATE["settings"] = readers.settings
        todo = [p for p in dict.fromkeys(paths) if p.rpartition(".")[2] in _STATE["readers"]]
        for k in range(self.jobs):
            mine = todo[k :: self.jobs]
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: read its files, stream the outcomes, and out
                os.close(read_end)
                for _, other in self.workers:
                    other.close()
                _read_share(mine, write_end)
            os.close(write_end)
            self.workers.append((pid, os.fdopen(read_end, "rb")))
            self.assigned.update(dict.fromkeys(mine, len(self.workers) - 1))

    def take(self, path: str):
        """The worker's outcome for `path`: ("ok", (content, metadata)) or ("reported", None), with its
        diagnostics re-reported here; None: read it here."""
        worker = self.assigned.pop(path, None)
        if worker is None:
            return None
        try:
            return self._receive(self.workers[worker][1], path)
        finally:
            if not self.assigned:  # all taken: no idle workers while the build goes on
                self.close()

    @staticmethod
    def _receive(pipe, path: str):
        while True:  # a file Pelican did not ask for after all is skipped
            head = pipe.read(12)
            if len(head) < 12:
                return None  # the worker died: read it here
            sent = os.fsdecode(pipe.read(int.from_bytes(head[:4], "big")))
            data = pipe.read(int.from_bytes(head[4:], "big"))
            if sent != path:
                continue
            try:
                kind, value, found = _Unpickler(io.BytesIO(data)).load()
            except Exception:  # cut off: the worker died while sending it
                return None
            if kind == "again":
                return None
            import diagnostics

            for diag in found:
                diagnostics.COLLECTOR.add(diag)
            return kind, value

    def close(self) -> None:
        """Stop the workers (reading is over; a later generator's files start new ones)."""
        workers, self.workers = self.workers, []
        self.assigned.clear()
        for pid, pipe in workers:
            pipe.close()  # a worker still writing gets a broken pipe and ends
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
        if workers:
            # What was read lives to the end of the build: out of the collector's sight, so its full
            # collections no longer walk it (0.1-0.3 s of a 1,000-article build)
            gc.freeze()

    def __enter__(self):
        self._hook = prefetch_reads(self)
        self._hook.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._hook.__exit__(*exc)
        self.close()
        _STATE.clear()
        gc.unfreeze()  # a caller that builds again in this process gets its memory back


def _read_share(paths: list[str], fd: int):
    """In a forked worker: read `paths` in order, each outcome to `fd` (length-prefixed), then exit."""
    import signal

    _die_with_parent()
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # the build process closed the pipe: just end
    try:
        with os.fdopen(fd, "wb") as pipe:
            for path in paths:
                name = os.fsencode(path)
                outcome = _read(path.rpartition(".")[2], path)
                pipe.write(b"".join((len(name).to_bytes(4, "big"), len(outcome).to_bytes(8, "big"), name)))
                pipe.write(outcome)
                pipe.flush()
    finally:
        os._exit(0)


class ParallelWrites:
    """While active, the pages the article and page generators write (Jinja renders and feeds: the
    other half of a build's work) are shared out between the build process and `jobs` - 1 children
    forked once every page's content is final (when Pelican makes its writer, after the
    all_generators_finalized signal): each process runs those generators' output (and that of any
    generator whose class says `writes_through_writer = True`: nothing but writer.write_file calls)
    and makes every `jobs`-th write in Pelican's order (sitetools.pelican_private.strided_writer_base),
    so together they write each file once, with what a single process writes. The other generators
    (static files, the timetable's own files) run in the build process alone, while the children
    write; the build process then waits for the children and takes their findings, before Pelican's
    `finalized` signal.

    Fewer than `min_contents` articles and pages (a small site): no children. `before_fork` runs just
    before the first fork (it stops the reading workers)."""

    def __init__(self, jobs: int, min_contents: int = 2, before_fork=None) -> None:
        self.jobs, self.min_contents, self.before_fork = jobs, min_contents, before_fork
        self.generators: list = []
        self.children: list[tuple[int, int]] = []  # (PID, read end of its pipe)

    def _keep_generators(self, generators) -> None:
        self.generators = list(generators)

    def _writer_class(self, pelican):
        parallel = self

        class Writer(strided_writer_base()):
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, **kwargs)
                parallel._share_out(self)

        return Writer

    def _share_out(self, writer) -> None:
        from pelican.generators import ArticlesGenerator, PagesGenerator

        shared = [
            g
            for g in self.generators
            if isinstance(g, ArticlesGenerator | PagesGenerator) or getattr(g, "writes_through_writer", False)
        ]
        contents = sum(len(g.context.get(name) or ()) for g in shared[:1] for name in ("articles", "pages"))
        if self.jobs < 2 or contents < self.min_contents:
            return
        if self.before_fork is not None:
            self.before_fork()
        gc.freeze()  # the children's collector leaves the shared pages alone (no copy-on-write)
        jobs = self.jobs
        for k in range(1, jobs):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: its share of the pages, its findings to the pipe, and out
                os.close(read_end)
                _write_share(writer, shared, (k, jobs), write_end)
            os.close(write_end)
            self.children.append((pid, read_end))

        for generator in shared:
            generator.generate_output = _sharing(generator.generate_output, (0, jobs))
        last = [g for g in self.generators if hasattr(g, "generate_output")][-1]
        output = last.generate_output

        def generate_output_then_join(writer_):
            try:
                output(writer_)
            finally:
                self._join()

        last.generate_output = generate_output_then_join

    def _join(self) -> None:
        """Wait for every child; report what each found (and a child that died: as an error)."""
        import diagnostics

        children, self.children = self.children, []
        for pid, read_end in children:
            with os.fdopen(read_end, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
            try:
                found = pickle.loads(data)
            except Exception:
                code = os.waitstatus_to_exitcode(status)
                how = f"was killed by signal {-code}" if code < 0 else f"stopped with exit code {code}"
                diagnostics.error(
                    "", None, f"a process writing pages {how}; build again (`--jobs 1` writes in one process)"
                )
                continue
            for diag in found:
                diagnostics.COLLECTOR.add(diag)

    def __enter__(self):
        from pelican import signals

        signals.all_generators_finalized.connect(self._keep_generators, weak=False)
        signals.get_writer.connect(self._writer_class, weak=False)
        return self

    def __exit__(self, *exc) -> None:
        from pelican import signals

        signals.all_generators_finalized.disconnect(self._keep_generators)
        signals.get_writer.disconnect(self._writer_class)
        for pid, read_end in self.children:  # the build process failed before it waited for them
            with contextlib.suppress(OSError):
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            with contextlib.suppress(OSError):
                os.close(read_end)
        self.children = []
        self.generators = []


def _sharing(generate_output, share):
    def generate_output_shared(writer):
        writer.share, writer.number = share, writer.number
        try:
            generate_output(writer)
        finally:
            writer.share = None

    return generate_output_shared


def _write_share(writer, generators, share, fd: int):
    """In a forked child: write this share of the generators' pages, send the findings, exit."""
    import diagnostics
    from sitetools.build import pause

    _die_with_parent()
    pause("writing")
    mark = diagnostics.COLLECTOR.mark()
    try:
        writer.share, writer.number = share, 0
        for generator in generators:
            generator.generate_output(writer)
    except diagnostics.ReportedError:
        pass
    except BaseException as exc:  # every failure ends as a finding, as in the build process
        from sitetools.build import report_failure

        report_failure(exc)
    try:
        data = pickle.dumps(diagnostics.COLLECTOR.since(mark), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(data)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(0)


def _die_with_parent() -> None:
    """Linux: this child gets SIGKILL when the build process dies (a killed build leaves no writer)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
