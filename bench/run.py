"""`invoke bench`: our build against plain Pelican on the same corpus, measured side by side.

Runs alternate (A B A B …) after a warm-up, each in a fresh process, so machine noise hits
both sides alike; the table prints medians, spreads (min–max) and the ratio A/B.

Rows:
  1. full build (content cache off), our settings+plugins+theme vs plain Pelican;
  1c. the same with our citation cache emptied before each run (first build on a new machine);
  2. content cache warm, one article edited;
  4. peak memory (RSS) of row 1;
  5. bytes per page type (gzip) of the real site, against the budgets in CHECK_BUDGETS.
Row 3 (edit → preview through live reload) is measured by the live-reload benchmark when present.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.corpus import generate

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def _run(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one child process; fails loudly if the build fails."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"benchmark build failed: {' '.join(cmd)}\n{proc.stderr.read().decode()[-3000:]}")
    return seconds, usage.ru_maxrss // 1024


def _build_cmd(settings: str, content: Path, output: Path, cache: Path, ignore_cache: bool) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "sitetools.build",
        "--settings",
        settings,
        "--output",
        str(output),
        "-e",
        f"PATH={str(content)!r}",
        "-e",
        f"CACHE_PATH={str(cache)!r}",
    ]
    if settings == "pelicanconf.py":
        cmd += ["-e", f"CITATIONS_CACHE_PATH={str(cache / 'citations')!r}"]
    if ignore_cache:
        cmd.append("--ignore-cache")
    return cmd


def _fmt(values: list[float], unit: str = "s") -> str:
    return f"{statistics.median(values):.2f} {unit} ({min(values):.2f}–{max(values):.2f})"


def side_by_side(label, a_cmd, b_cmd, runs, before_a=None, before_b=None, memory=False):
    times = {"A": [], "B": []}
    rss = {"A": [], "B": []}
    for i in range(runs + 1):  # the first round is a warm-up and is not counted
        for side, cmd, before in (("A", a_cmd, before_a), ("B", b_cmd, before_b)):
            if before:
                before()
            seconds, peak = _run(cmd)
            if i:
                times[side].append(seconds)
                rss[side].append(peak)
    ratio = statistics.median(times["A"]) / statistics.median(times["B"])
    rows = [(label, _fmt(times["A"]), _fmt(times["B"]), f"{ratio:.2f}")]
    if memory:
        mem_ratio = statistics.median(rss["A"]) / statistics.median(rss["B"])
        rows.append(
            ("peak memory of row 1", _fmt(rss["A"], "MiB"), _fmt(rss["B"], "MiB"), f"{mem_ratio:.2f}")
        )
    return rows


def page_bytes() -> list[tuple[str, str, str, str]]:
    """Row 5: gzip bytes a first visit downloads per page type of the real site (HTML + CSS)."""
    site = OUT / "site"
    _run([sys.executable, "-m", "sitetools.build", "--output", str(site)])
    sys.path.insert(0, str(ROOT))
    import pelicanconf

    budgets = getattr(pelicanconf, "CHECK_BUDGETS", {})
    pages = {
        "home": "index.html",
        "article": "articles/back-pain-how-running-can-help-not-harm/index.html",
        "page": "is-running-right-for-you/index.html",
        "category": "category/back-pain/index.html",
    }
    from bs4 import BeautifulSoup

    rows = []
    for kind, rel in pages.items():
        html = (site / rel).read_bytes()
        total = len(gzip.compress(html, 9))
        soup = BeautifulSoup(html, "html.parser")
        for link in soup.find_all("link", rel="stylesheet"):
            href = link["href"].split("?")[0]
            css = (site / rel).parent / href
            if css.is_file():
                total += len(gzip.compress(css.read_bytes(), 9))
        budget = budgets.get(kind)
        rows.append(
            (
                f"bytes, {kind} page (gzip)",
                f"{total / 1024:.1f} KB",
                f"budget {budget / 1024:.0f} KB" if budget else "no budget",
                "ok" if not budget or total <= budget else "OVER",
            )
        )
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="profile one build of ours instead")
    args = parser.parse_args(argv)

    corpus = generate(OUT / f"corpus-{args.articles}", args.articles, args.entries)
    content = corpus / "content"
    cache_a, cache_b = OUT / "cache-a", OUT / "cache-b"
    out_a, out_b = OUT / "out-a", OUT / "out-b"
    ours = _build_cmd("pelicanconf.py", content, out_a, cache_a, True)
    plain = _build_cmd("bench/plain_pelicanconf.py", content, out_b, cache_b, True)

    if args.profile:
        prof = OUT / "build.prof"
        cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), *ours[1:]]
        _run(cmd)
        import pstats

        pstats.Stats(str(prof)).sort_stats("cumulative").print_stats(35)
        print(f"full profile: {prof} (open with snakeviz or `python -m pstats`)")
        return

    print(
        f"corpus: {args.articles} articles, {args.entries} references; {args.runs} runs each, A/B alternating"
    )
    rows = [("row", "A: ours", "B: plain Pelican", "A/B")]
    rows += side_by_side("1. full build (citation cache warm)", ours, plain, args.runs, memory=True)
    rows += side_by_side(
        "1c. full build, first ever (citation cache empty)",
        ours,
        plain,
        args.runs,
        before_a=lambda: shutil.rmtree(cache_a / "citations", ignore_errors=True),
    )
    edited = content / "articles" / "bench-00000.md"
    original = edited.read_text(encoding="utf-8")

    def edit():
        edited.write_text(original + f"\nEdited at {time.time()}.\n", encoding="utf-8")

    rows += side_by_side(
        "2. content cache warm, one article edited",
        _build_cmd("pelicanconf.py", content, out_a, cache_a, False),
        _build_cmd("bench/plain_pelicanconf.py", content, out_b, cache_b, False),
        args.runs,
        before_a=edit,
        before_b=edit,
    )
    edited.write_text(original, encoding="utf-8")
    rows += page_bytes()
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


if __name__ == "__main__":
    main()
