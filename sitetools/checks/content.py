"""Content findings of the plugins (review dates, reading age, references, citations ...): what the
build that made the site reported, read from the diagnostics file it writes beside its caches
(`<output>/../.cache/diagnostics.json`, see sitetools/build.py), and whether the search index a
development build made in the background is up to date (sitetools/search.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from .report import FAIL, PASS, WARN, Row
from .site import Site

CHECK = "content"


def diagnostics_file(output: Path) -> Path:
    return Path(output).resolve().parent / ".cache" / "diagnostics.json"


def run(site: Site) -> list[Row]:
    path = diagnostics_file(site.output)
    try:
        findings = json.loads(path.read_text(encoding="utf-8"))["diagnostics"]
    except (OSError, ValueError, KeyError):
        return [Row("site", CHECK, FAIL, f"no build findings at {path}: build the site with `invoke build`")]
    from sitetools.search import STALE, previous_problem

    rows = []
    if problem := previous_problem(site.output):  # the background index now, not as the build saw it
        rows.append(Row("site", f"{CHECK}: search", FAIL, problem))
    for item in findings:
        if item.get("check") == "search" and item["message"].startswith(STALE):
            continue
        kind = _page_type(site.settings, item["path"])
        where = f"{item['path']}:{item['line']}" if item.get("line") else item["path"] or "site"
        result = FAIL if item["severity"] == "error" else WARN
        rows.append(
            Row(kind, f"{CHECK}: {item.get('check') or 'build'}", result, f"{where}: {item['message']}")
        )
    if not rows:
        rows.append(Row("site", CHECK, PASS, "the build reported no findings"))
    return rows


def _page_type(settings: dict, source: str) -> str:
    """`content/articles/x.md` → "article" (by ARTICLE_PATHS / PAGE_PATHS)."""
    for kind, key in (("article", "ARTICLE_PATHS"), ("page", "PAGE_PATHS")):
        if any(f"/{folder.strip('/')}/" in f"/{source}" for folder in settings.get(key) or []):
            return kind
    return "site"
