"""HTML and CSS validity: the Nu HTML Checker (npm vnu-jar) over every page and every style sheet the
site publishes, in one JVM (a style sheet that does not parse drops every rule after the fault: a
layout that looks fine on one page and overflows a phone on another)."""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from urllib.parse import unquote, urlparse

from . import tools
from .report import FAIL, PASS, WARN, Row
from .site import Site

CHECK = "HTML (Nu checker)"


def run(site: Site) -> list[Row]:
    command = [tools.java(), "-jar", str(tools.vnu_jar()), "--format", "json", "--exit-zero-always"]
    command.append("--also-check-css")
    files = [str(site.output / rel) for rel in site.pages]
    files += sorted(str(path) for path in site.output.rglob("*.css") if path.is_file())
    proc = subprocess.run([*command, *files], capture_output=True, text=True, timeout=600)
    try:
        messages = json.loads(proc.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        return [Row("site", CHECK, FAIL, f"the Nu HTML Checker did not run: {detail[0]}")]

    found: dict[str, list[Row]] = defaultdict(list)
    for message in messages:
        rel = _relative(site, message.get("url", ""))
        kind = site.types.get(rel, "site")
        where = f"{rel}:{message['lastLine']}" if message.get("lastLine") else rel or "site"
        text = " ".join(message.get("message", "").split())
        if message.get("type") == "error" or message.get("type") == "non-document-error":
            found[kind].append(Row(kind, CHECK, FAIL, f"{where}: {text}"))
        elif message.get("subType") == "warning":
            found[kind].append(Row(kind, CHECK, WARN, f"{where}: {text}"))

    rows = []
    for kind in dict.fromkeys(site.types.values()):
        problems = found.pop(kind, [])
        if not any(r.result == FAIL for r in problems):
            rows.append(Row(kind, CHECK, PASS, f"{site.count(kind)} page(s), 0 errors"))
        rows += problems
    for problems in found.values():
        rows += problems
    return rows


def _relative(site: Site, url: str) -> str:
    path = unquote(urlparse(url).path)
    prefix = site.output.as_posix() + "/"
    return path[len(prefix) :] if path.startswith(prefix) else path
