"""The strict, atomic build: `python -m sitetools.build [--settings publishconf.py] [--output DIR]`.

- Strict: any error a plugin reports, and any warning or error Pelican logs (a plugin that fails
  to load, an article skipped for lack of a title, a duplicate slug, a missing template), fails
  the build with a non-zero exit. Advisory findings are printed in the same summary.
- Atomic: Pelican writes into a fresh sibling folder; only a successful build replaces the
  output folder, so a failed build leaves the previous complete site in place.
- Cache-safe: Pelican's content cache lives under a folder named after a fingerprint of the
  plugins' code, the settings files and the Markdown/Pelican versions, so changing any of them
  cannot serve stale HTML.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import shutil
import sys
import time
from importlib import metadata
from pathlib import Path

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


def _swap_in(new: Path, output: Path) -> None:
    """Replace `output` with `new` (both on one filesystem): two renames, no copying."""
    old = output.with_name(f".{output.name}.old-{os.getpid()}")
    if output.exists():
        output.rename(old)
    new.rename(output)
    shutil.rmtree(old, ignore_errors=True)


def _write_findings(collector, output: Path) -> None:
    """Keep this build's findings for `invoke check`: <output>/../.cache/diagnostics.json."""
    import json
    from dataclasses import asdict

    path = output.parent / ".cache" / "diagnostics.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"output": str(output), "diagnostics": [asdict(d) for d in collector.items]}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def report_failure(exc: Exception) -> None:
    """An exception that stopped a build, as one error diagnostic (shared with sitetools.livereload)."""
    import diagnostics

    # Jinja names the template and line of a syntax error; keep them in the message.
    where = getattr(exc, "filename", None) or ""
    line = getattr(exc, "lineno", None) if where else None
    diagnostics.error(where, line, f"the build stopped: {type(exc).__name__}: {exc}")


def build(
    settings_file: str | os.PathLike = "pelicanconf.py",
    output: str | os.PathLike | None = None,
    overrides: dict | None = None,
    ignore_cache: bool = False,
    stream=sys.stderr,
) -> int:
    """Build the site; return the process exit code (0 on success)."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from pelican import Pelican

    import diagnostics
    import settings_schema

    os.chdir(ROOT)
    settings_path = (ROOT / settings_file).resolve()
    collector = diagnostics.COLLECTOR
    collector.clear()
    bridge = diagnostics.PelicanLogBridge(collector)
    logging.getLogger().addHandler(bridge)
    started = time.perf_counter()

    try:
        settings = settings_schema.read(settings_path, overrides)  # every plugin setting checked
    except Exception as exc:  # a typo in a settings file: the file and line, not a traceback
        logging.getLogger().removeHandler(bridge)
        if not isinstance(exc, diagnostics.ReportedError):
            report_failure(exc)
        print(collector.summary(), file=stream)
        print("Build FAILED: the settings could not be read; output/ was left as it was.", file=stream)
        return 1
    final = Path(output or settings["OUTPUT_PATH"])
    if not final.is_absolute():
        final = ROOT / final
    staging = final.with_name(f".{final.name}.new-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    settings["OUTPUT_PATH"] = str(staging)
    settings["CACHE_PATH"] = str(Path(settings["CACHE_PATH"]) / _fingerprint(settings_path))
    if ignore_cache:
        settings["LOAD_CONTENT_CACHE"] = False

    try:
        Pelican(settings).run()
    except Exception as exc:  # every failure ends in the same summary, never a bare traceback
        if not isinstance(exc, diagnostics.ReportedError):
            report_failure(exc)
    finally:
        logging.getLogger().removeHandler(bridge)
    # The search index belongs to the site's search page: built into the staging folder, and only for
    # settings that have that page (Pelican's own theme, as bench/ builds it, has none).
    if not collector.errors and "search" in settings.get("DIRECT_TEMPLATES", ()):
        from sitetools.search import build_index

        if problem := build_index(staging):
            diagnostics.error("", None, problem, check="search")

    summary = collector.summary()
    if summary:
        print(summary, file=stream)
    seconds = time.perf_counter() - started
    if collector.errors:
        shutil.rmtree(staging, ignore_errors=True)
        where = diagnostics.relpath(final)
        print(f"Build FAILED in {seconds:.1f} s: {where}/ was left as it was.", file=stream)
        return 1
    _swap_in(staging, final)
    _write_findings(collector, final)
    print(f"Built {diagnostics.relpath(final)}/ in {seconds:.1f} s.", file=stream)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default="pelicanconf.py", help="settings file (default: %(default)s)")
    parser.add_argument("--output", help="output folder (default: the settings' OUTPUT_PATH)")
    parser.add_argument("--ignore-cache", action="store_true", help="rebuild every page from its source")
    parser.add_argument(
        "-e",
        "--extra",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a setting with a Python literal, e.g. -e 'CITATIONS_STYLE=\"apa\"'",
    )
    args = parser.parse_args(argv)
    import ast

    overrides = {}
    for item in args.extra:
        name, _, value = item.partition("=")
        overrides[name.strip()] = ast.literal_eval(value)
    return build(args.settings, args.output, overrides, args.ignore_cache)


if __name__ == "__main__":
    sys.exit(main())
