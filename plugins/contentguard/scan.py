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
import re
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


#: What may sit outside STATIC_PATHS: Markdown sources, bibliographies and CSL styles.
SOURCE_SUFFIXES = MARKDOWN_SUFFIXES | {".bib", ".bibtex", ".json", ".yaml", ".yml", ".csl"}
#: What may sit in STATIC_PATHS (copied to the site as it is, served from the clinic's address).
STATIC_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif", ".svg", ".pdf", ".ico", ".heic", ".heif"}
    | {".mp4", ".webm", ".vtt"}
)
#: Videos (and their captions) in STATIC_PATHS: checked for what they are (see _media_problem).
VIDEO_SUFFIXES = frozenset({".mp4", ".webm"})
#: An MP4/QuickTime atom holding the place a phone recorded the video (ISO 6709, e.g. +51.5-000.1/).
_LOCATION_ATOMS = (b"\xa9xyz", b"com.apple.quicktime.location.ISO6709")
_PELICAN_MARKUP = {".rst", ".html", ".htm"}
#: In an SVG, what a browser would run or fetch: script, event handlers, javascript: URLs, HTML
#: islands, and links to anything but the picture's own #ids (or inline data: images).
_SVG_ACTIVE = re.compile(
    rb"<\s*script|<\s*foreignobject|<\s*iframe|<\s*embed|<\s*object|\bon[a-z]+\s*=|javascript:"
    rb"|\bhref\s*=\s*[\"']?\s*(?!#|data:image/)[^\"'\s>]",
    re.I,
)


@dataclass(frozen=True)
class Limits:
    text_bytes: int  # CONTENT_MAX_FILE_BYTES: Markdown, bibliographies and every other file
    static_bytes: int  # CONTENT_MAX_STATIC_BYTES: files in STATIC_PATHS (images, PDFs), only copied
    nesting: int  # CONTENT_MAX_NESTING: blockquote / list levels in Markdown
    video_bytes: int = 30 * 1024 * 1024  # CONTENT_MAX_VIDEO_BYTES: .mp4 / .webm in STATIC_PATHS


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


def within(path: str, folder: str) -> bool:
    """Whether `path` is `folder` or lies inside it (both already resolved)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _symlink(path: Path, root: str) -> str | None:
    """What is wrong with a symlink in the content folder, or None when it stays inside it."""
    target = os.readlink(path)
    real = os.path.realpath(path)
    if not os.path.exists(path):
        return f"a symlink to '{target}', which does not exist; delete it or put the file itself here"
    if not within(real, root):
        return (
            f"a symlink to '{target}', outside the content folder: the site would publish whatever it "
            "points to; put a copy of the file itself here, or delete the link"
        )
    if os.path.isdir(real) and within(os.path.realpath(path.parent), real):
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
            st = entry.stat(follow_symlinks=False)
            stamp = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, root_path, static, limits)
            seen = _SEEN.get(entry.path)
            if seen is None or seen[0] != stamp:  # the live preview scans on every rebuild: read what changed
                seen = _SEEN[entry.path] = (stamp, _regular(path, st.st_size, root_path, static, limits))
            findings.extend(seen[1])
    return sorted(findings, key=lambda f: (str(f.path), f.line or 0))


#: Characters a {static} link cannot carry to the file: Pelican reads the link as written in the HTML
#: (`&` is `&amp;` there, `#` starts a fragment, `?` a query) and decodes only %20.
_UNLINKABLE = re.compile(r'[&#?"<>]')


def _unlinkable(name: str) -> str | None:
    if not (found := _UNLINKABLE.search(name)):
        return None
    better = re.sub(r"\s+", " ", _UNLINKABLE.sub(" ", name.replace("&", "and"))).strip()
    better = re.sub(r" (\.[^.]*)$", r"\1", better)  # 'my clip .webm' -> 'my clip.webm'
    return (
        f"the file name has '{found.group(0)}', which a link to the file cannot carry (the page would point "
        f"at a file that does not exist); rename the file, e.g. '{better}', and change its links"
    )


#: A regular file's findings with everything that could change them: its inode, size, times (ctime
#: changes on every write and cannot be set back) and the scan's settings.
_SEEN: dict[str, tuple[tuple, list[Finding]]] = {}


def _regular(path: Path, size: int, root: Path, static: tuple[str, ...], limits: Limits) -> list[Finding]:
    rel = os.path.relpath(path, root)
    is_static = any(within(rel, folder) for folder in static)
    if is_static and (problem := _unlinkable(path.name)):
        return [Finding(path, None, problem)]
    suffix = path.suffix.lower()
    limit, setting = (
        (limits.static_bytes, "CONTENT_MAX_STATIC_BYTES")
        if is_static
        else (limits.text_bytes, "CONTENT_MAX_FILE_BYTES")
    )
    if is_static and suffix in VIDEO_SUFFIXES:
        limit, setting = limits.video_bytes, "CONTENT_MAX_VIDEO_BYTES"
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
    if problem := _kind_problem(suffix, is_static):
        return [Finding(path, None, problem)]
    if is_static and suffix in VIDEO_SUFFIXES | {".vtt"}:
        data = _read_regular(path, limit) or b""
        return [Finding(path, line, message) for line, message in _media_problems(suffix, data)]
    if is_static and suffix == ".svg":
        data = _read_regular(path, limit) or b""
        if match := _SVG_ACTIVE.search(data):
            found = match.group(0).decode("ascii", "replace").strip()
            return [
                Finding(
                    path,
                    data.count(b"\n", 0, match.start()) + 1,
                    f"an SVG picture with script or links in it ('{found}'): opened on its own it would "
                    "run on the clinic's address; export it again as a plain SVG (Inkscape: Save As, "
                    "Plain SVG) or as a PNG",
                )
            ]
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


def _moov(data: bytes) -> bytes:
    """An MP4's top-level `moov` box (its tracks' descriptions, where the codec is named), or b""."""
    at = 0
    while at + 8 <= len(data):
        size, kind = int.from_bytes(data[at : at + 4], "big"), data[at + 4 : at + 8]
        if size == 1 and at + 16 <= len(data):
            size = int.from_bytes(data[at + 8 : at + 16], "big")
        elif size == 0:
            size = len(data) - at
        if size < 8:
            return b""
        if kind == b"moov":
            return data[at : at + size]
        at += size
    return b""


def _media_problems(suffix: str, data: bytes) -> list[tuple[int | None, str]]:
    """A video that is not one, a phone video that records where it was made, captions that are not
    WebVTT text: each published as it is, so each is checked here."""
    if suffix == ".vtt":
        if not data.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
            return [
                (1, "captions must be a WebVTT file starting with the line WEBVTT; export them again as .vtt")
            ]
        return check_text(data, markdown=False, max_nesting=0)
    if suffix == ".mp4" and data[4:8] != b"ftyp":
        kind = "MP4"
    elif suffix == ".mp4" and any(codec in _moov(data) for codec in (b"hvc1", b"hev1")):
        return [
            (
                None,
                "an HEVC (H.265) video, which Firefox and Chrome on many computers cannot play (the visitor "
                "sees only the poster); export it again as H.264 (ffmpeg -i in.mp4 -c:v libx264 -c:a aac "
                "out.mp4; on an iPhone: Settings, Camera, Formats, Most Compatible) or as .webm",
            )
        ]
    elif suffix == ".webm" and not data.startswith(b"\x1a\x45\xdf\xa3"):
        kind = "WebM"
    else:
        for atom in _LOCATION_ATOMS:
            if atom in data:
                return [
                    (
                        None,
                        "a video that records where it was filmed (its location metadata, "
                        f"'{atom.decode('latin-1')}'): published as it is, it tells everyone that place; "
                        "export it again without location (e.g. ffmpeg -i in.mp4 -map_metadata -1 -c copy "
                        "out.mp4, or turn off location in the phone's camera settings)",
                    )
                ]
        return []
    return [
        (
            None,
            f"not an {kind} video (its first bytes are not a {kind} header); "
            "export it again as .mp4 or .webm",
        )
    ]


def _kind_problem(suffix: str, is_static: bool) -> str | None:
    """Why a file of this type may not be in this part of the content folder, or None."""
    if is_static:
        if suffix in STATIC_SUFFIXES:
            return None
        return (
            f"a '{suffix or 'no extension'}' file among the pictures: everything here is published as it "
            "is, from the clinic's address, so only pictures, PDFs, videos and captions may be here "
            f"({', '.join(sorted(STATIC_SUFFIXES))}); delete it or move it out of content/"
        )
    if suffix in SOURCE_SUFFIXES:
        return None
    if suffix in _PELICAN_MARKUP:
        return (
            f"a '{suffix}' page: the site publishes articles and pages only from Markdown, where every "
            "line is checked (HTML and reStructuredText would be published unchecked, include files "
            "and all); write it as a .md file"
        )
    return (
        f"not a Markdown file ('{suffix or 'no extension'}'): the build would skip it without a word; "
        "save the text as a .md file (docs/writing.md), or move the file out of content/"
    )


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
