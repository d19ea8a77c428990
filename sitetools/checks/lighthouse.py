"""Lighthouse (npm lighthouse@12.2.3, mobile profile) on the home page and an article, against the
minimum scores in CHECK_LIGHTHOUSE (pelicanconf.py). Optional: `invoke check --lighthouse`.
"""

from __future__ import annotations

import json
import os
import subprocess

from . import tools
from .report import FAIL, PASS, Row
from .server import serve
from .site import Site

CHECK = "Lighthouse, mobile"


def run(site: Site) -> list[Row]:
    command = [tools.node(), str(tools.lighthouse())]
    env = {**os.environ, "CHROME_PATH": tools.chromium()}
    minimum = site.settings.get("CHECK_LIGHTHOUSE") or {}
    samples = {k: v for k, v in site.samples().items() if k in ("home", "article")}
    rows = []
    with serve(site.output) as base:
        for kind, rel in samples.items():
            proc = subprocess.run(
                [*command, base + site.url_path(rel), "--output=json", "--output-path=stdout", "--quiet",
                 "--chrome-flags=" + " ".join(tools.CHROMIUM_ARGS), "--form-factor=mobile",
                 "--only-categories=" + ",".join(minimum or ["performance", "accessibility"])],
                capture_output=True, text=True, timeout=300, env=env,
            )  # fmt: skip
            try:
                categories = json.loads(proc.stdout)["categories"]
            except (ValueError, KeyError):
                detail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
                rows.append(Row(kind, CHECK, FAIL, f"{rel}: Lighthouse did not run: {detail}"))
                continue
            scores = {name: round((c.get("score") or 0) * 100) for name, c in categories.items()}
            low = [f"{n} {s} < {minimum[n]}" for n, s in scores.items() if s < minimum.get(n, 0)]
            text = ", ".join(f"{n} {s}" for n, s in scores.items())
            rows.append(Row(kind, CHECK, FAIL if low else PASS, f"{rel}: {'; '.join(low) or text}"))
    return rows
