"""Build the site with one entry as the editor holds it; return the build's findings and the page.

The entry is written into a scratch copy of ``content/`` (``.cache/cms/check/``, refreshed from the
real folder on every check), the real strict build (``python -m sitetools.build``) runs on it in a
child process under a time limit, and the answer is the diagnostics with their paths shown as in the
real ``content/`` folder, plus the HTML of the page the entry became (its ``<main>``), so the editor's
preview shows the citations, care cards and Book Now blocks exactly as the site will.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path, PurePosixPath

import yaml

from sitetools.cms.config import load_settings  # puts plugins/ on sys.path
from timetable.settings import DEFAULTS as TIMETABLE_DEFAULTS

LINE = re.compile(
    r"^(?P<path>[^\s:][^:]*?)(?::(?P<line>\d+))?: (?P<severity>error|warning|note): (?P<message>.*)$"
)
TIMEOUT = 60
SCRATCH = Path(".cache", "cms", "check")  # inside the project: the content copy, the build, its cache
_LOCK = threading.Lock()  # one check at a time: they share the scratch folder


class BadEntry(ValueError):
    """The request names no file inside the content folder's Markdown collections."""


#: The bibliography files the citations plugin reads (plugins/citations/settings.py).
BIBLIOGRAPHY_SUFFIXES = (".bib", ".bibtex", ".json", ".yaml", ".yml")


def _entry_path(project: Path, content: Path, rel: str, settings: dict | None = None) -> Path:
    """The entry's file: a Markdown file inside the content folder, the timetable file
    (``TIMETABLE_PATH``), or a bibliography file in ``CITATIONS_BIBLIOGRAPHY_PATH``."""
    rel_path = PurePosixPath(rel)
    if rel_path.is_absolute() or ".." in rel_path.parts:
        raise BadEntry(f"{rel!r} is not a file inside the content folder")
    path = (project / rel_path).resolve()
    if not path.is_relative_to(content.resolve()):
        raise BadEntry(f"{rel!r} is not inside the content folder")
    if rel_path.suffix == ".md":
        return path
    settings = settings or {}
    timetable = (content / (settings.get("TIMETABLE_PATH") or "timetable.yaml")).resolve()
    refs = (content / (settings.get("CITATIONS_BIBLIOGRAPHY_PATH") or "references")).resolve()
    if path == timetable or (path.parent == refs and rel_path.suffix in BIBLIOGRAPHY_SUFFIXES):
        return path
    raise BadEntry(
        f"{rel!r} is not a Markdown file, the timetable or a bibliography file of the content folder"
    )


_BIB_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]\s*[^\s,{}()]+\s*,", re.MULTILINE)
_EXPORTS = "export the collection from Zotero as Better BibLaTeX (.bib), CSL JSON (.json) or CSL YAML (.yaml)"


def not_a_bibliography(suffix: str, text: str) -> str | None:
    """Why `text` is not a bibliography file of kind `suffix` (None: it looks like one). The build reads
    a file with no entries as an empty bibliography without a word, so the editor says it here."""
    if "\x00" in text:
        return f"this is not a bibliography but a binary file (a PDF or a Word document?); {_EXPORTS}"
    if suffix in (".bib", ".bibtex"):
        if _BIB_ENTRY.search(text):
            return None
        return (
            "this is not a bibliography: a .bib file holds entries such as '@article{key,'; and this has "
            f"none; {_EXPORTS}"
        )
    kind = "JSON" if suffix == ".json" else "YAML"
    try:
        if suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (ValueError, yaml.YAMLError, RecursionError) as exc:
        why = (str(exc).splitlines() or ["?"])[0]
        return f"this is not a CSL {kind} bibliography (it cannot be read: {why}); {_EXPORTS}"
    if isinstance(data, dict) and isinstance(data.get("references"), list):
        data = data["references"]
    if isinstance(data, list) and data and all(isinstance(e, dict) and e.get("id") for e in data):
        return None
    return f"this is not a bibliography: a CSL file is a list of entries, each with an 'id'; {_EXPORTS}"


def _main_html(page: str) -> str:
    start, end = page.find("<main"), page.rfind("</main>")
    return page[start : end + len("</main>")] if start >= 0 and end > start else ""


def check_entry(project: Path, rel: str, text: str, content_dir: str = "content") -> dict:
    """``{"ok", "diagnostics": [{path, line, severity, message, text}], "html"}`` for the entry `rel`
    (e.g. ``content/articles/x.md``) holding `text`. Findings about other files are left out."""
    content = project / content_dir
    settings = {**TIMETABLE_DEFAULTS, **load_settings(project)} if not rel.endswith(".md") else None
    target = _entry_path(project, content, rel, settings)
    if target.suffix in BIBLIOGRAPHY_SUFFIXES and target != (content / settings["TIMETABLE_PATH"]).resolve():
        problem = not_a_bibliography(target.suffix, text)
        if problem:
            return {"ok": False, "diagnostics": [_finding(rel, 1, "error", problem)], "html": ""}
    scratch = project / SCRATCH
    with _LOCK:
        shutil.rmtree(scratch / "content", ignore_errors=True)
        shutil.copytree(content, scratch / "content", symlinks=True)
        copy = scratch / "content" / target.relative_to(content.resolve())
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(text, encoding="utf-8")
        shutil.rmtree(scratch / "output", ignore_errors=True)
        args = [sys.executable, "-m", "sitetools.build", "--output", str(scratch / "output")]
        args += ["-e", f"PATH={str(scratch / 'content')!r}", "-e", f"CACHE_PATH={str(scratch / 'cache')!r}"]
        args += ["-e", "DIRECT_TEMPLATES=['index', 'archives', 'categories', 'tags', 'drafts']"]
        try:
            proc = subprocess.run(args, cwd=project, capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return {
                "ok": False,
                "diagnostics": [_finding(rel, None, "error", f"the check took more than {TIMEOUT} s")],
                "html": "",
            }
        shown = f"{content_dir}/"
        scratch_rel = (scratch / "content").relative_to(project).as_posix() + "/"
        findings, others = [], []
        for line in proc.stderr.splitlines():
            line = line.replace(str(scratch / "content") + "/", shown).replace(scratch_rel, shown)
            match = LINE.match(line)
            if not match:
                continue
            number = int(match["line"]) if match["line"] else None
            if match["path"] == rel:
                findings.append(_finding(rel, number, match["severity"], match["message"]))
            elif match["severity"] == "error":  # another file's error stops the build too
                others.append(_finding(match["path"], number, "error", match["message"]))
        if not any(f["severity"] == "error" for f in findings):
            findings += others  # otherwise they follow from this entry's errors (a page not built ...)
        html = ""
        if proc.returncode != 0:
            if not any(f["severity"] == "error" for f in findings):
                tail = proc.stderr.strip().splitlines()[-1:] or ["the build failed"]
                findings.append(_finding(rel, None, "error", tail[0]))
        elif copy.suffix == ".md":
            html = _page_for(project, scratch / "output", copy)
        elif settings and target == (content / settings["TIMETABLE_PATH"]).resolve():
            saved = settings["TIMETABLE_SAVE_AS"]
            try:
                page = (scratch / "output" / saved).read_text(encoding="utf-8")
            except OSError:
                page = ""
            html = _rebase(_main_html(page), posixpath.dirname(saved))
        return {"ok": proc.returncode == 0, "diagnostics": findings, "html": html}


def _page_for(project: Path, output: Path, source: Path) -> str:
    """The `<main>` of the page built from `source`, found by the site's *_SAVE_AS settings."""
    from pelican.utils import slugify

    from frontmatter.core import header  # plugins/ is on sys.path: sitetools.cms.config puts it there

    settings = load_settings(project)
    values = {k: v for _, k, v in header(source.read_text(encoding="utf-8"))}
    subs = settings.get("SLUG_REGEX_SUBSTITUTIONS") or [(r"[^\w\s-]", ""), (r"(?u)\s+", "-")]
    slug = values.get("slug") or slugify(values.get("title", ""), regex_subs=subs)
    draft = values.get("status", "").lower() == "draft"
    page = "pages" in source.parts
    names = {(True, True): "DRAFT_PAGE_SAVE_AS", (True, False): "DRAFT_SAVE_AS"}
    names |= {(False, True): "PAGE_SAVE_AS", (False, False): "ARTICLE_SAVE_AS"}
    pattern = settings.get(names[draft, page])
    rel = values.get("save_as") if values.get("save_as") and not draft else str(pattern).format(slug=slug)
    try:
        main = _main_html((output / rel).read_text(encoding="utf-8"))
    except (OSError, KeyError, IndexError, ValueError):
        return ""
    return _rebase(main, posixpath.dirname(rel))


_URL_ATTR = re.compile(r'\b(href|src|srcset)="([^"]*)"')
BUILT = "/admin/built/"  # where sitetools.cms.server serves the scratch build (images, links)


def _rebase(html: str, folder: str) -> str:
    """Relative addresses in the page's HTML made to point into the scratch build as the editor's
    server serves it, so the preview (under /admin/) shows the entry's pictures."""

    def one(url: str) -> str:
        if not url or url.startswith(("#", "/")) or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url):
            return url
        path = posixpath.normpath(posixpath.join(folder, url))
        path = "" if path == "." else path + ("/" if url.endswith("/") else "")
        return BUILT + path

    def attr(match: re.Match) -> str:
        name, value = match.groups()
        if name == "srcset":
            parts = [p.strip().split(" ", 1) for p in value.split(",") if p.strip()]
            value = ", ".join(" ".join([one(p[0]), *p[1:]]) for p in parts)
        else:
            value = one(value)
        return f'{name}="{value}"'

    return _URL_ATTR.sub(attr, html)


def _finding(path: str, line: int | None, severity: str, message: str) -> dict:
    where = f"{path}:{line}" if line else path
    return {
        "path": path,
        "line": line,
        "severity": severity,
        "message": message,
        "text": f"{where}: {severity}: {message}",
    }


if __name__ == "__main__":  # python -m sitetools.cms.check content/articles/x.md < text
    print(json.dumps(check_entry(Path.cwd(), sys.argv[1], sys.stdin.read()), indent=1))
