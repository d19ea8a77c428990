"""The built site as the checks see it: its HTML pages, each page's type, one sample per type.

Page types come from the settings that place each kind of page (`INDEX_SAVE_AS`,
`ARTICLE_SAVE_AS`, `CATEGORY_SAVE_AS`, ...), so changing a URL scheme needs no change here.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

#: Page types in table order; each with the settings naming where such pages are saved.
PAGE_TYPES: list[tuple[str, tuple[str, ...]]] = [
    ("home", ("INDEX_SAVE_AS",)),
    ("article", ("ARTICLE_SAVE_AS", "ARTICLE_LANG_SAVE_AS")),
    ("page", ()),  # PAGE_SAVE_AS matches almost anything: tried last (see `page_type`)
    ("search", ("SEARCH_SAVE_AS",)),
    ("category", ("CATEGORY_SAVE_AS",)),
    ("tag", ("TAG_SAVE_AS",)),
    ("author", ("AUTHOR_SAVE_AS",)),
    ("archives", ("ARCHIVES_SAVE_AS",)),
    ("categories", ("CATEGORIES_SAVE_AS",)),
    ("tags", ("TAGS_SAVE_AS",)),
    ("authors", ("AUTHORS_SAVE_AS",)),
    ("404", ()),
    ("draft", ("DRAFT_SAVE_AS", "DRAFT_PAGE_SAVE_AS")),
]
ORDER = {name: i for i, (name, _) in enumerate(PAGE_TYPES)} | {"site": len(PAGE_TYPES) + 1}
OTHER = len(PAGE_TYPES)  # a plugin's page types (`people`) come after ours, before site-wide rows
SKIP_DIRS = ("pagefind/",)  # generated search index: no pages of ours


def _pattern(save_as: str) -> re.Pattern:
    """`category/{slug}/index.html` → a regex for it and its numbered pagination pages."""
    parts = re.split(r"\{[^}]*\}", save_as)
    body = "[^/]+".join(re.escape(p) for p in parts)
    body = re.sub(r"\\\.html$", r"\\d*\\.html", body)
    return re.compile(body + "$")


@dataclass
class Site:
    output: Path
    settings: dict
    pages: list[str] = field(default_factory=list)  # HTML files, relative to output, sorted
    types: dict[str, str] = field(default_factory=dict)  # page → page type

    @classmethod
    def load(cls, output: Path, settings: dict) -> Site:
        site = cls(Path(output).resolve(), settings)
        for path in sorted(site.output.rglob("*.html")):
            rel = path.relative_to(site.output).as_posix()
            if not rel.startswith(SKIP_DIRS):
                site.pages.append(rel)
                site.types[rel] = site.page_type(rel)
        return site

    def page_type(self, rel: str) -> str:
        if rel == "404.html" or rel.startswith("404/"):
            return "404"
        for name, keys in PAGE_TYPES:
            for key in keys:
                save_as = self.settings.get(key)
                if save_as and _pattern(save_as).match(rel):
                    return name
        if _pattern(self.settings.get("PAGE_SAVE_AS", "{slug}.html")).match(rel):
            return "page"
        return rel.split("/")[0] if "/" in rel else "other"  # a plugin's pages: `people/x/` → "people"

    def url_path(self, rel: str) -> str:
        """The path a browser asks for: `about/index.html` → `about/`."""
        return rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel

    def page_of_url_path(self, path: str) -> str | None:
        """The page file behind a URL path (`/about/` → `about/index.html`), if it is one of ours."""
        path = path.lstrip("/")
        for candidate in (path, path + "index.html", path.rstrip("/") + "/index.html"):
            if candidate in self.types:
                return candidate
        return None

    def samples(self) -> dict[str, str]:
        """One page per type: the largest (the most content to check), in table order."""
        chosen: dict[str, str] = {}
        for rel, kind in self.types.items():
            if (
                kind not in chosen
                or (self.output / rel).stat().st_size > (self.output / chosen[kind]).stat().st_size
            ):
                chosen[kind] = rel
        return dict(sorted(chosen.items(), key=lambda item: ORDER.get(item[0], OTHER)))

    def count(self, kind: str) -> int:
        return sum(1 for k in self.types.values() if k == kind)


_TEXT_SUFFIXES = {".html", ".xml", ".css", ".js", ".json", ".txt", ".webmanifest"}


@contextlib.contextmanager
def localised(output: Path, siteurl: str):
    """The site as the checks can serve it on 127.0.0.1.

    A production build (publishconf.py) links with its absolute SITEURL, which the checks' local
    server is not, so every link would look external. Such a site is checked as a copy in which
    `SITEURL/` is rewritten to `/` (with the build's findings beside it); nothing else changes, so
    validity, accessibility and links are those of the published bytes (budgets read a few bytes
    low: root-relative links are shorter than absolute ones). A development build is used as is.
    """
    host = urllib.parse.urlsplit(siteurl or "").hostname
    if not siteurl or host in (None, "127.0.0.1", "localhost"):
        yield Path(output)
        return
    base = siteurl.rstrip("/")
    with tempfile.TemporaryDirectory(prefix="check-") as tmp:
        copy = Path(tmp) / "output"
        shutil.copytree(output, copy)
        findings = Path(output).resolve().parent / ".cache" / "diagnostics.json"
        if findings.is_file():
            (Path(tmp) / ".cache").mkdir()
            shutil.copy2(findings, Path(tmp) / ".cache" / "diagnostics.json")
        for path in copy.rglob("*"):
            if path.suffix in _TEXT_SUFFIXES and path.is_file():
                text = path.read_text(encoding="utf-8", errors="surrogateescape")
                new = text.replace(f"{base}/", "/").replace(f'"{base}"', '"/"')
                if new != text:
                    path.write_text(new, encoding="utf-8", errors="surrogateescape")
        yield copy
