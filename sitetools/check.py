"""Check the built site: `python -m sitetools.check [--output output] [--lighthouse]` (`invoke check`).

Runs on a built site and exits non-zero on any failure. One table says, per page type, what
was checked, the result and where to look:

- HTML validity: the Nu HTML Checker (npm vnu-jar, Java 17) over every page, in one JVM;
- links: linkchecker crawls the site over HTTP on 127.0.0.1: every internal link, #anchor and
  asset must resolve; external links are listed, not fetched (there is no network here);
- accessibility: axe-core in Chromium on one page of every type, light and dark colour schemes,
  WCAG 2.2 A and AA rules;
- budgets: the bytes a first visit downloads, per page, against CHECK_BUDGETS (pelicanconf.py);
- content: the findings the build reported (review dates, reading age, references, citations),
  and a search index that a development build's background indexer could not make;
- with --lighthouse: Lighthouse (mobile) on the home page and an article.

Every server it needs is started on 127.0.0.1 and stopped by its PID before it exits. A check
whose tool is missing fails and names the command that installs it.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKS = ("html", "links", "accessibility", "budgets", "content")


def run_checks(output: Path, settings: dict, only=CHECKS, lighthouse=False) -> tuple[list, list[str], dict]:
    """Run the chosen checks on `output`; return table rows, external links and seconds per check."""
    from sitetools.checks import browser, content, html, links
    from sitetools.checks import lighthouse as lighthouse_check
    from sitetools.checks.report import FAIL, MissingTool, Row
    from sitetools.checks.site import ORDER, OTHER, Site

    site = Site.load(output, settings)
    seconds: dict[str, float] = {}
    external: list[str] = []

    def timed(name, check, *args, **kwargs):
        started = time.perf_counter()
        try:
            return check(*args, **kwargs)
        except MissingTool as missing:
            return [Row("site", name, FAIL, str(missing))]
        except Exception as exc:  # a check that breaks fails the run, with the reason in the table
            return [Row("site", name, FAIL, f"the check could not run: {type(exc).__name__}: {exc}")]
        finally:
            seconds[name] = time.perf_counter() - started

    rows = []
    with ThreadPoolExecutor(max_workers=2) as pool:  # the JVM and linkchecker work while Chromium runs
        jobs = []
        if "html" in only:
            jobs.append(pool.submit(timed, "html", html.run, site))
        if "links" in only:
            jobs.append(pool.submit(timed, "links", links.run, site))
        if "accessibility" in only or "budgets" in only:
            name = "+".join(c for c in ("accessibility", "budgets") if c in only)
            rows += timed(
                name, browser.run, site, accessibility="accessibility" in only, budgets="budgets" in only
            )
        if lighthouse:
            rows += timed("lighthouse", lighthouse_check.run, site)
        if "content" in only:
            rows += timed("content", content.run, site)
        for job in jobs:
            result = job.result()
            if isinstance(result, tuple):
                result, external = result
            rows += result
    rows.sort(key=lambda r: ORDER.get(r.page_type, OTHER))  # stable: each check's own order is kept
    return rows, external, seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default="output", help="the built site (default: %(default)s)")
    parser.add_argument("--settings", default="pelicanconf.py", help="settings (default: %(default)s)")
    parser.add_argument(
        "--only",
        default=",".join(CHECKS),
        help=f"comma-separated checks to run (default: {','.join(CHECKS)})",
    )
    parser.add_argument(
        "--lighthouse", action="store_true", help="also run Lighthouse (mobile, ≈15 s a page)"
    )
    args = parser.parse_args(argv)
    only = [c.strip() for c in args.only.split(",") if c.strip()]
    unknown = sorted(set(only) - set(CHECKS))
    if unknown:
        parser.error(f"unknown check(s) {', '.join(unknown)}: choose from {', '.join(CHECKS)}")

    from pelican.settings import read_settings

    from sitetools.checks.report import failed, table
    from sitetools.checks.site import localised

    output = Path(args.output)
    if not output.is_absolute():
        output = ROOT / output
    if not (output / "index.html").is_file():
        print(f"{output}/index.html does not exist: build the site first (`invoke build`).", file=sys.stderr)
        return 2
    settings = read_settings(str(ROOT / args.settings))
    from sitetools.search import wait_for_index

    wait_for_index(output)  # a development build's search index, made in the background: checked whole
    started = time.perf_counter()
    with localised(output, settings.get("SITEURL", "")) as checked:
        rows, external, seconds = run_checks(checked, settings, only, args.lighthouse)

    print(table(rows))
    if external:
        print("\nExternal links (listed, not fetched: there is no network here):")
        print("\n".join(f"  {url}" for url in external))
    timings = ", ".join(f"{name} {s:.1f} s" for name, s in seconds.items())
    total = time.perf_counter() - started
    fails = sum(r.result == "FAIL" for r in rows)
    print(f"\nChecked {output} in {total:.1f} s ({timings}).")
    if failed(rows):
        print(f"check FAILED: {fails} failing row(s) above (result FAIL).")
        return 1
    print("check passed: no failures (warn rows are advisory).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
