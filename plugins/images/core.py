"""Content images: alt text required, intrinsic width/height, lazy loading below the fold, responsive sizes.

Pure Python, no Pelican and no Pillow here (``files`` reads the pictures). :func:`resolve` finds the
file an ``<img src>`` means, inside the content folder only; :func:`rewrite` takes a page's HTML and
returns it with every ``<img>`` completed, the resized copies to write, and one problem per fault.
"""

from __future__ import annotations

import difflib
import html
import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

#: Pictures published only as resized copies (upright, without metadata); HEIC: iPhone photos.
RESIZABLE = (".png", ".jpg", ".jpeg", ".webp", ".heic", ".heif")
PICTURES = (*RESIZABLE, ".gif", ".svg", ".avif")  # what "did you mean" looks for
IMG_RE = re.compile(r"<img\b[^>]*>", re.I)
FIGURE_RE = re.compile(r"<p>\s*(<img\b[^>]*>)\s*</p>", re.I)
VIDEO_RE = re.compile(r"<video\b[^>]*\bposter=[^>]*>", re.I)
MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
PHONE_2X = 686  # device pixels of the text column on a 375 px phone at 2x (375 - 2 x 16 CSS px)
DECORATIVE = "decorative"  # ![](x.jpg){: .decorative}: no alt text on purpose
_LINK_PREFIX = re.compile(r"^[{|](static|attach|filename)[}|]")
_ABOVE_FOLD_RE = re.compile(r"<h2\b", re.I)
BAD = ("outside", "link-outside", "missing")  # kinds of Resolved that Pelican must not look for
EXAMPLE = "![What the photo shows]({static}/images/NAME.jpg)"


class Unreadable(Exception):
    """A file that is not a picture this site can use; the message says why, for the writer."""


@dataclass(frozen=True)
class Variant:
    source: Path  # the original file (inside the content folder)
    save_as: str  # where the copy goes, relative to the output folder (never outside it)
    width: int
    fmt: str = ""  # one of MIME's keys ("": the fallback format for save_as)


@dataclass(frozen=True)
class Problem:
    src: str  # the src as written, to find the line by
    nth: int  # which use of that src in the page (0: the first), for the line
    message: str


@dataclass
class Result:
    html: str
    variants: list[Variant] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    used: set[Path] = field(default_factory=set)  # the pictures the page shows (only their copies ship)


@dataclass(frozen=True)
class Resolved:
    """Where a src leads: `remote` (another site, data:), `ok`, `missing`, `outside` the content, or
    `link-outside` (a symbolic link in the content to a file outside it)."""

    kind: str
    rel: str = ""  # relative to the content folder, normalised
    file: Path | None = None  # the real file (ok only)
    static_link: bool = False  # written with {static}/{attach}/{filename}


def attributes(tag: str) -> dict[str, str | None]:
    """The attributes of one start tag, unescaped, in order."""
    from html.parser import HTMLParser

    found: dict[str, str | None] = {}

    class _P(HTMLParser):
        def handle_starttag(self, name, attrs):
            found.update(attrs)

        handle_startendtag = handle_starttag

    _P(convert_charrefs=True).feed(tag)
    return found


def tag(attrs: dict[str, str | None]) -> str:
    parts = [name if value is None else f'{name}="{html.escape(value)}"' for name, value in attrs.items()]
    return "<img " + " ".join(parts) + ">"


def resolve(src: str, content_path: Path, source_path: Path) -> Resolved:
    """The file `src` (as written in the page at `source_path`) means, confined to `content_path`.

    `content_path` must be resolved (no symlinks). A path that leaves the content folder is
    `outside` (``../../x.png``) or `link-outside` (a symbolic link in it leads out): nothing outside
    the content is read.
    """
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.I):
        return Resolved("remote")  # another site, or a data: URL
    static_link = bool(_LINK_PREFIX.match(src))
    path = _LINK_PREFIX.sub("", src).split("?", 1)[0].split("#", 1)[0]
    rel = _content_relative(unquote(path), content_path, source_path)
    if rel == ".." or rel.startswith("../") or rel.startswith("/"):
        return Resolved("outside", rel, None, static_link)
    real = Path(os.path.realpath(content_path / rel))
    if not real.is_relative_to(content_path):
        return Resolved("link-outside", rel, None, static_link)
    if not real.is_file():
        return Resolved("missing", rel, None, static_link)
    return Resolved("ok", rel, real, static_link)


def _content_relative(path: str, content_path: Path, source_path: Path) -> str:
    if path.startswith("/"):
        return posixpath.normpath(path.lstrip("/") or ".")
    folder = posixpath.relpath(source_path.parent.as_posix(), content_path.as_posix())
    return posixpath.normpath(posixpath.join(folder, path))


def suggestion(rel: str, content_path: Path) -> str | None:
    """The picture in content the writer probably meant by `rel` (another folder, case, extension)."""
    known: list[str] = []
    for folder, dirs, files in os.walk(content_path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(PICTURES):
                known.append(posixpath.relpath(posixpath.join(Path(folder).as_posix(), name), content_path))
    base = posixpath.basename(rel).lower()
    same_name = [k for k in known if posixpath.basename(k).lower() == base]
    if same_name:
        return same_name[0]
    close = difflib.get_close_matches(rel, known, n=1, cutoff=0.75)
    if close:
        return close[0]
    by_base = {posixpath.basename(k).lower(): k for k in known}
    close = difflib.get_close_matches(base, list(by_base), n=1, cutoff=0.75)
    return by_base[close[0]] if close else None


def not_found_message(rel: str, guess: str | None, content_label: str, written_relative: bool) -> str:
    """`image 'images/x.jpg' not found in content/images/ (did you mean 'images/x.jpeg'?)`."""
    folder = posixpath.dirname(rel)
    where = f"{content_label}/{folder}/" if folder else f"{content_label}/"
    if not guess:
        hint = f"put the file in {content_label}/images/ and write {EXAMPLE}"
        return f"image '{rel}' not found in {where}; {hint}"
    message = f"image '{rel}' not found in {where} (did you mean '{guess}'?)"
    if written_relative:  # a path from the article's folder: show the form that works from anywhere
        message += f"; write it as {{static}}/{guess}"
    return message


def rewrite(
    fragment: str,
    content_path: Path,
    source_path: Path,
    url_prefix: str,
    widths: list[int],
    sizes: str,
    probe: Callable[[Path], tuple[int, int]],
    content_label: str = "content",
    formats: tuple[str, ...] = ("webp",),
) -> Result:
    """Complete every <img> of `fragment`; `url_prefix` leads to the site root ("../../" or SITEURL/).

    `probe(file)` gives a picture's (width, height) or raises :class:`Unreadable`.
    """
    result = Result(fragment)
    fold = _ABOVE_FOLD_RE.search(fragment)
    fold_at = fold.start() if fold else len(fragment)
    first = True
    uses: dict[str, int] = {}

    def complete(match: re.Match) -> str:
        nonlocal first
        attrs = attributes(match.group(0))
        src = attrs.get("src") or ""
        nth = uses.get(src, 0)
        uses[src] = nth + 1

        def problem(message: str) -> None:
            result.problems.append(Problem(src, nth, message))

        classes = (attrs.get("class") or "").split()
        if DECORATIVE in classes:  # no alt text on purpose: screen readers skip it
            attrs["alt"] = ""
            attrs["class"] = " ".join(c for c in classes if c != DECORATIVE) or None
            if attrs["class"] is None:
                del attrs["class"]
        elif not (attrs.get("alt") or "").strip():
            shown = src or "NAME.jpg"
            problem(
                f"the image '{src}' has no alt text: describe what it shows for people who cannot see it, "
                f'as ![What the photo shows]({shown}) (in HTML: alt="What the photo shows"), or mark a '
                f"purely decorative picture as ![]({shown}){{: .decorative}}"
            )
        where = resolve(src, content_path, source_path)
        size = None
        if not src.strip():
            where = Resolved("empty")
            problem(f"an image has no file to show: write {EXAMPLE}")
        elif where.kind in ("outside", "link-outside"):
            how = "is outside" if where.kind == "outside" else "is a symbolic link to a file outside"
            name = posixpath.basename(where.rel) or "NAME.jpg"
            problem(
                f"image '{src}' {how} {content_label}/: a picture must be a file in {content_label}/; copy "
                f"it into {content_label}/images/ and write ![What the photo shows]({{static}}/images/{name})"
            )
        elif where.kind == "missing":
            relative = not (where.static_link or src.startswith("/"))
            guess = suggestion(where.rel, content_path)
            problem(not_found_message(where.rel, guess, content_label, relative))
        elif where.kind == "ok":
            result.used.add(where.file)
            try:
                size = probe(where.file)
            except Unreadable as exc:
                problem(f"image '{where.rel}' ({content_label}/{where.rel}) {exc}")
        elif not (attrs.get("width") and attrs.get("height")):
            problem(
                f"the image '{src}' is on another site and has no width and height: save it in "
                f"{content_label}/images/ and write {EXAMPLE}, or add width and height"
            )
        if where.kind in BAD and where.static_link:  # see bad_paths(): Pelican must not look for it
            attrs["src"] = _LINK_PREFIX.sub("", src)  # (it would only repeat the error, without a line)
        if size and not (attrs.get("width") and attrs.get("height")):
            attrs["width"], attrs["height"] = str(size[0]), str(size[1])
        above_fold = first and match.start() < fold_at
        first = False
        attrs.setdefault("loading", "eager" if above_fold else "lazy")
        attrs.setdefault("decoding", "async")
        if size and where.file.suffix.lower() in RESIZABLE and "srcset" not in attrs:
            copies = copy_widths(size[0], widths)
            fallback = fallback_format(where.rel)
            names = [variant_name(where.rel, w, f) for f in (*formats, fallback) for w in copies]
            taken = [n for n in names if (content_path / n).exists()]
            if taken:  # the copy would replace that file in the output: a different picture shown
                problem(
                    f"image '{where.rel}' gets resized copies named like {taken[0]}, but "
                    f"{content_label}/{taken[0]} is another file; rename that file (not ending in -NNNw)"
                )
                return tag(attrs)
            for fmt in (*formats, fallback):
                for width in copies:
                    result.variants.append(
                        Variant(where.file, variant_name(where.rel, width, fmt), width, fmt)
                    )

            def srcset(fmt: str) -> str:
                return ", ".join(f"{url_prefix}{quote(variant_name(where.rel, w, fmt))} {w}w" for w in copies)

            # src (browsers without srcset): the copy for a phone at 2x, else the largest
            middle = next((w for w in copies if w >= PHONE_2X), copies[-1])
            attrs["src"] = url_prefix + quote(variant_name(where.rel, middle, fallback))
            attrs["srcset"] = srcset(fallback)
            attrs["sizes"] = sizes
            sizes_attr = html.escape(sizes)
            sources = "".join(
                f'<source type="{MIME[fmt]}" srcset="{html.escape(srcset(fmt))}" sizes="{sizes_attr}">'
                for fmt in formats
            )
            return f"<picture>{sources}{tag(attrs)}</picture>"
        return tag(attrs)

    result.html = IMG_RE.sub(complete, FIGURE_RE.sub(_figure, fragment))
    result.html = VIDEO_RE.sub(
        lambda m: _poster(m, result, content_path, source_path, url_prefix, widths, probe, content_label),
        result.html,
    )
    return result


def _figure(match: re.Match) -> str:
    """`![alt](src "Caption")` alone in a paragraph → a figure whose caption is the title."""
    attrs = attributes(match.group(1))
    caption = (attrs.pop("title", None) or "").strip()
    if not caption:
        return match.group(0)
    return f'<figure class="figure">{tag(attrs)}<figcaption>{html.escape(caption)}</figcaption></figure>'


def _poster(match, result, content_path, source_path, url_prefix, widths, probe, content_label) -> str:
    """A <video poster>: one WebP copy (a phone at 2x), its width and height on the video."""
    start = match.group(0)
    attrs = attributes(start.replace("<video", "<img", 1))
    src = attrs.get("poster") or ""
    where = resolve(src, content_path, source_path)
    if where.kind != "ok" or where.file.suffix.lower() not in RESIZABLE:
        result.problems.append(
            Problem(
                src,
                0,
                f"the video poster '{src}' must be a picture in {content_label}/images/ "
                "(.jpg, .png, .webp, .heic)",
            )
        )
        return start
    result.used.add(where.file)
    try:
        size = probe(where.file)
    except Unreadable as exc:
        result.problems.append(Problem(src, 0, f"image '{where.rel}' ({content_label}/{where.rel}) {exc}"))
        return start
    width = next((w for w in copy_widths(size[0], widths) if w >= PHONE_2X), copy_widths(size[0], widths)[-1])
    name = variant_name(where.rel, width, "webp")
    result.variants.append(Variant(where.file, name, width, "webp"))
    attrs["poster"] = url_prefix + quote(name)
    attrs.setdefault("width", str(size[0]))
    attrs.setdefault("height", str(size[1]))
    return tag(attrs).replace("<img", "<video", 1)


def bad_paths(fragment: str, content_path: Path, source_path: Path) -> set[str]:
    """The image paths (relative to content) of `fragment` that are missing or lead out of the content,
    as this module and as Pelican's {static} links spell them."""
    bad = set()
    for match in IMG_RE.finditer(fragment):
        src = attributes(match.group(0)).get("src") or ""
        where = resolve(src, content_path, source_path)
        if where.kind in BAD:
            bad.add(where.rel)  # and as Pelican spells it (only %20 decoded):
            raw = _LINK_PREFIX.sub("", src).split("?", 1)[0].split("#", 1)[0].replace("%20", " ")
            bad.add(_content_relative(raw, content_path, source_path))
    return bad


def line_of_use(text: str, src: str, nth: int) -> int | None:
    """1-based line of the `nth` use (0: first) of `src` in the source `text`, else of its file name."""
    # as written, as a card or video marker writes it (images/x.jpg for {static}/images/x.jpg), by file name
    for needle in (src, _LINK_PREFIX.sub("", src).lstrip("/"), posixpath.basename(src)):
        if not needle:
            continue
        # the whole path, not the tail of a longer one (images/x.jpg inside ../images/x.jpg)
        pattern = re.compile(r"(?<![\w./%-])" + re.escape(needle) + r"(?![\w/%-])")
        seen = 0
        last = None
        for number, line in enumerate(text.splitlines(), 1):
            count = len(pattern.findall(line))
            if count:
                last = number
                if seen + count > nth:
                    return number
                seen += count
        if last:
            return last
    return None


def variant_name(rel: str, width: int, fmt: str | None = None) -> str:
    """`images/IMG 1234.JPG`, 686, webp → `images/IMG 1234-686w.webp` (URLs quote the space)."""
    stem = posixpath.splitext(rel)[0]
    fmt = fmt or fallback_format(rel)
    return f"{stem}-{width}w.{'jpg' if fmt == 'jpeg' else fmt}"


def fallback_format(name: str) -> str:
    """The copy format every browser shows: PNG for a PNG (sharp edges, transparency), else JPEG."""
    return "png" if name.lower().endswith(".png") else "jpeg"


def copy_widths(width: int, widths: list[int]) -> list[int]:
    """The widths of a picture's copies: each setting width below its own, and its own width when
    that is not more than the largest setting (never wider than the largest: the original is never
    published)."""
    copies = [w for w in sorted(set(widths)) if w < width]
    if width <= max(widths):
        copies.append(width)
    return copies


def outside_static_file(source_path: str, content_path: Path, content_label: str) -> str | None:
    """Why Pelican must not copy the picture at `source_path` into the site: a symbolic link out of
    the content (it would publish that file, whatever it is), else None."""
    if not source_path.lower().endswith(PICTURES):
        return None
    if Path(os.path.realpath(source_path)).is_relative_to(content_path):
        return None
    return (
        f"is a symbolic link to a file outside {content_label}/, which the build would copy into the site; "
        "replace the link with the picture itself"
    )


def strip_responsive(fragment: str) -> str:
    """Feeds: drop srcset/sizes and <picture>'s sources (their URLs are relative to the page, which a
    feed reader is not on); the <img> with its fallback copy stays."""
    fragment = re.sub(r"<source\b[^>]*\bsrcset=[^>]*>|</?picture>", "", fragment)
    return re.sub(r'\s(?:srcset|sizes)="[^"]*"', "", fragment)
