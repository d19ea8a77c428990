"""The strict, atomic build: `python -m sitetools.build [--settings publishconf.py] [--output DIR]`.

- Strict: any error a plugin reports, and any warning or error Pelican logs (a plugin that fails
  to load, an article skipped for lack of a title, a duplicate slug, a missing template), fails
  the build with a non-zero exit. Advisory findings are printed in the same summary.
- Atomic: Pelican writes into a fresh sibling folder (`.output.new-PID`); only a successful build
  replaces the output folder, in one step (renameat2 RENAME_EXCHANGE, see `_swap_in`), so a
  failed or killed build leaves the previous complete site in place. Staging folders left by
  killed builds are removed by the next one.
- Serialised: a build holds `<output parent>/.cache/<output name>.lock` (flock) from start to
  swap; a second build of the same folder fails at once, naming the PID that holds it.
- Cache-safe: Pelican's content cache lives under a folder named after a fingerprint of the
  plugins' code, the settings files and the Markdown/Pelican versions, so changing any of them
  cannot serve stale HTML.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import errno
import fcntl
import hashlib
import logging
import os
import re
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from sitetools import pelican_private
from sitetools.pelican_private import check_version, install_atomic_pelican_cache
from sitetools.templates import compile_once

ROOT = Path(__file__).resolve().parents[1]


def _fingerprint(settings_file: Path) -> str:
    digest = hashlib.sha256()
    for name in ("pelican", "markdown"):
        digest.update(f"{name}={metadata.version(name)}".encode())
    files = [*sorted((ROOT / "plugins").rglob("*.py")), ROOT / "pelicanconf.py", settings_file]
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


#: Test hooks (the kill tests in tests/hostile/test_output.py use them; never set otherwise):
#: SITETOOLS_BUILD_PAUSE_AT=<point>[:seconds] prints "build: paused at <point>" and sleeps (60 s),
#: so a test can kill the build there (points: locked, staged, exchanged, half-swapped; writing: in a
#: child process of sitetools.parallel.ParallelWrites, before it writes its share of the pages);
#: SITETOOLS_BUILD_NO_EXCHANGE=1 takes the fallback path of systems without renameat2.
PAUSE_AT = "SITETOOLS_BUILD_PAUSE_AT"
NO_EXCHANGE = "SITETOOLS_BUILD_NO_EXCHANGE"


def pause(point: str) -> None:
    name, _, seconds = os.environ.get(PAUSE_AT, "").partition(":")
    if name == point:
        print(f"build: paused at {point} (PID {os.getpid()})", file=sys.stderr, flush=True)
        time.sleep(float(seconds or 60))


class OutputLocked(Exception):
    """Another process is writing this output folder."""


def lock_path(output: Path) -> Path:
    """The lock of an output folder: <output parent>/.cache/<output name>.lock."""
    return output.parent / ".cache" / f"{output.name}.lock"


@contextlib.contextmanager
def output_lock(output: Path, holder: str, wait: bool = False, stream=sys.stderr):
    """Hold the output folder's lock (flock: the kernel releases it when the process dies, even
    by SIGKILL). Taken: raise OutputLocked naming the PID that holds it, or (wait=True) say so and
    wait for it."""
    path = lock_path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)  # not O_TRUNC: the holder's PID is in it
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            who = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            if not wait:
                raise OutputLocked(who) from None
            print(f"Waiting for {who} to finish writing {output.name}/ ...", file=stream, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"PID {os.getpid()} ({holder})\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _staging_leftovers(output: Path) -> list[Path]:
    pattern = re.compile(rf"\.{re.escape(output.name)}\.(new|old)-\d+")
    try:
        return sorted(p for p in output.parent.iterdir() if pattern.fullmatch(p.name))
    except FileNotFoundError:
        return []


def clean_leftovers(output: Path) -> None:
    """Remove the staging folders of killed builds (call with the lock held). If a build was killed
    between the two renames of the fallback swap, output/ is missing: its old tree comes back."""
    leftovers = _staging_leftovers(output)
    if not os.path.lexists(output):
        old = [p for p in leftovers if ".old-" in p.name]
        if old:
            old[-1].rename(output)
            leftovers.remove(old[-1])
    for path in leftovers:
        _remove(path)
    for trash in (output.parent / ".cache").glob(f"{output.name}.trash-*"):  # see discard()
        pid = trash.name.rpartition("-")[2]
        if pid.isdigit() and not _alive(int(pid)):  # its `rm` may still be at work: one more, detached
            _remove_detached(trash)
    remove_dead_temps(output.parent / ".cache", "diagnostics.json.new-*")  # see _write_findings


def remove_dead_temps(folder: Path, pattern: str) -> None:
    """Remove temporary files `<name>.new-<PID>` whose process is gone (a killed build's)."""
    for path in folder.glob(pattern):
        pid = path.name.rpartition("-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def discard(tree: Path, output: Path) -> None:
    """Delete an old site without waiting for it: moved aside to <output parent>/.cache/<output
    name>.trash-PID (one rename), then removed by a detached `rm -rf` (a 1,000-article site is
    thousands of files: up to a second of the build otherwise). The next build removes a trash folder
    whose build is gone, should the removal not have finished."""
    trash = output.parent / ".cache" / f"{output.name}.trash-{os.getpid()}"
    try:
        trash.parent.mkdir(parents=True, exist_ok=True)
        _remove(trash)  # a folder of this PID's earlier build (the live preview rebuilds in one process)
        tree.rename(trash)
    except OSError:
        _remove(tree)
        return
    _remove_detached(trash)


def _remove_detached(path: Path) -> None:
    """`rm -rf path` in a process of its own, not waited for (here: where there is no rm)."""
    rm = shutil.which("rm", path="/usr/bin:/bin")
    try:
        if rm is None:
            raise OSError("no rm")
        subprocess.Popen(
            [rm, "-rf", "--", str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        _remove(path)


def wait_for_discards(output: Path, timeout: float = 120) -> bool:
    """Wait until no old site of `output` is being removed (the benchmark, between runs); False: timed out."""
    deadline = time.monotonic() + timeout
    while list((output.parent / ".cache").glob(f"{output.name}.trash-*")):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


AT_FDCWD, RENAME_EXCHANGE = -100, 2  # <fcntl.h>, <linux/fs.h>


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where that is unavailable."""
    if os.environ.get(NO_EXCHANGE) or not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)  # glibc >= 2.28
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # old kernel, or a filesystem without it
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def _swap_in(new: Path, output: Path) -> None:
    """Make `new` the live `output` in one atomic step, then delete the old tree (same filesystem).

    Linux: renameat2(RENAME_EXCHANGE) swaps the two folders, so at every moment `output` is one
    whole site, old or new; a build killed before the old tree is deleted leaves it in the staging
    folder, which the next build removes. No `output` yet: one rename(2). Elsewhere (no renameat2):
    two renames, with a moment without `output`; the next build puts the old tree back if a build
    died in it.
    """
    if not os.path.lexists(output):
        new.rename(output)
        return
    if _exchange(new, output):
        pause("exchanged")
        discard(new, output)  # now the old site
        return
    old = output.with_name(f".{output.name}.old-{os.getpid()}")
    output.rename(old)
    pause("half-swapped")
    new.rename(output)
    _remove(old)


def _write_findings(collector, output: Path) -> Path:
    """This build's findings for `invoke check`, written beside <output>/../.cache/diagnostics.json;
    returns the temporary file, which the caller renames into place once the site is live."""
    import json
    from dataclasses import asdict

    path = output.parent / ".cache" / f"diagnostics.json.new-{os.getpid()}"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"output": str(output), "diagnostics": [asdict(d) for d in collector.items]}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def report_failure(exc: Exception) -> None:
    """An exception that stopped a build, as one error diagnostic (shared with sitetools.preview)."""
    import diagnostics

    # Jinja names the template and line of a syntax error; keep them in the message.
    where = getattr(exc, "filename", None) or ""
    line = getattr(exc, "lineno", None) if where else None
    hint = ""
    if isinstance(exc, EOFError):  # a content cache cut off by a build killed with an older version
        hint = "; a cache file is cut off: run `invoke rebuild` (it ignores the cache and writes it afresh)"
    diagnostics.error(where, line, f"the build stopped: {type(exc).__name__}: {exc}{hint}")


def add_settings_arguments(parser: argparse.ArgumentParser) -> None:
    """--settings, --output and -e NAME=VALUE: the options the build and the live preview share."""
    parser.add_argument("--settings", default="pelicanconf.py", help="settings file (default: %(default)s)")
    parser.add_argument("--output", help="output folder (default: the settings' OUTPUT_PATH)")
    parser.add_argument(
        "-e",
        "--extra",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a setting with a Python literal, e.g. -e 'CITATIONS_STYLE=\"apa\"'",
    )


def parse_overrides(items: list[str]) -> dict:
    """`-e NAME=VALUE` options as a settings dict (each value a Python literal)."""
    import ast

    overrides = {}
    for item in items:
        name, _, value = item.partition("=")
        overrides[name.strip()] = ast.literal_eval(value)
    return overrides


def load_settings(settings_file, overrides: dict | None, output=None) -> tuple[dict, Path, Path]:
    """Read and check the settings as every build does (each plugin setting checked); return them with
    the settings file and the final output folder. CACHE_PATH gets the code fingerprint's folder."""
    sys.path.insert(0, str(ROOT / "plugins"))
    os.chdir(ROOT)
    check_version()
    import settings_schema

    settings_path = (ROOT / settings_file).resolve()
    settings = settings_schema.read(settings_path, overrides)
    final = Path(output or settings["OUTPUT_PATH"])
    if not final.is_absolute():
        final = ROOT / final
    settings["CACHE_PATH"] = str(Path(settings["CACHE_PATH"]) / _fingerprint(settings_path))
    compile_once(settings)
    return settings, settings_path, final


def build(
    settings_file: str | os.PathLike = "pelicanconf.py",
    output: str | os.PathLike | None = None,
    overrides: dict | None = None,
    ignore_cache: bool = False,
    stream=sys.stderr,
    jobs: int | None = None,
) -> int:
    """Build the site; return the process exit code (0 on success)."""
    sys.path.insert(0, str(ROOT / "plugins"))

    import diagnostics

    collector = diagnostics.COLLECTOR
    collector.clear()
    bridge = diagnostics.PelicanLogBridge(collector)
    logging.getLogger().addHandler(bridge)
    started = time.perf_counter()

    try:
        settings, _, final = load_settings(settings_file, overrides, output)
    except Exception as exc:  # a typo in a settings file: the file and line, not a traceback
        logging.getLogger().removeHandler(bridge)
        if not isinstance(exc, diagnostics.ReportedError):
            report_failure(exc)
        print(collector.summary(), file=stream)
        print("Build FAILED: fix the settings named above; output/ was left as it was.", file=stream)
        return 1
    where = diagnostics.relpath(final)
    try:
        with output_lock(final, "python -m sitetools.build"):
            return _build_locked(settings, final, ignore_cache, bridge, started, stream, jobs)
    except OutputLocked as exc:
        logging.getLogger().removeHandler(bridge)
        diagnostics.error(
            final, None, f"another build is writing {where}/: {exc}; wait for it to finish, then build again"
        )
        print(collector.summary(), file=stream)
        print(f"Build FAILED: {where}/ was left to the build that holds it.", file=stream)
        return 1


def _build_locked(settings, final, ignore_cache, bridge, started, stream, jobs) -> int:
    from pelican import Pelican

    import diagnostics
    from sitetools.parallel import ParallelReads, ParallelWrites, default_jobs

    collector = diagnostics.COLLECTOR
    where = diagnostics.relpath(final)
    clean_leftovers(final)
    pause("locked")
    staging = final.with_name(f".{final.name}.new-{os.getpid()}")
    staging.mkdir(parents=True)
    settings["OUTPUT_PATH"] = str(staging)
    if ignore_cache:
        settings["LOAD_CONTENT_CACHE"] = False
    install_atomic_pelican_cache()
    pelican_private.install_build_speedups()
    remove_dead_temps(Path(settings["CACHE_PATH"]), "*.new-*")

    try:
        # By default only a site with many files uses more processes (the 18-page site: none).
        least = 40 if jobs is None else 2
        reads = ParallelReads(default_jobs() if jobs is None else jobs, least)
        with reads, ParallelWrites(reads.jobs, least, before_fork=reads.close):
            Pelican(settings).run()
    except Exception as exc:  # every failure ends in the same summary, never a bare traceback
        if not isinstance(exc, diagnostics.ReportedError):
            report_failure(exc)
    finally:
        logging.getLogger().removeHandler(bridge)
    # The search index belongs to the site's search page, so only settings that have that page get one
    # (Pelican's own theme, as bench/ builds it, has none): built into the staging folder (production),
    # or in the background once the new site is live (development; SEARCH_BACKGROUND).
    if not collector.errors and "search" in settings.get("DIRECT_TEMPLATES", ()):
        from sitetools.search import index_for_build

        index_for_build(settings, staging, final, stream)
    findings = None
    if not collector.errors:
        try:
            findings = _write_findings(collector, final)
        except OSError as exc:  # a full disk, a read-only .cache: before the swap, so nothing changes
            diagnostics.error("", None, f"could not write the build's findings: {exc}")

    summary = collector.summary()
    if summary:
        print(summary, file=stream)
    failed = bool(collector.errors)
    if not failed:
        pause("staged")
        try:
            _swap_in(staging, final)
        except OSError as exc:
            print(f"{where}: error: could not put the new site in place: {exc}", file=stream)
            failed = True
        else:
            with contextlib.suppress(OSError):
                os.replace(findings, findings.with_name("diagnostics.json"))
    seconds = time.perf_counter() - started
    if failed:
        _remove(staging)
        if findings:
            findings.unlink(missing_ok=True)
        print(f"Build FAILED in {seconds:.1f} s: {where}/ was left as it was.", file=stream)
        return 1
    print(f"Built {where}/ in {seconds:.1f} s.", file=stream)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_settings_arguments(parser)
    parser.add_argument("--ignore-cache", action="store_true", help="rebuild every page from its source")
    parser.add_argument(
        "--jobs", type=int, help="processes reading Markdown (default: one per core, at most 4; 1: none)"
    )
    args = parser.parse_args(argv)
    overrides = parse_overrides(args.extra)
    return build(args.settings, args.output, overrides, args.ignore_cache, jobs=args.jobs)


if __name__ == "__main__":
    sys.exit(main())
