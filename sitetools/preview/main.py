"""The preview process: build, serve, watch, rebuild on every change (`python -m sitetools.preview`)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import threading
import time
from pathlib import Path

from sitetools.build import (
    ROOT,
    _remove,
    _swap_in,
    add_settings_arguments,
    clean_leftovers,
    output_lock,
    parse_overrides,
    report_failure,
)
from sitetools.preview.server import HOST, Status, serve
from sitetools.preview.site import LiveSite, _stamp

MODULE = "sitetools.preview"


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


class Preview:
    """Builds, serves, watches; rebuilds on every change."""

    def __init__(self, args) -> None:
        self.args = args
        self.status = Status()
        self.restart_on = [ROOT / "pelicanconf.py", (ROOT / args.settings).resolve()]
        self.output = Path(args.output or "output")
        self.output = self.output if self.output.is_absolute() else ROOT / self.output
        try:
            self.site: LiveSite | None = LiveSite(args.settings, self.output, parse_overrides(args.extra))
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
        self.status.publish(
            ok=ok,
            diagnostics=errors or lines,
            version=self.status.version + 1,
            busy=False,
            seconds=time.perf_counter() - started,
            kind=kind,
        )
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
        with output_lock(self.output, f"the live preview, python -m {MODULE}", wait=True):
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
        if ok:
            old_index = self.output / "pagefind"
            if not self.args.no_search and old_index.is_dir():  # search works at once, then catches up
                shutil.copytree(old_index, staging / "pagefind")
            _swap_in(staging, self.output)
            self.fresh = False
            if not self.args.no_search:
                threading.Thread(target=self._index, daemon=True).start()
        else:
            _remove(staging)
        return ok

    def _index(self) -> None:
        """The search index, built in the background once the site is live: Pagefind reads the
        output folder and writes beside it; the new index then replaces the old in one step."""
        from sitetools.search import build_index

        work = self.output.parent / ".cache" / f"pagefind-live-{os.getpid()}"
        _remove(work)
        if problem := build_index(self.output, work / "pagefind"):
            print(f"search: warning: {problem}", file=sys.stderr, flush=True)
        else:
            with output_lock(self.output, f"the live preview's search index, {MODULE}", wait=True):
                _remove(work / "old")
                if (self.output / "pagefind").exists():
                    (self.output / "pagefind").rename(work / "old")
                (work / "pagefind").rename(self.output / "pagefind")
        _remove(work)

    def start(self) -> None:
        started = time.perf_counter()
        ok = False if self.site is None or self.problems else self.build(None)
        self.report(ok, started)
        _, port = serve(self.output, self.status, self.args.port)
        print(f"Live preview of {self.output} on http://{HOST}:{port}/ (Ctrl-C to stop)", flush=True)
        self.watch()

    def waits(self):
        """Yield whenever something watched may have changed: True at once when the kernel says so
        (inotify, through watchfiles: a save is seen in milliseconds, once 20 ms pass without another
        change), and at least every second (a settings file replaced by a rename); False every
        `--interval` seconds where file notifications do not work (some network or container file
        systems) or with `--poll`."""
        if not self.args.poll:
            folders = [ROOT / "plugins"]
            if self.site is not None:
                folders += [self.site.content, Path(self.site.pelican.theme)]
            paths = [p for p in (*folders, *self.restart_on) if p.exists()]
            try:
                import watchfiles

                changes = watchfiles.watch(
                    *paths,
                    watch_filter=None,
                    debounce=1000,
                    step=20,
                    rust_timeout=1000,
                    yield_on_timeout=True,
                )
                for _ in changes:
                    yield True
            except (ImportError, OSError, RuntimeError) as exc:  # e.g. the inotify watch limit
                print(
                    f"Watching by looking every {self.args.interval} s ({exc})", file=sys.stderr, flush=True
                )
        while True:
            time.sleep(self.args.interval)
            yield False

    def watch(self) -> None:
        seen = self.watched()
        for notified in self.waits():
            now = self.watched()
            if now == seen:
                continue
            # Let an editor finish its save (truncate then write, or write then rename): build only
            # once two looks 30 ms apart agree, or after about a second of constant change (told by
            # the kernel: once it reported 20 ms without a change).
            for _ in range(0 if notified else 30):
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
                os.execv(sys.executable, [sys.executable, "-m", MODULE, *self.args.argv])
            if self.site is None:
                continue
            with self.status.lock:
                self.status.busy = True
            started = time.perf_counter()
            self.problems = []
            ok = self.build(changed)
            self.report(ok, started)


def main(argv=None) -> int:
    from sitetools.preview import __doc__ as doc

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}", description=doc.splitlines()[0])
    add_settings_arguments(parser)
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument(
        "--poll", action="store_true", help="look for changes every --interval s, not told by the kernel"
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=0.05,
        help="seconds between looks for changes with --poll (or no inotify)",
    )
    parser.add_argument("--no-search", action="store_true", help="do not build the Pagefind search index")
    args = parser.parse_args(argv)
    args.argv = argv
    try:
        Preview(args).start()
    except KeyboardInterrupt:
        return 0
    return 0
