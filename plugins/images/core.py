"""Content images: alt text required, intrinsic width/height, lazy loading below the fold, responsive sizes.

Pure Python (Pillow for sizes and resizing). :func:`rewrite` takes a page's HTML and returns it with
every ``<img>`` completed, the resized copies to write, and the problems to report.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

RESIZABLE = (".png", ".jpg", ".jpeg", ".webp")
IMG_RE = re.compile(r"<img\b[^>]*>", re.I)
_LINK_PREFIX = re.compile(r"^[{|](static|attach|filename)[}|]")
_ABOVE_FOLD_RE = re.compile(r"<h2\b", re.I)


@dataclass(frozen=True)
class Variant:
    source: Path  # the original file
    save_as: str  # where the copy goes, relative to the output folder
    width: int


@dataclass
class Result:
    html: str
    variants: list[Variant] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (text to find the line by, message)


def attributes(tag: str) -> dict[str, str | None]:
    """The attributes of one start tag, unescaped, in order."""
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


def source_file(src: str, content_path: Path, source_path: Path) -> tuple[Path, str] | None:
    """(the image file in content/, its path in the output) for a local src, else None."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.I):
        return None  # another site, or a data: URL
    path = _LINK_PREFIX.sub("", src).split("?", 1)[0].split("#", 1)[0]
    if path.startswith("/"):
        rel = path.lstrip("/")
    else:
        folder = posixpath.relpath(source_path.parent.as_posix(), content_path.as_posix())
        rel = posixpath.normpath(posixpath.join(folder, path))
    file = content_path / rel
    return (file, rel) if file.is_file() else None


def image_size(file: Path) -> tuple[int, int] | None:
    if file.suffix.lower() == ".svg":
        return _svg_size(file)
    from PIL import Image

    try:
        with Image.open(file) as image:
            return image.size
    except OSError:
        return None


def _svg_size(file: Path) -> tuple[int, int] | None:
    head = file.read_text(encoding="utf-8", errors="replace")[:2000]
    svg = re.search(r"<svg\b[^>]*>", head)
    if not svg:
        return None
    attrs = attributes(svg.group(0))
    try:
        return int(float(attrs["width"])), int(float(attrs["height"]))
    except (KeyError, TypeError, ValueError):
        box = (attrs.get("viewbox") or "").split()
        return (int(float(box[2])), int(float(box[3]))) if len(box) == 4 else None


def variant_name(rel: str, width: int) -> str:
    stem, ext = posixpath.splitext(rel)
    return f"{stem}-{width}w{ext}"


def rewrite(
    fragment: str,
    content_path: Path,
    source_path: Path,
    url_prefix: str,
    widths: list[int],
    sizes: str,
) -> Result:
    """Complete every <img> of `fragment`; `url_prefix` leads to the site root ("../../" or SITEURL/)."""
    result = Result(fragment)
    fold = _ABOVE_FOLD_RE.search(fragment)
    fold_at = fold.start() if fold else len(fragment)
    first = True

    def complete(match: re.Match) -> str:
        nonlocal first
        attrs = attributes(match.group(0))
        src = attrs.get("src") or ""
        where = posixpath.basename(src) or match.group(0)
        if not (attrs.get("alt") or "").strip():
            result.problems.append(
                (
                    where,
                    f"the image '{src}' has no alt text: describe what it shows for people who cannot "
                    'see it, as ![a runner stretching her calf](...) or alt="..."',
                )
            )
        found = source_file(src, content_path, source_path)
        size = image_size(found[0]) if found else None
        if size and not (attrs.get("width") and attrs.get("height")):
            attrs["width"], attrs["height"] = str(size[0]), str(size[1])
        elif not found and not (attrs.get("width") and attrs.get("height")):
            result.problems.append(
                (where, f"the image '{src}' has no width and height and is not a local file")
            )
        above_fold = first and match.start() < fold_at
        first = False
        attrs.setdefault("loading", "eager" if above_fold else "lazy")
        attrs.setdefault("decoding", "async")
        if found and size and found[0].suffix.lower() in RESIZABLE and "srcset" not in attrs:
            file, rel = found
            smaller = [w for w in sorted(set(widths)) if w < size[0]]
            if smaller:
                for width in smaller:
                    result.variants.append(Variant(file, variant_name(rel, width), width))
                candidates = [f"{url_prefix}{variant_name(rel, w)} {w}w" for w in smaller]
                attrs["srcset"] = ", ".join([*candidates, f"{url_prefix}{rel} {size[0]}w"])
                attrs["sizes"] = sizes
        return tag(attrs)

    result.html = IMG_RE.sub(complete, fragment)
    return result


def write_variant(variant: Variant, output: Path, cache: Path | None) -> Path:
    """Write one resized copy into `output` (reusing a cached copy made from the same file)."""
    from PIL import Image

    target = output / variant.save_as
    target.parent.mkdir(parents=True, exist_ok=True)
    stat = variant.source.stat()
    cached = None
    if cache:
        cached = cache / f"{stat.st_size}-{int(stat.st_mtime)}-{variant.width}-{variant.source.name}"
        if cached.is_file():
            target.write_bytes(cached.read_bytes())
            return target
    with Image.open(variant.source) as image:
        height = round(image.height * variant.width / image.width)
        resized = image.resize((variant.width, height), Image.Resampling.LANCZOS)
        resized.save(target, optimize=True)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(target.read_bytes())
    return target


def strip_responsive(fragment: str) -> str:
    """Feeds: drop srcset/sizes (their URLs are relative to the page, which a feed reader is not on)."""
    return re.sub(r'\s(?:srcset|sizes)="[^"]*"', "", fragment)
