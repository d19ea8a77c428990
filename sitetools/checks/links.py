"""Links: linkchecker crawls the site over HTTP (127.0.0.1) and checks every internal link,
#anchor (its AnchorCheck plugin) and asset. External links are listed, never fetched.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

from . import tools
from .report import FAIL, INFO, PASS, WARN, Row
from .server import serve
from .site import Site

CHECK = "links and anchors"
CONFIG = """\
[checking]
threads=4
maxrequestspersecond=1000
timeout=20
[filtering]
checkextern=0
ignore=
  ^mailto:
  ^tel:
[AnchorCheck]
"""
OUTSIDE = "outside of the domain filter"


def run(site: Site) -> tuple[list[Row], list[str]]:
    """Rows for the table, and the external links found (listed, not fetched)."""
    tools.python_module("linkcheck", "linkchecker")
    with tempfile.TemporaryDirectory(prefix="linkcheck-") as tmp, serve(site.output) as base:
        config = Path(tmp) / "linkcheckerrc"
        config.write_text(CONFIG, encoding="utf-8")
        os.chmod(tmp, 0o755)  # linkchecker run as root drops to `nobody`, who must read the config
        os.chmod(config, 0o644)
        starts = [base + site.url_path(rel) for rel in site.pages]
        proc = subprocess.run(
            [sys.executable, "-m", "linkcheck", "--config", str(config), "--no-status", "--verbose",
             "--output", "csv", *starts],
            capture_output=True, text=True, timeout=900, cwd=tmp,
        )  # fmt: skip
    if proc.returncode not in (0, 1) or "urlname;" not in proc.stdout:
        detail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return [Row("site", CHECK, FAIL, f"linkchecker did not run: {detail}")], []
    return _rows(site, base, proc.stdout)


def _rows(site: Site, base: str, report: str) -> tuple[list[Row], list[str]]:
    # linkchecker's comments start "# "; a same-page link ("#ref-x") starts "#" with no space
    lines = [line for line in report.splitlines() if line and not line.startswith("# ")]
    found: dict[str, list[Row]] = defaultdict(list)
    external: set[str] = set()
    for rec in csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"):
        url, parent = rec["url"] or rec["urlname"], rec["parentname"]
        if rec["urlname"].startswith("data:"):
            continue  # inline data, nothing to fetch
        if OUTSIDE in rec["infostring"] or rec["result"] == "ignored" or _is_ignored(rec):
            if not _own_absolute(site, rec, found, base):
                external.add(rec["urlname"])
            continue
        if not parent:
            if rec["valid"] != "True":  # a start page itself failed
                rel = site.page_of_url_path(urlparse(url).path) or url
                found[site.types.get(rel, "site")].append(Row(site.types.get(rel, "site"), CHECK, FAIL,
                                                              f"{rel}: {rec['result']}"))  # fmt: skip
            continue
        rel = site.page_of_url_path(urlparse(parent).path) or parent.removeprefix(base)
        kind = site.types.get(rel, "site")
        where = f"{rel}:{rec['line']}" if rec["line"] else rel
        target = rec["urlname"]
        if rec["valid"] != "True":
            found[kind].append(Row(kind, CHECK, FAIL, f"{where}: {target} → {rec['result']}"))
        for warning in filter(None, rec["warningstring"].split("\n")):
            if anchor := re.match(r"Anchor `(.*?)'.* not found", warning):
                text = f'{where}: {target} → anchor not found: no id="{anchor[1]}" on that page'
                found[kind].append(Row(kind, CHECK, FAIL, text))
            else:
                found[kind].append(Row(kind, CHECK, WARN, f"{where}: {target} → {warning}"))

    rows = []
    for kind in dict.fromkeys(site.types.values()):
        problems = sorted(set(found.pop(kind, [])), key=lambda r: r.where)
        if not any(r.result == FAIL for r in problems):
            rows.append(
                Row(kind, CHECK, PASS, f"{site.count(kind)} page(s): every link, #anchor and asset resolves")
            )
        rows += problems
    for problems in found.values():
        rows += sorted(set(problems), key=lambda r: r.where)
    links = sorted(external)
    rows.append(Row("site", "external links", INFO,
                    f"{len(links)} listed below, not fetched (no network here)"))  # fmt: skip
    return rows, links


def _own_absolute(site: Site, rec: dict, found: dict, base: str) -> bool:
    """A link to this site by its absolute SITEURL (feeds use FEED_DOMAIN): check the file is there."""
    siteurl = (site.settings.get("SITEURL") or "").rstrip("/")
    target = rec["urlname"]
    if not siteurl.startswith("http") or not target.startswith(siteurl + "/"):
        return False
    path = urlparse(target).path
    if not ((site.output / path.lstrip("/")).is_file() or site.page_of_url_path(path)):
        rel = site.page_of_url_path(urlparse(rec["parentname"]).path) or rec["parentname"].removeprefix(base)
        kind = site.types.get(rel, "site")
        found[kind].append(
            Row(kind, CHECK, FAIL, f"{rel}:{rec['line']}: {target} → no such file in the site")
        )
    return True


def _is_ignored(rec: dict) -> bool:
    return rec["urlname"].startswith(("mailto:", "tel:"))
