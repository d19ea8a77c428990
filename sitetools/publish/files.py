"""What is published: the files of a site folder, their types, cache policy and checksums.

Pure functions over a local folder; both targets and the shipped nginx.conf follow the same policy:
- documents (HTML, feeds, text) revalidate on every visit, so a publish shows at once;
- fingerprinted assets (a hex hash in the name, e.g. site.3f2a9c1d.css) never change under their
  name, so they are cached for a year and marked immutable;
- other assets revalidate too (a CSS file changed in place must not outlive the HTML it styles).
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

REVALIDATE = "public, max-age=0, must-revalidate"
IMMUTABLE = "public, max-age=31536000, immutable"
# Kept identical to the `map` in deploy/nginx.conf (tests/publish/test_deploy_config.py compares them).
FINGERPRINTED = re.compile(r"[.-][0-9a-f]{8,}\.(css|js|mjs|woff2?|svg|png|jpe?g|gif|webp|avif|ico)$")

DOCUMENT_SUFFIXES = {".html", ".xml", ".txt", ".json", ".webmanifest", ".ics"}
TEXT_SUFFIXES = DOCUMENT_SUFFIXES | {".css", ".js", ".mjs", ".svg", ".map", ".ico"}
PRECOMPRESSED = {"gzip": ".gz", "br": ".br"}
MIN_COMPRESS_BYTES = 256  # smaller files gain nothing from compression

_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".ics": "text/calendar",  # the class timetable's feeds
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ico": "image/vnd.microsoft.icon",
    ".webp": "image/webp",
    ".avif": "image/avif",
}


def content_type(name: str) -> str:
    """The Content-Type to serve `name` with (text types in UTF-8)."""
    lower = name.lower()
    if lower.endswith(".atom.xml"):
        kind = "application/atom+xml"
    elif lower.endswith(".rss.xml"):
        kind = "application/rss+xml"
    else:
        suffix = Path(lower).suffix
        kind = _TYPES.get(suffix) or mimetypes.guess_type(lower)[0] or "application/octet-stream"
    if (
        kind.startswith("text/")
        or kind in {"application/xml", "application/json", "image/svg+xml"}
        or (kind.endswith("+xml") or kind.endswith("+json"))
    ):
        return f"{kind}; charset=utf-8"
    return kind


def cache_control(name: str) -> str:
    return IMMUTABLE if FINGERPRINTED.search(name) else REVALIDATE


def is_document(name: str) -> bool:
    """Documents link to assets and to each other; assets are linked to (they go up first)."""
    return Path(name).suffix.lower() in DOCUMENT_SUFFIXES


@dataclass(frozen=True)
class SiteFile:
    name: str  # POSIX path relative to the site root, e.g. "articles/x/index.html"
    path: Path
    md5: str
    size: int

    @property
    def content_type(self) -> str:
        return content_type(self.name)

    @property
    def cache_control(self) -> str:
        return cache_control(self.name)


def site_files(root: Path) -> dict[str, SiteFile]:
    """Every file under `root`, by relative name (symlinks and dot-files are refused/skipped)."""
    files = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            raise ValueError(f"{rel}: the site contains a symlink; publish only real files")
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        data = path.read_bytes()
        files[rel] = SiteFile(rel, path, hashlib.md5(data).hexdigest(), len(data))
    return files


def precompress(root: Path, encodings: list[str]) -> int:
    """Write name.gz / name.br beside every text file that shrinks; return how many were written.

    The output is deterministic (gzip without a timestamp), so an unchanged page yields an
    unchanged .gz and the SSH target can reuse it from the previous release.
    """
    unknown = set(encodings) - set(PRECOMPRESSED)
    if unknown:
        raise ValueError(f"unknown precompress encoding(s) {sorted(unknown)}; use {sorted(PRECOMPRESSED)}")
    if "br" in encodings:
        import brotli
    written = 0
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in TEXT_SUFFIXES:
            continue
        data = path.read_bytes()
        for encoding, suffix in PRECOMPRESSED.items():
            packed_path = path.with_name(path.name + suffix)
            # A name.gz left from an older build would be served instead of the new page: remove it.
            packed_path.unlink(missing_ok=True)
            if encoding not in encodings or len(data) < MIN_COMPRESS_BYTES:
                continue
            if encoding == "gzip":
                packed = gzip.compress(data, compresslevel=9, mtime=0)
            else:
                packed = brotli.compress(data, quality=11)
            if len(packed) < len(data):
                packed_path.write_bytes(packed)
                written += 1
    return written
