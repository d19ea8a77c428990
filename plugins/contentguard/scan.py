"""Scan the content folder before Pelican reads anything in it.

Pure Python (no Pelican import). Pelican walks ``content/`` following symlinks and opens every
file it finds: a symlink to ``/etc/passwd`` in ``content/images/`` is copied into the site, a
named pipe (fifo) makes the build wait forever, a symlink to ``/dev/zero`` reads until memory runs
out. This walk never follows a symlink and never opens anything but regular files under the size
limit, so it is safe on any tree; it returns what must be fixed.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .text import check_text

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mkd", ".mdown"})
#: Files read as text (Markdown, HTML, bibliographies); anything else is only copied.
TEXT_SUFFIXES = MARKDOWN_SUFFIXES | {
    ".txt",
    ".html",
    ".htm",
    ".rst",
    ".bib",
    ".json",
    ".yaml",
    ".yml",
    ".csl",
}


@dataclass(frozen=True)
class Limits:
    text_bytes: int  # CONTENT_MAX_FILE_BYTES: Markdown, bibliographies and every other file
    static_bytes: int  # CONTENT_MAX_STATIC_BYTES: files in STATIC_PATHS (images, PDFs), only copied
    nesting: int  # CONTENT_MAX_NESTING: blockquote / list levels in Markdown


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int | None
    message: str


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MiB" if n >= 1_048_576 else f"{n:,} bytes"


def _special(mode: int) -> str | None:
    if stat.S_ISFIFO(mode):
        return "a named pipe (fifo), not a file: Pelican would wait for it forever; delete it"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file; delete it"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file: reading it may never end; delete it"
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "not a regular file or folder; delete it"
    return None


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _symlink(path: Path, root: str) -> str | None:
    """What is wrong with a symlink in the content folder, or None when it stays inside it."""
    target = os.readlink(path)
    real = os.path.realpath(path)
    if not os.path.exists(path):
        return f"a symlink to '{target}', which does not exist; delete it or put the file itself here"
    if not _within(real, root):
        return (
            f"a symlink to '{target}', outside the content folder: the site would publish whatever it "
            "points to; put a copy of the file itself here, or delete the link"
        )
    if os.path.isdir(real) and _within(os.path.realpath(path.parent), real):
        return f"a symlink to '{target}', a folder that contains the link itself (an endless loop); delete it"
    return None


def scan(
    root: str | os.PathLike,
    limits: Limits,
    static_paths: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
) -> list[Finding]:
    """Problems of every entry under `root` (never following symlinks, never opening non-files).

    `static_paths` are folders relative to `root` whose files are copied as they are (the larger
    size limit, no text checks); `ignore` are Pelican's IGNORE_FILES patterns.
    """
    root_path = Path(root)
    real_root = os.path.realpath(root_path)
    static = tuple(os.path.normpath(p) for p in static_paths)
    findings: list[Finding] = []
    pending = [root_path]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            findings.append(
                Finding(folder, None, f"the folder cannot be read ({exc.strerror}); fix its permissions")
            )
            continue
        for entry in entries:
            if any(fnmatch.fnmatch(entry.name, pattern) for pattern in ignore):
                continue  # Pelican skips these too (IGNORE_FILES), e.g. an editor's lock file
            path = Path(entry.path)
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                findings.append(Finding(path, None, f"cannot be read ({exc.strerror}); fix or delete it"))
                continue
            if stat.S_ISLNK(mode):
                if problem := _symlink(path, real_root):
                    findings.append(Finding(path, None, problem))
                continue  # a link inside the folder: its target is checked where it is
            if problem := _special(mode):
                findings.append(Finding(path, None, problem))
                continue
            if stat.S_ISDIR(mode):
                pending.append(path)
                continue
            findings.extend(
                _regular(path, entry.stat(follow_symlinks=False).st_size, root_path, static, limits)
            )
    return sorted(findings, key=lambda f: (str(f.path), f.line or 0))


def _regular(path: Path, size: int, root: Path, static: tuple[str, ...], limits: Limits) -> list[Finding]:
    rel = os.path.relpath(path, root)
    is_static = any(_within(rel, folder) for folder in static)
    limit, setting = (
        (limits.static_bytes, "CONTENT_MAX_STATIC_BYTES")
        if is_static
        else (limits.text_bytes, "CONTENT_MAX_FILE_BYTES")
    )
    if size > limit:
        fix = "make it smaller (resize or compress it)" if is_static else "split it into smaller files"
        return [
            Finding(
                path,
                None,
                f"a {_size(size)} file, over the limit of {_size(limit)} ({setting}); {fix}, "
                f"or raise {setting} in pelicanconf.py",
            )
        ]
    suffix = path.suffix.lower()
    if is_static or suffix not in TEXT_SUFFIXES:
        return []
    try:
        data = _read_regular(path, limit)
    except OSError as exc:
        return [Finding(path, None, f"cannot be read ({exc.strerror}); fix or delete it")]
    if data is None:
        return []  # replaced by something else since the walk saw it: the next build looks again
    return [
        Finding(path, line, message)
        for line, message in check_text(
            data, markdown=suffix in MARKDOWN_SUFFIXES, max_nesting=limits.nesting
        )
    ]


def _read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of `path` if it is (still) a regular file within `limit`: never blocks, never follows."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks, left = [], limit + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
