"""Hostile pictures: paths out of content/, symbolic links, damaged and fake files, decompression
bombs, missing files and missing alt text. Each is refused with one error naming the article's
line, nothing is written outside the build's own output, and Pelican's own lines do not repeat it."""

from __future__ import annotations

import struct
import zlib

from tests.hostile.harness import png_bytes

HEADER = (
    "Title: Pictures\nDate: 2025-03-01\nCategory: Back pain\nAuthor: alex-example\n"
    "Reviewed_by: sam-sample\nReviewed: 2026-11-02\nSummary: Pictures.\n\n"
)
BODY_LINE = HEADER.count("\n") + 1  # the first line of the text
ARTICLE = "content/articles/2025-03-01-hostile.md"


def picture_article(box, *lines: str) -> None:
    """An article whose text is `lines`, one paragraph each: line i is BODY_LINE + 2 * i."""
    box.article(HEADER + "\n\n".join(lines) + "\n")


def errors(result) -> list[str]:
    return [ln for ln in result.stderr.splitlines() if ": error: " in ln]


def bomb_png(width: int, height: int) -> bytes:
    """A few bytes whose header claims width × height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_path_out_of_content_writes_nothing_beside_the_original(box):
    assert (box.outside / "dir" / "pic.png").is_file()
    picture_article(box, "Text.", "![A picture from elsewhere](../../../outside/dir/pic.png)")
    result = box.rejects(ARTICLE, BODY_LINE + 2, "image '../../../outside/dir/pic.png' is outside content/")
    assert "copy it into content/images/" in result.stderr
    assert sorted(p.name for p in (box.outside / "dir").iterdir()) == ["pic.png"]


def test_a_failing_build_writes_no_copies_outside_either(box):
    # The old plugin wrote pic-480w.png beside the original even when another error failed the build.
    picture_article(box, "![A picture](../../../outside/dir/pic.png) ![](../../../outside/dir/pic.png)")
    box.rejects(ARTICLE, BODY_LINE, "has no alt text")
    assert sorted(p.name for p in (box.outside / "dir").iterdir()) == ["pic.png"]


def test_a_static_path_out_of_content_is_refused_and_not_copied(box):
    picture_article(box, "![A picture from elsewhere]({static}/../../outside/dir/pic.png)")
    result = box.rejects(ARTICLE, BODY_LINE, "is outside content/")
    assert len(errors(result)) == 1, errors(result)  # Pelican's "Unable to find" does not repeat it


def test_a_symbolic_link_out_of_content_is_refused(box):
    (box.project / "content" / "images").mkdir(exist_ok=True)
    (box.project / "content" / "images" / "pic.png").symlink_to(box.outside / "dir" / "pic.png")
    picture_article(box, "![A calf stretch]({static}/images/pic.png)")
    # The content scan (plugins/contentguard) refuses the link before any plugin reads through it.
    result = box.rejects("content/images/pic.png", None, "outside the content folder")
    assert len(errors(result)) == 1, errors(result)


def test_an_unused_symbolic_link_named_like_a_picture_is_not_published(box):
    # Pelican copies every file of content/images/ into the site, following links: the secret would ship.
    (box.project / "content" / "images").mkdir(exist_ok=True)
    (box.project / "content" / "images" / "holiday.png").symlink_to(box.outside / "secret.txt")
    box.rejects("content/images/holiday.png", None, "outside the content folder")


def test_a_damaged_png_is_one_error_naming_the_file(box):
    data = png_bytes(1200, 800)
    box.write("content/images/cut.png", data[: len(data) // 2])
    picture_article(box, "Text.", "![A calf stretch]({static}/images/cut.png)")
    result = box.rejects(
        ARTICLE, BODY_LINE + 2, "image 'images/cut.png' (content/images/cut.png) cannot be read as an image"
    )
    assert len(errors(result)) == 1, errors(result)


def test_a_text_file_named_png_cannot_be_read_as_an_image(box):
    box.write("content/images/notes.png", "Remember to buy milk.\n")
    picture_article(box, "![A calf stretch]({static}/images/notes.png)")
    result = box.rejects(ARTICLE, BODY_LINE, "(content/images/notes.png) cannot be read as an image")
    assert len(errors(result)) == 1, errors(result)


def test_a_decompression_bomb_is_a_clear_error_not_a_pillow_warning(box):
    box.write("content/images/bomb.png", bomb_png(30000, 30000))  # 900 megapixels in 100 bytes
    picture_article(box, "![A calf stretch]({static}/images/bomb.png)")
    result = box.rejects(
        ARTICLE, BODY_LINE, "30000×30000 pixels (900.0 megapixels), more than IMAGES_MAX_PIXELS"
    )
    assert "DecompressionBomb" not in result.stderr


def test_the_pixel_limit_is_a_setting(box):
    box.write("content/images/photo.png", png_bytes(1600, 900))
    picture_article(box, "![A calf stretch]({static}/images/photo.png)")
    box.rejects(
        ARTICLE, BODY_LINE, "more than IMAGES_MAX_PIXELS (1 megapixels)", "-e", "IMAGES_MAX_PIXELS=1000000"
    )


def test_a_missing_image_is_one_error_with_a_guess(box):
    box.write("content/images/foo.jpeg", png_bytes(100, 60))
    picture_article(box, "Text.", "More text.", "![A calf stretch]({static}/images/foo.jpg)")
    result = box.rejects(
        ARTICLE,
        BODY_LINE + 4,
        "image 'images/foo.jpg' not found in content/images/ (did you mean 'images/foo.jpeg'?)",
    )
    assert len(errors(result)) == 1, errors(result)  # no "Cannot get modification stamp", no "no width"


def test_each_image_without_alt_is_one_error_on_its_own_line(box):
    box.write("content/images/calf.png", png_bytes(600, 400))
    picture_article(box, "![]({static}/images/calf.png)", "Text.", "![]({static}/images/calf.png)")
    result = box.rejects(ARTICLE, BODY_LINE + 4, "the image '{static}/images/calf.png' has no alt text")
    assert errors(result) == [
        f"{ARTICLE}:{line}: error: the image '{{static}}/images/calf.png' has no alt text: describe what it "
        "shows for people who cannot see it, as ![What the photo shows]({static}/images/calf.png) "
        '(in HTML: alt="What the photo shows"), or mark a purely decorative picture as '
        "![]({static}/images/calf.png){: .decorative}"
        for line in (BODY_LINE, BODY_LINE + 4)
    ]


def test_a_missing_image_without_alt_is_two_errors_for_two_problems(box):
    picture_article(box, "![](images/nothing-here.jpg)")
    result = box.rejects(ARTICLE, BODY_LINE, "has no alt text")
    first, second = errors(result)
    assert first.startswith(
        f"{ARTICLE}:{BODY_LINE}: error: the image 'images/nothing-here.jpg' has no alt text"
    )
    assert second == (
        f"{ARTICLE}:{BODY_LINE}: error: image 'articles/images/nothing-here.jpg' not found in "
        "content/articles/images/; put the file in content/images/ and write "
        "![What the photo shows]({static}/images/NAME.jpg)"
    )
