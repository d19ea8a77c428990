"""Reading pictures and keeping their resized copies: Pillow and the image cache, no Pelican.

Every cache entry is named after the SHA-256 of the original's bytes (and the copy's width), never
its size or date, so two different files can never share an entry; every entry is checked when it
is read (a copy against the SHA-256 recorded when it was made) and a damaged one is made again.

    <cache>/<sha256>.json             {"size": [w, h], "copies": {"480.webp": "<sha256 of the copy>"}}
    <cache>/<sha256>-480w.<fmt>       the copy 480 px wide in that format

Every copy is made from the decoded pixels only, turned upright by its EXIF orientation: no EXIF,
GPS, XMP, comment or colour profile of the original is ever written into a copy (a phone photo
taken in a patient's home carries its location).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .core import Unreadable, Variant, fallback_format

#: Pillow's encoder and its options for each copy format (`Variant.fmt`).
_ENCODERS = {
    "jpeg": ("JPEG", {"quality": 78, "optimize": True, "progressive": True}),
    "png": ("PNG", {"compress_level": 7}),  # optimize=True: 2-3x the time for a few % fewer bytes
    "webp": ("WEBP", {"quality": 72, "method": 4}),
    "avif": ("AVIF", {"quality": 55, "speed": 8}),
}
_heif_ready = False


def _register_heif() -> None:
    """HEIC/HEIF (iPhone photos) through pillow-heif, registered once, when first needed."""
    global _heif_ready
    if not _heif_ready:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_ready = True


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


@contextmanager
def _pillow():
    """Pillow with its decompression-bomb check off: :func:`inspect` applies IMAGES_MAX_PIXELS itself
    (from the header, before decoding), with a message for people instead of a warning or traceback."""
    from PIL import Image

    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        yield Image
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def inspect(path: Path, max_pixels: int) -> tuple[int, int]:
    """(width, height) of the picture at `path`, decoded in full; :class:`Unreadable` if it is not one."""
    if path.suffix.lower() == ".svg":
        return svg_size(path)
    if path.suffix.lower() in (".heic", ".heif"):
        _register_heif()
    try:
        with _pillow() as Image, Image.open(path) as image:
            width, height = image.size
            frames = _frames(image)
            if frames > 1:
                raise Unreadable(
                    f"is an animation of {frames:,} frames: its resized copies would show only the first "
                    "one; export a still picture, or show it as a video with [[video: ...]]"
                )
            if width * height > max_pixels:
                raise Unreadable(
                    f"is {width}×{height} pixels ({width * height / 1e6:.1f} megapixels), more than "
                    f"IMAGES_MAX_PIXELS ({max_pixels / 1e6:g} megapixels); export it smaller "
                    "(2400 pixels wide is plenty for a web page)"
                )
            image.load()  # a truncated or damaged file fails here, not half-way through a build
            if _turned(image):  # a phone photo stored sideways: browsers show it turned upright
                width, height = height, width
    except Unreadable:
        raise
    except Exception as exc:  # Pillow raises many kinds (OSError, SyntaxError, ValueError ...)
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise Unreadable(
            f"cannot be read as an image ({detail}); export it again as JPEG or PNG from your photo app"
        ) from None
    return width, height


def _frames(image) -> int:
    """Frames an animated PNG or WebP declares in its header (never decoded: a header may claim
    millions); 1 for a still picture (and for GIF, which is never resized)."""
    if image.format not in ("PNG", "WEBP"):
        return 1
    try:
        return int(getattr(image, "n_frames", 1) or 1)
    except Exception:
        return 1


def _turned(image) -> bool:
    """EXIF orientation 5-8: width and height are the other way round on screen."""
    try:
        return image.getexif().get(0x0112) in (5, 6, 7, 8)
    except Exception:  # unreadable EXIF: shown as stored
        return False


def svg_size(path: Path) -> tuple[int, int]:
    import re

    from .core import attributes

    with open(path, "rb") as fh:
        head = fh.read(16_000).decode("utf-8", errors="replace")
    svg = re.search(r"<svg\b[^>]*>", head)
    if svg:
        attrs = attributes(svg.group(0))
        try:
            return int(float(attrs["width"])), int(float(attrs["height"]))
        except (KeyError, TypeError, ValueError):
            box = (attrs.get("viewbox") or "").replace(",", " ").split()
            try:
                if len(box) == 4 and float(box[2]) > 0 and float(box[3]) > 0:
                    return int(float(box[2])), int(float(box[3]))
            except ValueError:
                pass
    raise Unreadable(
        "cannot be read as an SVG image: no <svg> element with width and height or a viewBox "
        "at its start; export it again, or use a PNG"
    )


def _upright_pixels(image, Image):
    """The decoded pixels, turned upright by a valid EXIF orientation (a bogus one: as stored), in
    a fresh image that carries no metadata at all (no `info`: EXIF, XMP, ICC, comments)."""
    from PIL import ImageOps

    image.load()
    try:
        upright = ImageOps.exif_transpose(image)  # an unknown orientation (0, 9, text): as stored
    except Exception:  # a damaged EXIF block: shown as stored
        upright = image
    mode = "RGBA" if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info else "RGB"
    pixels = upright.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    clean.info = {}
    return clean


def resize(source: Path, width: int, fmt: str | None = None) -> bytes:
    """The picture at `source` made `width` pixels wide (upright, no metadata), encoded as `fmt`
    (one of _ENCODERS; default: the fallback format for the original)."""
    if source.suffix.lower() in (".heic", ".heif"):
        _register_heif()
    with _pillow() as Image, Image.open(source) as image:  # its size was checked by inspect()
        upright = _upright_pixels(image, Image)
        fmt = fmt or fallback_format(source.name)
        if fmt == "jpeg" and upright.mode == "RGBA":
            upright = upright.convert("RGB")
        height = max(1, round(upright.height * width / upright.width))
        resized = (
            upright.resize((width, height), Image.Resampling.LANCZOS) if width != upright.width else upright
        )
        resized.info = {}
        encoder, options = _ENCODERS[fmt]
        out = io.BytesIO()
        resized.save(out, format=encoder, **options)
    data = out.getvalue()
    if not data:
        raise Unreadable("could not be resized: the encoder wrote nothing")
    return data


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class Store:
    """One build's view of the pictures: sizes and copies, from the cache when it can be trusted.

    `cache` is None for no cache; `load` False (``--ignore-cache``) writes fresh entries but never
    reads one. `damaged` lists the cache entries found damaged and replaced (for one warning).
    """

    cache: Path | None
    load: bool = True
    max_pixels: int = 40_000_000
    damaged: list[Path] = field(default_factory=list)
    _digests: dict[Path, str] = field(default_factory=dict)
    _records: dict[str, dict] = field(default_factory=dict)

    def digest_of(self, path: Path) -> str:
        if path not in self._digests:
            try:
                self._digests[path] = file_digest(path)
            except OSError as exc:
                raise Unreadable(f"cannot be read ({exc.strerror or exc})") from None
        return self._digests[path]

    def _record_path(self, key: str) -> Path:
        return self.cache / f"{key}.json"

    def _record(self, key: str) -> dict | None:
        if key in self._records:
            return self._records[key]
        record = None
        if self.cache and self.load:
            path = self._record_path(key)
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
                w, h = record["size"]
                copies = record["copies"]
                if not (
                    isinstance(w, int) and isinstance(h, int) and w > 0 and h > 0 and isinstance(copies, dict)
                ):
                    raise ValueError("bad record")
            except FileNotFoundError:
                record = None
            except (OSError, ValueError, KeyError, TypeError):
                self.damaged.append(path)
                record = None
        if record is not None:
            self._records[key] = record
        return record

    def _save(self, key: str, record: dict) -> None:
        self._records[key] = record
        if self.cache:
            _write_atomically(self._record_path(key), json.dumps(record, sort_keys=True).encode())

    def size(self, path: Path) -> tuple[int, int]:
        """The picture's (width, height), checked once per content (decoded in full on a cache miss)."""
        key = self.digest_of(path)
        record = self._record(key)
        if record is None:
            record = {"size": list(inspect(path, self.max_pixels)), "copies": {}}
            self._save(key, record)
        width, height = record["size"]
        if width * height > self.max_pixels:  # the limit may have been lowered since
            inspect(path, self.max_pixels)
        return width, height

    def copy(self, variant: Variant) -> bytes:
        """The bytes of the resized copy: from the cache if it is intact, else made (and kept)."""
        key = self.digest_of(variant.source)
        self.size(variant.source)
        record = self._records[key]
        fmt = variant.fmt or fallback_format(variant.save_as)
        name = f"{variant.width}.{fmt}"
        entry = self.cache / f"{key}-{variant.width}w.{fmt}" if self.cache else None
        expected = record["copies"].get(name)
        if entry and self.load and expected:
            try:
                data = entry.read_bytes()
            except OSError:
                data = b""
            if data and digest(data) == expected:
                return data
            self.damaged.append(entry)
        data = resize(variant.source, variant.width, fmt)
        if entry:
            _write_atomically(entry, data)
            record = {**record, "copies": {**record["copies"], name: digest(data)}}
            self._save(key, record)
        return data


def write_variant(variant: Variant, output: Path, store: Store) -> Path:
    """Write one resized copy into `output` (only there: a save_as leading out of it is refused)."""
    target = (output / variant.save_as).resolve()
    if not target.is_relative_to(output.resolve()):
        raise ValueError(f"refusing to write {variant.save_as!r} outside the output folder")
    data = store.copy(variant)
    if not data:  # never ship an empty file
        raise Unreadable("could not be resized: the copy is empty")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target
