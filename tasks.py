"""Invoke tasks: the one way to build, preview, test and (later) check and publish the site.

Follows Pelican's quickstart tasks.py, with its known faults fixed:
- every build goes through `sitetools.build` (strict: a warning fails it; atomic: a failed
  build leaves output/ as it was) instead of calling `pelican` directly;
- `serve` and `livereload` bind 127.0.0.1 only (the quickstart binds every interface), answer
  only to a loopback Host header (DNS rebinding), and `serve` answers a missing page with the
  site's 404 page (sitetools/serve.py);
- `livereload` (sitetools/preview/) keeps the site in memory and re-renders only what an
  edit changes; it also watches plugins/ and both settings files, not only content/ and theme/;
- `clean` does not fail when output/ is missing;
- `new` scaffolds an article with every metadata field and never overwrites one;
- `cms` runs the web editor (Decap CMS, sitetools/cms) beside the live preview.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
PY = sys.executable
HOST, PORT = "127.0.0.1", 8000


def _build(settings="pelicanconf.py", *extra) -> None:
    result = subprocess.run([PY, "-m", "sitetools.build", "--settings", settings, *extra], cwd=ROOT)
    if result.returncode:
        sys.exit(result.returncode)


@task
def clean(c):
    """Remove output/ and the build caches."""
    for folder in ("output", ".cache"):
        shutil.rmtree(ROOT / folder, ignore_errors=True)


#: The closing line of `build` and `rebuild`: opening output/index.html from disk shows folder listings
#: for /articles/x/ links, so the way to look at the site is through a server.
VIEW_HINT = f"View it: make serve → http://{HOST}:{PORT}/   (or make livereload: rebuilds on every save)"


@task
def build(c):
    """Build the site into output/ with the development settings."""
    _build()
    print(VIEW_HINT)


@task
def rebuild(c):
    """Build from scratch, ignoring the content cache."""
    _build("pelicanconf.py", "--ignore-cache")
    print(VIEW_HINT)


@task
def build_production(c):
    """Build with the production settings (publishconf.py) into output/ (the live preview: livereload)."""
    _build("publishconf.py", "--ignore-cache")


@task(help={"port": "port on 127.0.0.1 (default 8000)", "output": "folder to serve (default: output/)"})
def serve(c, port=PORT, output="output"):
    """Serve output/ on http://127.0.0.1:8000 (run `invoke build` first); missing pages get the 404 page."""
    args = ["--port", str(port), "--output", output]
    try:
        sys.exit(subprocess.run([PY, "-m", "sitetools.serve", *args], cwd=ROOT).returncode)
    except KeyboardInterrupt:
        sys.exit(0)


@task(
    help={
        "port": "port on 127.0.0.1 (default 8000)",
        "output": "folder the preview writes (default: output/)",
        "settings": "settings file (default: pelicanconf.py)",
    }
)
def livereload(c, port=PORT, output="output", settings="pelicanconf.py"):
    """Build, serve on 127.0.0.1:8000, update the changed pages on every save and reload the browser."""
    args = ["--port", str(port), "--output", output, "--settings", settings]
    sys.exit(subprocess.run([PY, "-m", "sitetools.preview", *args], cwd=ROOT).returncode)


@task(
    help={
        "port": "port of the live preview on 127.0.0.1 (default 8000)",
        "admin_port": "port of the web editor, /admin/ (default 8001)",
        "backend_port": "port of decap-server, the editor's local backend (default 8081)",
    }
)
def cms(c, port=PORT, admin_port=8001, backend_port=8081):
    """Web editing: Decap CMS on http://127.0.0.1:8001/admin/ beside the live preview (Ctrl-C stops both)."""
    from sitetools.cms.server import ignore_stop_signals, stop_as_interrupt

    signal.signal(signal.SIGTERM, stop_as_interrupt)
    children = [
        subprocess.Popen([PY, "-m", "sitetools.preview", "--port", str(port)], cwd=ROOT),
        subprocess.Popen(
            [PY, "-m", "sitetools.cms", "--port", str(admin_port), "--backend-port", str(backend_port)],
            cwd=ROOT,
        ),
    ]
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        ignore_stop_signals()  # a second Ctrl-C or TERM must not interrupt the clean-up
        for child in children:  # each by its own PID; sitetools.cms stops its decap-server
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


@task(help={"word": "only references containing this word (author, year, title, key)"})
def refs(c, word=""):
    """List the bibliography: the key to cite, first author, year and title."""
    sys.exit(subprocess.run([PY, "-m", "sitetools.refs", *([word] if word else [])], cwd=ROOT).returncode)


@task
def new(c, title):
    """Start an article: invoke new "Title" → content/articles/YYYY-MM-DD-slug.md."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from pelican.utils import slugify

    from frontmatter.scaffold import article_text

    today = dt.date.today()
    slug = slugify(title, regex_subs=[(r"[^\w\s-]", ""), (r"(?u)\s+", "-")])
    path = ROOT / "content" / "articles" / f"{today:%Y-%m-%d}-{slug}.md"
    if path.exists():
        sys.exit(f"{path.relative_to(ROOT)} already exists: not overwriting it. Choose another title.")
    path.write_text(article_text(title, today), encoding="utf-8")
    print(f"Created {path.relative_to(ROOT)}: fill in every TODO, then `invoke livereload` to preview.")


@task(help={"target": "a name in PUBLISH_TARGETS (publishconf.py)", "dry_run": "list what would change"})
def publish(c, target, dry_run=False, settings="publishconf.py", site=""):
    """Build with publishconf.py, check, refuse demo values, then deploy atomically to a target."""
    args = ["publish", "--target", target, "--settings", settings] + (["--dry-run"] if dry_run else [])
    _publish_tool(*args, *(["--site", site] if site else []))


@task(help={"target": "a name in PUBLISH_TARGETS (publishconf.py)"})
def rollback(c, target, settings="publishconf.py"):
    """Serve the release before the current one again on a publish target."""
    _publish_tool("rollback", "--target", target, "--settings", settings)


def _publish_tool(*args) -> None:
    result = subprocess.run([PY, "-m", "sitetools.publish", *args], cwd=ROOT)
    if result.returncode:
        sys.exit(result.returncode)


@task(
    help={
        "lighthouse": "also run Lighthouse (mobile) on the home page and an article",
        "no_build": "check output/ as it is, without building it first",
        "only": "comma-separated checks: html,links,accessibility,budgets,content",
    }
)
def check(c, lighthouse=False, no_build=False, only=""):
    """Build, then check output/: HTML validity, links, accessibility, budgets, content findings."""
    if not no_build:
        _build()
    args = [PY, "-m", "sitetools.check", "--output", "output"]
    if only:
        args += ["--only", only]
    if lighthouse:
        args.append("--lighthouse")
    sys.exit(subprocess.run(args, cwd=ROOT).returncode)


@task(help={"no_build": "shoot output/ as it is", "full_page": "the whole page, not the first screen"})
def screenshots(c, no_build=False, full_page=False):
    """Screenshots of the home page and the seed article (375/1280 px, light/dark, print) to look at."""
    if not no_build:
        _build()
    args = [PY, "-m", "sitetools.screenshots"] + (["--full-page"] if full_page else [])
    sys.exit(subprocess.run(args, cwd=ROOT).returncode)


@task(
    help={
        "articles": "corpus size (default 1000; the issue also asks for 100 and 5000)",
        "runs": "measured runs per side, after a warm-up (default 5)",
        "profile": "profile one build of ours (cProfile) instead: where the time goes",
        "sizes": "e.g. 100,1000,5000,10000: the build rows at each size, to see how cost grows",
    }
)
def bench(c, articles=1000, runs=5, profile=False, sizes=""):
    """Our build against plain Pelican on a generated corpus, side by side: medians, spreads, ratios."""
    args = [PY, "-m", "bench.run", "--articles", str(articles), "--runs", str(runs)]
    args += (["--profile"] if profile else []) + (["--sizes", sizes] if sizes else [])
    sys.exit(subprocess.run(args, cwd=ROOT).returncode)


@task
def lint(c):
    """ruff check and ruff format --check over the whole project."""
    c.run(f"{PY} -m ruff check .", pty=False)
    c.run(f"{PY} -m ruff format --check .", pty=False)


@task
def test(c, k="", x=False):
    """Lint, then every test (pytest). -k selects tests by name, as in pytest."""
    lint(c)
    # Both cores: one pytest-xdist worker per core, each test file on one worker (its module fixtures
    # made once); then tests/publish on its own, in one process (it builds into the repository's own
    # output/ and starts its servers on free ports). The 25 slowest tests are listed.
    selection = (["-k", k] if k else []) + (["-x"] if x else [])
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    parallel = [
        PY,
        "-m",
        "pytest",
        "-n",
        "auto",
        "--dist",
        "loadfile",
        "--durations=25",
        "--ignore=tests/publish",
    ]
    serial = [PY, "-m", "pytest", "tests/publish", "--durations=10"]
    codes = [subprocess.run([*cmd, *selection], cwd=ROOT, env=env).returncode for cmd in (parallel, serial)]
    if codes == [5, 5]:
        sys.exit("pytest collected no tests: that is a failure here, never a pass.")
    failed = [code for code in codes if code not in (0, 5)]
    sys.exit(failed[0] if failed else 0)
