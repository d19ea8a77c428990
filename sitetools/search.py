"""Site search: a Pagefind index of the built site (PyPI `pagefind[bin]`), made by the build.

Only the elements marked `data-pagefind-body` (article and page bodies) are indexed, so the
header, navigation and footer stay out of the results. The index lands in `<site>/pagefind/`,
which theme/templates/search.html loads (with JavaScript; without it, that page lists the
topics and tags instead).

When (`index_for_build`, the build's search step): production builds (publishconf.py, or
`SEARCH_BACKGROUND = False`) index the staged site before it goes live, and a Pagefind failure
fails the build. Development builds carry the live index into the new site (hard links: search
works at once, a little stale) and start one detached indexer (`python -m sitetools.search`) that
waits until the new site is live, indexes it into `<output parent>/.cache/` and puts the index in
place in one step. Indexers of one output folder take turns (a lock); one whose build is no longer
the latest gives up, so the last index written is the latest site's. The outcome is recorded in
`<output parent>/.cache/<output name>.search-done.json`: a failure is reported by the next build
and by `invoke check`. `wait_for_index` waits for it (the bench, the tests, `invoke check`).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import fcntl
import gzip
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

#: Files the site's pages load (theme/templates/search.html) besides the index itself.
UI_FILES = ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css")
COMPRESSED = (".pf_fragment", ".pf_index", ".pf_meta", ".pagefind")
INSTALL = "make venv   (installs pagefind[bin] from requirements.lock)"


def build_index(site: str | os.PathLike, into: str | os.PathLike | None = None) -> str | None:
    """Index `site` into `<site>/pagefind` (or the folder `into`); return None on success, else what
    went wrong (for the build's summary)."""
    return run_pagefind(site, into)[0]


def run_pagefind(
    site: str | os.PathLike, into: str | os.PathLike | None = None, stop=None, timeout: float = 300
) -> tuple[str | None, float, float]:
    """Index `site` into `into` (default `<site>/pagefind`): (what went wrong or None, Pagefind's wall
    seconds, its peak memory in MiB). `stop()`, asked a few times a second, ends Pagefind early (an
    indexer whose build is no longer the latest)."""
    if importlib.util.find_spec("pagefind") is None:
        return f"Pagefind is not installed, so the site search would not work: run `{INSTALL}`", 0.0, 0.0
    folder = Path(into) if into else Path(site) / "pagefind"
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(folder), "--silent"]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a chatty Pagefind cannot block
        proc = subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                proc.returncode = code = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() - started > timeout or (stop and stop()):
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = -signal.SIGKILL
                why = "it was stopped (a newer build)" if stop and stop() else f"it ran over {timeout:.0f} s"
                return f"Pagefind could not index the site: {why}", time.perf_counter() - started, 0.0
            time.sleep(0.05)
        seconds, peak = time.perf_counter() - started, usage.ru_maxrss / 1024
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    if code:
        detail = " ".join(output.split())[-2000:] or f"exit code {code}"
        return f"Pagefind could not index the site: {detail}", seconds, peak
    if problem := verify_index(site, folder):
        problem = (
            f"Pagefind wrote a broken index: {problem}; is the disk full? Free some space and build again"
        )
        return problem, seconds, peak
    return None, seconds, peak


def _die_with_parent() -> None:
    """In the child (Linux): a build killed with SIGKILL takes Pagefind with it, so nothing keeps
    writing into its staging folder after the next build has removed it."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def verify_index(site: str | os.PathLike, folder: str | os.PathLike | None = None) -> str | None:
    """None if `<site>/pagefind` is a whole index, else what is wrong with it.

    Pagefind can exit 0 with empty or cut-off files (seen on a full disk), so the files are read
    back: the entry JSON must parse and name its languages, every file must be non-empty, and each
    compressed file (index, fragments, metadata, WebAssembly: gzip, with a CRC) must decompress
    whole to Pagefind's own header.
    """
    folder = Path(folder) if folder else Path(site) / "pagefind"
    if not folder.is_dir():
        return "no pagefind/ folder"
    try:
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        languages = entry["languages"]
        expected = [f"pagefind.{lang['hash']}.pf_meta" for lang in languages.values()]
        expected += [f"wasm.{lang['wasm']}.pagefind" for lang in languages.values()]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return f"pagefind/pagefind-entry.json is not a Pagefind entry file: {type(exc).__name__}: {exc}"
    expected += [*UI_FILES, *(f"{sub}/" for sub in ("index", "fragment") if languages)]
    for name in expected:
        path = folder / name
        if not (path.is_dir() and any(path.iterdir())) and not path.is_file():
            return f"pagefind/{name} is missing"
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(folder.parent).as_posix()
        if path.stat().st_size == 0:
            return f"{rel} is empty"
        if path.suffix in COMPRESSED:
            try:
                whole = gzip.decompress(path.read_bytes()).startswith(b"pagefind_dcd")
            except (OSError, EOFError, zlib.error):
                whole = False
            if not whole:
                return f"{rel} is cut off or damaged"
    return None


# -- when the build indexes: before the swap (production) or in the background (development) ---------

#: The setting (pelicanconf.py True, publishconf.py False); a production build (SITE_ENV) never defers.
SETTING = "SEARCH_BACKGROUND"
#: The start of the finding about a background index that failed (the build's and `invoke check`'s).
STALE = "the search index was not updated after the last build"


def _files(output: Path) -> dict[str, Path]:
    """The background indexer's files, beside the output folder's lock in <output parent>/.cache/."""
    cache, name = output.parent / ".cache", output.name
    return {
        "state": cache / f"{name}.search-state.json",  # the latest build's indexer: token, PIDs
        "done": cache / f"{name}.search-done.json",  # the outcome of the latest build's indexer
        "lock": cache / f"{name}.search.lock",  # one indexer at a time
        "place": cache / f"{name}.search-place.lock",  # carrying, recording and placing an index
        "log": cache / f"{name}.search.log",
    }


@contextlib.contextmanager
def _flock(path: Path, blocking: bool = True):
    """An exclusive flock on `path` (released when the process dies); yields False if not blocking
    and taken."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _read(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write(path: Path, data: dict) -> None:
    """Write JSON atomically (temp file + rename): a reader sees the old record or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f"{path.name}.new-{os.getpid()}")
    temp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    os.replace(temp, path)


def _running(process) -> bool:
    """Whether a process is running: `process` is a PID, or [PID, start time] as `_ident` gives (a PID
    the system has since given to another process is not it). A zombie (dead, not yet reaped) is not."""
    pid, start = process if isinstance(process, list | tuple) else (process, None)
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return start is None
    return fields[0] != "Z" and (start is None or fields[19] == start)


def _ident(pid: int) -> list:
    """[PID, start time] of a process (the start time from /proc on Linux, else None)."""
    try:
        return [pid, Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[19]]
    except (OSError, IndexError):
        return [pid, None]


def _pid(process) -> int | None:
    return process[0] if isinstance(process, list | tuple) else process


def _setting(settings: dict) -> bool | None:
    """SEARCH_BACKGROUND, checked; None (reported at the line that set it) when not True or False."""
    value = settings.get(SETTING, True)
    if isinstance(value, bool):
        return value
    import settings_schema

    settings_schema.report(f"{SETTING} = {value!r} is not True or False; write True or False without quotes")
    return None


def index_for_build(settings: dict, staging: Path, output: Path, stream=sys.stderr) -> None:
    """The build's search step, called with the output folder's lock held and the new site staged
    (no errors so far); problems go to the build's diagnostics.

    Foreground (production, or SEARCH_BACKGROUND = False): index `staging` now; a failure is an
    error, so the site is not swapped in. Background: carry the live index into `staging`, start
    the detached indexer (it waits for the swap) and say so in one line."""
    import diagnostics

    background = _setting(settings)
    if background is None:
        return
    files = _files(output)
    token = f"{time.time_ns()}-{os.getpid()}"
    if not background or settings.get("SITE_ENV") == "production":
        if problem := build_index(staging):
            diagnostics.error("", None, problem, check="search")
            return
        with _flock(files["place"]):  # any indexer still running for an older build now gives up
            state = _read(files["state"]) or {}
            _write(files["state"], {"token": token, "pid": None, "pids": _live(state)})
            _write(files["done"], {"token": token, "ok": True, "background": False})
        return
    if problem := previous_problem(output):
        diagnostics.warning("", None, problem, check="search")
    _remove_dead_work(output)
    log = files["log"]
    log.parent.mkdir(parents=True, exist_ok=True)
    with _flock(files["place"]):
        _carry(output / "pagefind", staging / "pagefind")
        if log.is_file() and log.stat().st_size > 1 << 20:
            log.unlink()
        cmd = [sys.executable, "-m", "sitetools.search", "--output", str(output), "--token", token]
        cmd += ["--staging", str(staging), "--build-pid", str(os.getpid())]
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                cmd,
                cwd=Path(__file__).resolve().parents[1],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # not stopped by a Ctrl-C in the terminal that built the site
            )
        state = _read(files["state"]) or {}
        me = _ident(proc.pid)
        _write(files["state"], {"token": token, "pid": me, "pids": [*_live(state), me]})
    where = diagnostics.relpath(output) or str(output)
    print(
        f"search: indexing {where}/ in the background (PID {proc.pid}); until it is done, search shows "
        "the previous index",
        file=stream,
        flush=True,
    )


def _live(state: dict) -> list:
    """The indexers of a state record that still run."""
    return [process for process in state.get("pids") or () if _running(process)]


def _carry(old: Path, new: Path) -> None:
    """The live index into the staged site, as hard links (a copy where links are refused): nothing
    writes into an index once made, each is replaced whole."""
    if not old.is_dir() or os.path.lexists(new):
        return
    try:
        shutil.copytree(old, new, copy_function=os.link, symlinks=True)
    except (OSError, shutil.Error):
        shutil.rmtree(new, ignore_errors=True)
        try:
            shutil.copytree(old, new, symlinks=True)
        except (OSError, shutil.Error):  # search shows nothing until the new index is in place
            shutil.rmtree(new, ignore_errors=True)


def _work(output: Path, pid: int) -> Path:
    return output.parent / ".cache" / f"{output.name}.pagefind-{pid}"


def _remove_dead_work(output: Path) -> None:
    """Remove the work folders of indexers that were killed."""
    for path in (output.parent / ".cache").glob(f"{output.name}.pagefind-*"):
        pid = path.name.rpartition("-")[2]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _what_to_do(log: Path) -> str:
    return (
        f"; search shows an older index. Pagefind's messages are in {log}: fix what they name and build "
        "again (`invoke build-production` indexes before the new site goes live and fails on this)"
    )


def previous_problem(output: str | os.PathLike) -> str | None:
    """What went wrong with the latest background index of `output`, or None (done, still running,
    or never started)."""
    output = Path(output)
    files = _files(output)
    state, done = _read(files["state"]), _read(files["done"])
    if not state:
        return None
    if done and done.get("token") == state.get("token"):
        if done.get("ok"):
            return None
        return f"{STALE}: {done.get('problem')}{_what_to_do(files['log'])}"
    if _running(state.get("pid")):
        return None
    done = _read(files["done"])  # it may have finished just now
    if done and done.get("token") == state.get("token"):
        return previous_problem(output)
    why = f"the background indexer (PID {_pid(state.get('pid'))}) stopped before it finished"
    return f"{STALE}: {why}{_what_to_do(files['log'])}"


def wait_for_index(output: str | os.PathLike, timeout: float = 600) -> dict | None:
    """Wait until the latest build's background indexer of `output` has finished, and every older
    one has given up; return its record ({"ok", "problem", "seconds", "peak_mib", "background"}),
    or None when no build of `output` ever started one. TimeoutError after `timeout` seconds."""
    output = Path(output)
    files = _files(output)
    deadline = time.monotonic() + timeout
    while True:
        state = _read(files["state"])
        if state is None:
            return None
        done = _read(files["done"])
        finished = bool(done and done.get("token") == state.get("token"))
        if not finished and not _running(state.get("pid")):
            done = _read(files["done"])
            finished = bool(done and done.get("token") == state.get("token"))
            if not finished:
                problem = previous_problem(output)
                done = {"token": state.get("token"), "ok": False, "problem": problem, "background": True}
                finished = True
        if finished and not _live(state):
            return done
        if time.monotonic() > deadline:
            raise TimeoutError(f"the search index of {output} was not done after {timeout:.0f} s")
        time.sleep(0.05)


# -- the background indexer: python -m sitetools.search --output DIR --token T --staging S --build-pid P


def _latest(files: dict, token: str) -> bool:
    return (_read(files["state"]) or {}).get("token") == token


def index_in_background(output: Path, token: str, staging: Path, build_pid: int) -> int:
    files = _files(output)
    say = lambda text: print(f"{time.strftime('%H:%M:%S')} PID {os.getpid()}: {text}", flush=True)  # noqa: E731
    # The build has swapped the new site in (or failed) once its staging folder is gone.
    while os.path.lexists(staging) and _running(build_pid):
        time.sleep(0.05)
    try:
        while True:  # take turns with other indexers; give up as soon as a newer build started one
            if not _latest(files, token):
                say("a newer build's indexer takes over")
                return 0
            with _flock(files["lock"], blocking=False) as mine:
                if mine:
                    return _index_locked(output, token, files, say)
            time.sleep(0.1)
    except Exception as exc:  # recorded for the next build and `invoke check`, never lost
        problem = f"the background indexer stopped: {type(exc).__name__}: {exc}"
        say(problem)
        with _flock(files["place"]):
            if _latest(files, token):
                _write(files["done"], {"token": token, "ok": False, "problem": problem, "background": True})
        return 1


def _index_locked(output: Path, token: str, files: dict, say) -> int:
    from sitetools.build import _exchange, _remove

    work = _work(output, os.getpid())
    _remove(work)
    work.mkdir(parents=True)
    try:
        say(f"indexing {output}")
        problem, seconds, peak = run_pagefind(
            output, work / "pagefind", stop=lambda: not _latest(files, token)
        )
        with _flock(files["place"]):
            if not _latest(files, token):
                say("a newer build's indexer takes over")
                return 0
            if problem is None:
                live = output / "pagefind"
                try:
                    if not os.path.lexists(live):
                        (work / "pagefind").rename(live)
                    elif not _exchange(work / "pagefind", live):
                        live.rename(work / "old")
                        (work / "pagefind").rename(live)
                except OSError as exc:
                    problem = f"the new index could not be put in place: {exc}"
            record = {"token": token, "ok": problem is None, "problem": problem, "background": True}
            _write(files["done"], {**record, "seconds": round(seconds, 3), "peak_mib": round(peak, 1)})
        say(problem or f"done in {seconds:.2f} s, peak {peak:.0f} MiB")
        return 1 if problem else 0
    finally:
        _remove(work)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="The background search indexer a development build starts.")
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--staging", type=Path, required=True)
    parser.add_argument("--build-pid", type=int, required=True)
    args = parser.parse_args(argv)
    return index_in_background(args.output, args.token, args.staging, args.build_pid)


if __name__ == "__main__":
    sys.exit(main())
