"""The citation conformance cases (../shared/conformance/citations/): pandoc's own output for each
case (the oracle), the site's output for the same case, and what a reader sees of both.

The site's side is the real code path of a build: the Markdown extensions of pelicanconf.py with the
citation extension, then ``citations.core.process`` (bibliography loading, key checks, the batch
engine, rendering) over every case and style in one call, as a build formats every article at once.
The oracle is ``conformance_oracle.lua``: pandoc's Markdown reader, ``pandoc.utils.citeproc`` (the
``--citeproc`` filter) and HTML writer, with the metadata ``--csl``, ``--bibliography``, ``-M lang=en-GB``
and ``-M link-citations=true`` set, many cases per process; ``test_oracle_is_the_command_line`` checks
it gives the command line's bytes. Its results are kept in ``.cache/conformance/`` keyed by the sha256
of the case's files, the style, the Lua script and the pandoc binary (a cold run computes them all).
"""

from __future__ import annotations

import hashlib
import json
import os
import runpy
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import markdown
from bs4 import BeautifulSoup

import diagnostics
from citations import core, pandoc, render
from citations.engine import Engine
from citations.settings import STYLES_DIR, Config
from citations.syntax import META_KEY, UNSUPPORTED_KEY, CitationExtension, clusters_from_meta
from tests.theme_env import theme_env

ROOT = Path(__file__).resolve().parents[2]

THEME = render.theme_templates(theme_env())  # the site's components, as a build uses them


def _shared() -> Path:
    """The repository's ../shared; from a git worktree, the main checkout's ../shared."""
    git = ROOT / ".git"
    if not (ROOT.parent / "shared").is_dir() and git.is_file():  # a worktree: "gitdir: MAIN/.git/worktrees/X"
        gitdir = Path(git.read_text(encoding="utf-8").partition("gitdir:")[2].strip())
        main = gitdir.parents[2] if gitdir.parent.name == "worktrees" else gitdir.parent
        return main.parent / "shared"
    return ROOT.parent / "shared"


CASES = _shared() / "conformance" / "citations" / "cases"
ORACLE_LUA = Path(__file__).with_name("conformance_oracle.lua")
ORACLE_CACHE = ROOT / ".cache" / "conformance"
STYLES = ("harvard-cite-them-right", "apa", "vancouver")
#: Cases per oracle process (two processes at a time: the machine's cores).
CHUNK = 200


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    bib: tuple[str, ...]

    @property
    def body(self) -> str:
        return (self.folder / "body.md").read_text(encoding="utf-8")


def all_cases() -> list[Case]:
    out = []
    for folder in sorted(CASES.iterdir()):
        if (folder / "case.json").is_file():
            info = json.loads((folder / "case.json").read_text(encoding="utf-8"))
            out.append(Case(folder.name, folder, tuple(info["bib"])))
    return out


# -- the oracle ---------------------------------------------------------------------------------
def _digest(case: Case, style: str) -> str:
    h = hashlib.sha256()
    for part in [
        pandoc.binary_id(pandoc.find_pandoc()).encode(),
        ORACLE_LUA.read_bytes(),
        (STYLES_DIR / f"{style}.csl").read_bytes(),
        (case.folder / "body.md").read_bytes(),
        *[name.encode() + b"\0" + (case.folder / name).read_bytes() for name in case.bib],
    ]:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def _oracle_run(jobs: list[tuple[Case, str]]) -> list[str | None]:
    payload = [
        {
            "body": case.body,
            "bibliography": [str(case.folder / name) for name in case.bib],
            "csl": str(STYLES_DIR / f"{style}.csl"),
        }
        for case, style in jobs
    ]
    exe = pandoc.find_pandoc()
    done = subprocess.run(
        [exe, "-f", str(ORACLE_LUA), "-t", str(ORACLE_LUA)],
        input=json.dumps({"abbreviations": pandoc.abbreviations(exe), "cases": payload}),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=300,
    )
    parts = [case.get("html") for case in json.loads(done.stdout)]  # None: pandoc refuses the case
    assert len(parts) == len(jobs), "the oracle lost cases"
    return parts


def oracle(jobs: list[tuple[Case, str]]) -> list[str | None]:
    """pandoc's HTML for each (case, style), from the cache or computed (2 processes at a time)."""
    results: list[str | None] = [None] * len(jobs)
    keys = [_digest(case, style) for case, style in jobs]
    missing = []
    for number, key in enumerate(keys):
        path = ORACLE_CACHE / key[:2] / f"{key}.json"
        try:
            results[number] = json.loads(path.read_text(encoding="utf-8"))["html"]
        except (OSError, ValueError, KeyError, TypeError):
            missing.append(number)
    chunks = [missing[at : at + CHUNK] for at in range(0, len(missing), CHUNK)]
    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(lambda chunk: _oracle_run([jobs[n] for n in chunk]), chunks))
    for chunk, htmls in zip(chunks, done, strict=True):
        for number, html in zip(chunk, htmls, strict=True):
            results[number] = html
            path = ORACLE_CACHE / keys[number][:2] / f"{keys[number]}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}")
            tmp.write_text(json.dumps({"html": html}), encoding="utf-8")
            tmp.replace(path)
    return results


def command_line(case: Case, style: str) -> str:
    """The command line the oracle stands for (run for a few cases only: ~0.15 s each)."""
    args = [pandoc.find_pandoc(), "--citeproc", "--csl", str(STYLES_DIR / f"{style}.csl")]
    for name in case.bib:
        args += ["--bibliography", str(case.folder / name)]
    args += ["-M", "lang=en-GB", "-M", "link-citations=true", "-t", "html", "--wrap=none"]
    return subprocess.run(args, input=case.body, capture_output=True, text=True, check=True).stdout


# -- the site -----------------------------------------------------------------------------------
def _markdown() -> markdown.Markdown:
    conf = runpy.run_path(str(ROOT / "pelicanconf.py"), run_name="pelicanconf")["MARKDOWN"]
    configs = conf["extension_configs"]
    return markdown.Markdown(
        extensions=[*configs, CitationExtension()],
        extension_configs=configs,
        output_format=conf.get("output_format", "html5"),
    )


@dataclass
class Built:
    html: str | None  # None: nothing could be formatted
    errors: list[str]


def site(jobs: list[tuple[Case, str]], cache: Path) -> list[Built]:
    """The site's HTML for each (case, style): every case in one ``core.process`` call."""
    md = _markdown()
    documents, converted = [], {}
    for case, style in jobs:
        if case.name not in converted:  # the Markdown does not depend on the style
            md.reset()
            html = md.convert(case.body)
            meta = getattr(md, "Meta", {})
            converted[case.name] = (
                html,
                clusters_from_meta(meta.get(META_KEY)),
                clusters_from_meta(meta.get(UNSUPPORTED_KEY)),
            )
        html, clusters, unsupported = converted[case.name]
        documents.append(
            core.Document(
                source_path=str(case.folder / "body.md"),
                content=html,
                clusters=clusters,
                style=style,
                bibliography=", ".join(case.bib),
                unsupported=unsupported,
            )
        )
    config = Config(
        STYLES_DIR / f"{STYLES[0]}.csl",
        cache / "no-site-bibliography",
        "References",
        cache,
        "en-GB",
        CASES,
    )
    diagnostics.COLLECTOR.clear()
    results = core.process(documents, config, THEME, Engine(cache))
    errors: dict[str, list[str]] = {}
    for item in diagnostics.COLLECTOR.items:
        if item.severity == diagnostics.ERROR:
            errors.setdefault(str(Path(item.path).resolve()) if item.path else "", []).append(item.format())
    diagnostics.COLLECTOR.clear()
    out = []
    for (case, _), document, result in zip(jobs, documents, results, strict=True):
        mine = [
            e
            for path, found in errors.items()
            if path == "" or Path(path).resolve().parent == case.folder
            for e in found
        ]
        html = result.content if result is not None else (document.content if not document.clusters else None)
        out.append(Built(html, mine))
    return out


# -- what a reader sees -------------------------------------------------------------------------
def _text(node) -> str:
    return " ".join(node.get_text().replace("\xa0", " ").replace("\u202f", " ").split())


def visible(html: str) -> dict:
    """The citations and reference-list entries as a reader sees them: text and link targets
    (without what the site adds on purpose: previews, PubMed/DOI links, back-links)."""
    soup = BeautifulSoup(html, "html.parser")
    for extra in soup.select(".citation-preview, .citation-links, .citation-backlinks"):
        extra.decompose()
    return {
        "citations": [
            (_text(s), [a.get("href") for a in s.find_all("a")]) for s in soup.select("span.citation")
        ],
        "entries": [
            (div.get("id"), _text(div), [a.get("href") for a in div.find_all("a")])
            for div in soup.select("div.csl-entry")
        ],
    }
