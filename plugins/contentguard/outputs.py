"""Where each source is written in the site, checked before anything is written.

Pure Python (no Pelican import). Pelican lets a page's ``save_as`` silently replace the home page
(it marks such writes "override" and skips the other), copies theme and static files over pages
without a word, and joins a slug like ``../theme/css`` straight into a path. Here every content
object's output path must be a plain relative path, stay out of folders the site itself fills
(``theme/``, ``images/``, ``feeds/``, ``category/`` ...) and be written by nobody else.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass

#: Folders written by the build but not named by a *_SAVE_AS setting.
EXTRA_RESERVED = {"pagefind": "the search index (Pagefind)"}


@dataclass(frozen=True)
class Output:
    path: str  # relative to the output folder, as the source or setting gives it
    what: str  # who writes it, for people: "content/pages/x.md", "the home page (DIRECT_TEMPLATES 'index')"
    source: str | None = None  # the content file, when a content object writes it
    field: str = ""  # the header field that decided the path: save_as, slug or title
    cause: str = ""  # what decided it: "'save_as: index.html'", "the slug 'theme'"
    fix: str = ""  # what to change: "'Save_as:'", "'Slug:'"
    slug: str | None = None  # the content object's slug (None: not a content object or not known)


def literal_folder(pattern: str) -> str | None:
    """The fixed first folder of an output pattern ('category/{slug}/index.html' -> 'category')."""
    if not isinstance(pattern, str) or "/" not in pattern.lstrip("/"):
        return None
    first = pattern.lstrip("/").split("/", 1)[0]
    return None if "{" in first or first in ("", ".", "..") else first


def reserved_folders(patterns: dict[str, str], content_patterns: dict[str, str]) -> dict[str, str]:
    """Folder -> what fills it, from the build's non-content output patterns (what -> pattern).

    Folders that content patterns themselves use (``articles/``, ``drafts/``) are not reserved.
    """
    own = {literal_folder(p) for p in content_patterns.values()}
    reserved = dict(EXTRA_RESERVED)
    for what, pattern in sorted(patterns.items()):
        folder = literal_folder(pattern)
        if folder and folder not in own:
            reserved.setdefault(folder, what)
    return reserved


def _bad_path(out: Output) -> str | None:
    path = out.path
    if out.slug == "" and "slug" not in out.cause:
        return (
            "the title has no letters or digits to make the page's address (slug) from; "
            "add a line 'Slug: some-words' (lower-case words joined by hyphens)"
        )
    if path.startswith(("/", "\\")) or (len(path) > 1 and path[1] == ":"):
        return (
            f"{out.cause} writes to '{path}', an absolute path; "
            "give a path inside the site, e.g. 'about/index.html'"
        )
    parts = path.replace("\\", "/").split("/")
    if ".." in parts:
        return (
            f"{out.cause} writes to '{path}', outside its place in the site ('..'); "
            "use a plain name without '..' or '/'"
        )
    if "" in parts[:-1] or not parts[-1]:
        return f"{out.cause} makes the address '{path}' with an empty part; change {out.fix}"
    return None


def check(contents: list[Output], others: list[Output], reserved: dict[str, str]) -> list[tuple[Output, str]]:
    """(content output, message) for every bad path, collision and write into a reserved folder."""
    problems: list[tuple[Output, str]] = []
    writers: dict[str, list[Output]] = defaultdict(list)
    for out in others:
        writers[posixpath.normpath(out.path.lstrip("/"))].append(out)
    placed: list[tuple[str, Output]] = []
    for out in contents:
        if message := _bad_path(out):
            problems.append((out, message))
        else:
            path = posixpath.normpath(out.path)
            writers[path].append(out)
            placed.append((path, out))
    for path, out in placed:
        if len(writers[path]) > 1:
            rivals = ", ".join(o.what for o in writers[path] if o is not out)
            problems.append(
                (out, f"{out.cause} writes '{path}', which {rivals} also writes; change {out.fix}")
            )
        elif "/" in path and (folder := path.split("/", 1)[0]) in reserved:
            problems.append(
                (
                    out,
                    f"{out.cause} writes into '{folder}/', the site's folder for {reserved[folder]}; "
                    f"change {out.fix}",
                )
            )
    return problems
