"""The images plugin's pure modules: where a src leads (never out of content/), the HTML it writes,
the line of each problem, reading pictures (damaged, fake, too large) and the cache (content-keyed,
checked on every read)."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
from PIL import Image

from images import core, files

WIDTHS = [480, 800, 1200]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    (root / "images").mkdir(parents=True)
    (root / "articles").mkdir()
    return root.resolve()


def rewrite(content: Path, html: str, probe=None):
    probe = probe or (lambda path: files.inspect(path, 40_000_000))
    return core.rewrite(html, content, content / "articles" / "a.md", "../../", WIDTHS, "100vw", probe)


def test_images_get_size_lazy_loading_and_srcset_and_missing_alt_is_a_problem(content: Path, tmp_path):
    Image.new("RGB", (1000, 500), "#0b6e4f").save(content / "images" / "stretch.png")
    html = (
        '<p><img alt="A green square" src="{static}/images/stretch.png"></p><h2 id="x">X</h2>'
        '<p><img alt="" src="../images/stretch.png"></p>'
    )
    result = rewrite(content, html)
    first, second = core.IMG_RE.findall(result.html)
    a, b = core.attributes(first), core.attributes(second)
    assert (a["width"], a["height"], a["loading"]) == ("1000", "500", "eager")  # above the fold
    assert b["loading"] == "lazy"
    assert a["srcset"] == (
        "../../images/stretch-480w.png 480w, ../../images/stretch-800w.png 800w, "
        "../../images/stretch-1000w.png 1000w"
    )
    assert [v.save_as for v in result.variants][:2] == [
        "images/stretch-480w.webp",
        "images/stretch-800w.webp",
    ]
    (problem,) = result.problems
    assert problem.src == "../images/stretch.png" and "has no alt text" in problem.message
    assert "![What the photo shows](../images/stretch.png)" in problem.message
    out = files.write_variant(result.variants[0], tmp_path / "output", files.Store(tmp_path / "cache"))
    assert Image.open(out).size == (480, 240)
    assert "srcset" not in core.strip_responsive(result.html)


def test_a_path_out_of_content_is_refused_directly_or_through_a_symbolic_link(content: Path, tmp_path):
    outside = tmp_path / "outside" / "dir"
    outside.mkdir(parents=True)
    Image.new("RGB", (1600, 900), "red").save(outside / "pic.png")
    (content / "images" / "link.png").symlink_to(outside / "pic.png")
    (content / "images" / "ok.png").symlink_to(content / "images" / "real.png")  # inside: fine
    Image.new("RGB", (600, 300), "blue").save(content / "images" / "real.png")
    source = content / "articles" / "a.md"
    for src in ("../../outside/dir/pic.png", "{static}/../../outside/dir/pic.png", "/../../outside/pic.png"):
        assert core.resolve(src, content, source).kind == "outside", src
    assert core.resolve("{static}/images/link.png", content, source).kind == "link-outside"
    assert core.resolve("%2E%2E/%2E%2E/outside/dir/pic.png", content, source).kind == "outside"
    assert core.resolve("{static}/images/ok.png", content, source).kind == "ok"
    assert core.resolve("https://example.org/x.png", content, source).kind == "remote"

    html = '<img alt="x" src="../../outside/dir/pic.png"><img alt="y" src="{static}/images/link.png">'
    result = rewrite(content, html)
    assert result.variants == []  # nothing to write, anywhere
    assert [p.message.split(":")[0] for p in result.problems] == [
        "image '../../outside/dir/pic.png' is outside content/",
        "image '{static}/images/link.png' is a symbolic link to a file outside content/",
    ]
    assert core.bad_paths(html, content, source) == {"../outside/dir/pic.png", "images/link.png"}
    assert 'src="/images/link.png"' in result.html  # not {static}: Pelican does not look for it


def test_a_missing_image_is_one_problem_with_a_guess(content: Path):
    Image.new("RGB", (100, 50), "red").save(content / "images" / "foo.jpeg")
    result = rewrite(content, '<img alt="A red thing" src="{static}/images/foo.jpg">')
    assert [p.message for p in result.problems] == [
        "image 'images/foo.jpg' not found in content/images/ (did you mean 'images/foo.jpeg'?)"
    ]
    result = rewrite(content, '<img alt="A red thing" src="images/Foo.jpeg">')
    assert [p.message for p in result.problems] == [
        "image 'articles/images/Foo.jpeg' not found in content/articles/images/ "
        "(did you mean 'images/foo.jpeg'?); write it as {static}/images/foo.jpeg"
    ]
    result = rewrite(content, '<img alt="A cat" src="{static}/images/cat.png">')
    assert result.problems[0].message == (
        "image 'images/cat.png' not found in content/images/; put the file in content/images/ and "
        "write ![What the photo shows]({static}/images/NAME.jpg)"
    )


def test_each_problem_names_the_line_of_its_own_use():
    text = "Title: x\n\n![](../images/a.jpg)\n\n![](images/a.jpg)\n\n![](images/a.jpg) ![](images/a.jpg)\n"
    assert core.line_of_use(text, "images/a.jpg", 0) == 5  # not the tail of ../images/a.jpg on line 3
    assert core.line_of_use(text, "images/a.jpg", 1) == 7
    assert core.line_of_use(text, "images/a.jpg", 2) == 7
    assert core.line_of_use(text, "../images/a.jpg", 0) == 3
    assert core.line_of_use("x\n![](b.png)\n", "{static}/images/b.png", 0) == 2  # by its file name
    card = "```exercise\nname: X\nphoto: images/brige.jpg | A bridge\n"  # an exercise card's photo
    assert core.line_of_use(card, "{static}/images/brige.jpg", 0) == 3
    assert core.line_of_use("x\nphoto: ../../out/pic.png | A\n", "{static}/../../out/pic.png", 0) == 2


def png_file(path: Path, size=(64, 32), colour="red") -> Path:
    """A real PNG; stored without compression, so two colours of one size have one file size."""
    Image.new("RGB", size, colour).save(path, compress_level=0)
    return path


def test_a_damaged_or_fake_picture_cannot_be_read(tmp_path: Path):
    good = png_file(tmp_path / "good.png", (800, 600))
    data = good.read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    (tmp_path / "text.png").write_text("this is not a picture\n")
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / "bad.svg").write_text("<html>no svg here</html>")
    assert files.inspect(good, 40_000_000) == (800, 600)
    for name in ("cut.png", "text.png", "empty.jpg", "bad.svg"):
        with pytest.raises(core.Unreadable, match="cannot be read as an"):
            files.inspect(tmp_path / name, 40_000_000)


def test_the_pixel_limit_is_ours_and_pillow_never_warns(tmp_path: Path):
    # A tiny file whose header claims 20000 × 20000 pixels: Pillow's own check would warn or raise.
    import struct
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100))
        + chunk(b"IEND", b"")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any DecompressionBombWarning fails the test
        with pytest.raises(core.Unreadable, match=r"20000×20000 pixels \(400.0 megapixels\), more than"):
            files.inspect(bomb, 40_000_000)
        with pytest.raises(core.Unreadable, match="more than IMAGES_MAX_PIXELS"):
            files.inspect(png_file(tmp_path / "p.png", (100, 100)), 9_999)
    assert Image.MAX_IMAGE_PIXELS is not None  # Pillow's setting is left as it was


def test_cache_entries_are_keyed_by_content_not_size_and_date(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    red = png_file(tmp_path / "a" / "pic.png", (1000, 500), "red")
    blue = png_file(tmp_path / "b" / "pic.png", (1000, 500), "blue")
    assert red.stat().st_size == blue.stat().st_size
    os.utime(blue, ns=(red.stat().st_atime_ns, red.stat().st_mtime_ns))
    store = files.Store(tmp_path / "cache")
    for source, colour in ((red, (255, 0, 0)), (blue, (0, 0, 255))):
        variant = core.Variant(source, f"{source.parent.name}/pic-480w.png", 480)
        out = files.write_variant(variant, tmp_path / "out", store)
        assert Image.open(out).convert("RGB").getpixel((10, 10)) == colour
    # A second build (a new store) reads them back from the cache, each its own colour.
    store = files.Store(tmp_path / "cache")
    out = files.write_variant(core.Variant(blue, "b/pic-480w.png", 480), tmp_path / "out2", store)
    assert Image.open(out).convert("RGB").getpixel((10, 10)) == (0, 0, 255)
    assert store.damaged == []


def test_a_damaged_cache_entry_is_discarded_and_made_again(tmp_path: Path):
    source = png_file(tmp_path / "pic.png", (1000, 500), "green")
    variant = core.Variant(source, "pic-480w.png", 480)
    files.write_variant(variant, tmp_path / "out", files.Store(tmp_path / "cache"))
    (entry,) = (tmp_path / "cache").glob("*-480w.png")
    good = entry.read_bytes()
    for damage in (b"", good[: len(good) // 2], good[:-1] + b"\x00"):
        entry.write_bytes(damage)
        store = files.Store(tmp_path / "cache")
        out = files.write_variant(variant, tmp_path / "out", store)
        assert store.damaged == [entry]
        assert out.stat().st_size > 0 and Image.open(out).size == (480, 240)
        Image.open(out).load()
        assert entry.read_bytes() == out.read_bytes()  # repaired
    (record,) = (tmp_path / "cache").glob("*.json")
    record.write_text("{not json")
    store = files.Store(tmp_path / "cache")
    assert store.size(source) == (1000, 500) and store.damaged == [record]


def test_ignore_cache_never_reads_an_entry(tmp_path: Path):
    source = png_file(tmp_path / "pic.png", (1000, 500), "green")
    variant = core.Variant(source, "pic-480w.png", 480)
    files.write_variant(variant, tmp_path / "out", files.Store(tmp_path / "cache"))
    (entry,) = (tmp_path / "cache").glob("*-480w.png")
    entry.write_bytes(b"")
    store = files.Store(tmp_path / "cache", load=False)
    out = files.write_variant(variant, tmp_path / "out", store)
    assert store.damaged == [] and Image.open(out).size == (480, 240)


def test_a_copy_is_never_written_outside_the_output_folder(tmp_path: Path):
    source = png_file(tmp_path / "pic.png", (1000, 500))
    with pytest.raises(ValueError, match="outside the output folder"):
        files.write_variant(core.Variant(source, "../pic-480w.png", 480), tmp_path / "out", files.Store(None))
    assert not (tmp_path / "pic-480w.png").exists()


def test_bad_settings_are_named():
    from images.settings import SETTINGS
    from settings_schema.core import check

    assert check({}, SETTINGS) == []
    bad = {"IMAGES_WIDTHS": [480, "800"], "IMAGES_MAX_PIXELS": -1, "IMAGES_SIZES": ""}
    assert [p.name for p in check(bad, SETTINGS)] == ["IMAGES_WIDTHS", "IMAGES_SIZES", "IMAGES_MAX_PIXELS"]


def test_a_copy_may_not_replace_another_picture_of_the_content(content: Path):
    Image.new("RGB", (1000, 500), "red").save(content / "images" / "pic.png")
    Image.new("RGB", (480, 240), "blue").save(content / "images" / "pic-480w.png")
    result = rewrite(content, '<img alt="A red square" src="{static}/images/pic.png">')
    assert result.variants == [] and "srcset" not in result.html
    assert [p.message for p in result.problems] == [
        "image 'images/pic.png' gets resized copies named like images/pic-480w.png, but "
        "content/images/pic-480w.png is another file; rename that file (not ending in -NNNw)"
    ]


def test_a_phone_photo_stored_sideways_keeps_its_shape(tmp_path: Path):
    photo = tmp_path / "phone.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° to show: stored 1000 × 600, seen 600 × 1000
    Image.new("RGB", (1000, 600), "green").save(photo, exif=exif)
    assert files.inspect(photo, 40_000_000) == (600, 1000)
    out = files.write_variant(core.Variant(photo, "phone-480w.jpg", 480), tmp_path / "out", files.Store(None))
    assert Image.open(out).size == (480, 800)


def test_a_static_picture_linked_from_outside_is_named(content: Path, tmp_path):
    (tmp_path / "secret.txt").write_text("secret")
    (content / "images" / "holiday.png").symlink_to(tmp_path / "secret.txt")
    png_file(content / "images" / "real.png")
    (content / "notes.txt").symlink_to(tmp_path / "secret.txt")  # not a picture: not this plugin's
    assert "symbolic link to a file outside content/" in core.outside_static_file(
        str(content / "images" / "holiday.png"), content, "content"
    )
    assert core.outside_static_file(str(content / "images" / "real.png"), content, "content") is None
    assert core.outside_static_file(str(content / "notes.txt"), content, "content") is None
