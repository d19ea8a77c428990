"""Phone photos as a writer drops them in: a file name with a space and an upper-case `.JPG`, EXIF
GPS and orientation 6 (stored sideways), a HEIC, a PNG, an unused photo. One real build; the
published copies must be upright, carry no EXIF/GPS/XMP, and the original must never be published."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import copy_project, run_build

HEADER = (
    "Title: Phone photos\nDate: 2025-03-01\nCategory: Back pain\nAuthor: alex-example\n"
    "Reviewed_by: sam-sample\nReviewed: 2026-11-02\nSummary: Phone photos.\n\n"
)
GPS = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description GPSLatitude="51,30.2N"/></x:xmpmeta>'
PAGE = "articles/phone-photos/index.html"


def sideways_phone_photo(width: int = 1600, height: int = 1200) -> bytes:
    """A JPEG stored sideways (orientation 6: turn 90° clockwise to show it) with GPS and XMP:
    red at the stored top edge, so the upright picture is red on its right edge."""
    image = Image.new("RGB", (width, height), (30, 30, 200))
    image.paste((220, 20, 20), (0, 0, width, height // 6))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update(GPS)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), xmp=XMP, quality=90)
    return out.getvalue()


def metadata(path: Path) -> dict:
    with Image.open(path) as image:
        image.load()
        return {
            "exif": dict(image.getexif()),
            "gps": dict(image.getexif().get_ifd(0x8825)),
            "info": {
                k for k in image.info if k in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment")
            },
            "size": image.size,
            "right": image.convert("RGB").getpixel((image.width - 2, image.height // 2)),
            "left": image.convert("RGB").getpixel((1, image.height // 2)),
        }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("photos") / "project")
    images = project / "content" / "images"
    images.mkdir(exist_ok=True)
    (images / "IMG 1234.JPG").write_bytes(sideways_phone_photo())
    (images / "unused photo.jpeg").write_bytes(sideways_phone_photo(800, 600))
    small = io.BytesIO()
    Image.new("RGB", (300, 200), (20, 160, 20)).save(small, "PNG")
    (images / "diagram.png").write_bytes(small.getvalue())
    from pillow_heif import register_heif_opener

    register_heif_opener()
    heic = io.BytesIO()
    Image.new("RGB", (900, 600), (200, 200, 20)).save(heic, "HEIF")
    (images / "IMG_0002.HEIC").write_bytes(heic.getvalue())
    (project / "content" / "articles" / "2025-03-01-phone.md").write_text(
        HEADER + '![A bridge exercise, side view](<{static}/images/IMG 1234.JPG> "Lift your hips")\n\n'
        "## Below\n\n![]({static}/images/diagram.png){: .decorative}\n\n"
        "![A yellow square]({static}/images/IMG_0002.HEIC)\n",
        encoding="utf-8",
    )
    result = run_build(project, project / "output", "--ignore-cache")
    assert result.returncode == 0, result.stderr
    return result


def copies(output: Path) -> list[Path]:
    return sorted(p for p in (output / "images").rglob("*") if p.is_file())


def test_published_copies_are_upright_and_carry_no_exif_gps_or_xmp(built):
    published = copies(built.output)
    assert published, "no copies written"
    for path in published:
        found = metadata(path)
        assert found["exif"] == {} and found["gps"] == {} and not found["info"], (path.name, found)
        assert b"PhoneMaker" not in path.read_bytes() and b"GPSLatitude" not in path.read_bytes(), path
    for path in (p for p in published if p.name.startswith(("IMG 1234", "unused"))):
        found = metadata(path)
        width, height = found["size"]
        assert height > width, f"{path.name} is still sideways: {found['size']}"
        red, blue = found["right"], found["left"]
        assert red[0] > 150 and red[2] < 100, f"{path.name}: not turned upright (right edge {red})"
        assert blue[2] > 150, f"{path.name}: left edge {blue}"


def test_the_originals_are_never_published_and_names_with_spaces_work(built):
    names = [p.relative_to(built.output / "images").as_posix() for p in copies(built.output)]
    assert "IMG 1234.JPG" not in names and "IMG_0002.HEIC" not in names
    # sideways 1600x1200 is 1200 wide upright: copies at each width below, and its own width
    assert {n for n in names if n.startswith("IMG 1234")} == {
        f"IMG 1234-{w}w.{ext}" for w in (343, 686, 1008, 1200) for ext in ("jpg", "webp")
    }
    assert "unused photo.jpeg" in names  # a photo no page shows: one stripped copy, same name
    html = built.page(PAGE)
    assert "IMG%201234-686w.webp 686w" in html and "IMG 1234.JPG" not in html and "IMG%201234.JPG" not in html
    assert re.search(
        r'<figure class="figure"><picture><source type="image/webp" srcset="[^"]+" sizes="[^"]+">'
        r'<img [^>]*alt="A bridge exercise, side view"',
        html,
    ), html
    assert "<figcaption>Lift your hips</figcaption></figure>" in html
    assert 'width="1200" height="1600"' in html
    assert re.search(r'<img alt="" src="[^"]*diagram-300w.png"', html), "decorative image"
    assert "IMG_0002-686w.jpg" in html and "IMG_0002-686w.webp" in html


def test_a_phone_at_2x_never_gets_more_than_the_column_it_paints(built, capsys):
    for path in copies(built.output):
        with Image.open(path) as image:
            assert image.width <= 1344, path
    sizes = {p.name: p.stat().st_size for p in copies(built.output)}
    with capsys.disabled():
        print("\n  bytes of each copy: " + ", ".join(f"{n} {b:,}" for n, b in sizes.items()))
    assert sizes["IMG 1234-686w.webp"] < sizes["IMG 1234-686w.jpg"]


def test_avif_and_webp_are_offered_best_first_and_carry_no_metadata(tmp_path):
    from images import core, files

    content = (tmp_path / "content").resolve()
    (content / "images").mkdir(parents=True)
    (content / "images" / "IMG 9.jpeg").write_bytes(sideways_phone_photo(1000, 750))
    result = core.rewrite(
        '<p><img alt="A bridge" src="{static}/images/IMG 9.jpeg"></p>',
        content,
        content / "articles" / "a.md",
        "../../",
        [343, 686],
        "100vw",
        lambda path: files.inspect(path, 40_000_000),
        formats=("avif", "webp"),
    )
    assert result.problems == []
    types = re.findall(r'<source type="([^"]+)"', result.html)
    assert types == ["image/avif", "image/webp"]
    assert 'src="../../images/IMG%209-686w.jpg"' in result.html  # the fallback, for a phone at 2x
    avif = next(v for v in result.variants if v.fmt == "avif" and v.width == 686)
    out = files.write_variant(avif, tmp_path / "output", files.Store(None))
    found = metadata(out)
    assert found["exif"] == {} and found["gps"] == {} and found["size"] == (686, 915)
