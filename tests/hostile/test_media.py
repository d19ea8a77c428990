"""Hostile media: video markers, videos and captions that are not what they claim, posters and
hosts that would call another site, animation bombs, bogus EXIF, placeholders left in production.
Each is refused at its line (or accepted inert), with nothing written outside the build's output."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

from tests.clinical.real_values import write_realconf
from tests.hostile.harness import png_bytes

HEADER = (
    "Title: Media\nDate: 2025-03-01\nCategory: Back pain\nAuthor: alex-example\n"
    "Reviewed_by: sam-sample\nReviewed: 2026-11-02\nSummary: Media.\n\n"
)
BODY_LINE = HEADER.count("\n") + 1
ARTICLE = "content/articles/2025-03-01-hostile.md"
POSTER = "poster: images/poster.png"


def media_article(box, *lines: str) -> None:
    """An article whose text is `lines`, one paragraph each: line i is BODY_LINE + 2 * i."""
    box.write("content/images/poster.png", png_bytes(800, 450))
    box.write("content/videos/ok.webm", b"\x1a\x45\xdf\xa3" + b"\0" * 64)
    box.write("content/videos/ok.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n")
    box.article(HEADER + "\n\n".join(lines) + "\n")


def apng_claiming(frames: int) -> bytes:
    """A tiny PNG whose animation chunk claims `frames` frames."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)
    fctl = struct.pack(">IIIIIHHBB", 0, 8, 8, 0, 0, 1, 10, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"acTL", struct.pack(">II", frames, 0))
        + chunk(b"fcTL", fctl)
        + chunk(b"IDAT", zlib.compress((b"\0" + b"\x80" * 24) * 8))
        + chunk(b"IEND", b"")
    )


def test_a_malformed_video_marker_is_refused_at_its_line(box):
    media_article(box, "Text.", "[[video videos/ok.webm]]")
    box.rejects(ARTICLE, BODY_LINE + 2, "looks like a video marker but is not one")


def test_a_video_file_without_captions_or_a_reason_is_refused(box):
    media_article(box, f"[[video: videos/ok.webm | {POSTER} | title: A bridge]]")
    box.rejects(ARTICLE, BODY_LINE, "has no captions: add '| captions: videos/NAME.vtt'")


def test_a_video_file_that_is_not_a_video_is_refused(box):
    box.write("content/videos/fake.mp4", "<html><script>alert(1)</script></html>")
    box.rejects("content/videos/fake.mp4", None, "not an MP4 video")


def test_captions_that_are_not_webvtt_are_refused(box):
    box.write("content/videos/bad.vtt", "<script>alert(1)</script>\n")
    box.rejects("content/videos/bad.vtt", 1, "must be a WebVTT file starting with the line WEBVTT")


def test_a_phone_video_that_records_where_it_was_filmed_is_refused(box):
    mp4 = (
        b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom"
        + b"\0\0\0\x1cudta\0\0\0\x14\xa9xyz\0\x0c\x15\xc7+51.5074-000.1278/"
    )
    box.write("content/videos/home.mp4", mp4)
    box.rejects("content/videos/home.mp4", None, "records where it was filmed")


def test_a_youtube_address_on_another_host_is_refused(box):
    media_article(
        box, f"[[video: https://www.youtube.com.evil.test/watch?v=aqz-KE-bpKQ | {POSTER} | title: A]]"
    )
    box.rejects(ARTICLE, BODY_LINE, "videos from 'www.youtube.com.evil.test' cannot be shown")


def test_a_javascript_poster_is_refused(box):
    media_article(box, "[[video: https://youtu.be/aqz-KE-bpKQ | poster: javascript:alert(1) | title: A]]")
    box.rejects(
        ARTICLE, BODY_LINE, "the poster 'javascript:alert(1)' must be a picture in the content folder"
    )


def test_a_poster_from_another_site_is_refused(box):
    media_article(
        box, "[[video: https://youtu.be/aqz-KE-bpKQ | poster: https://tracker.test/p.jpg | title: A]]"
    )
    box.rejects(ARTICLE, BODY_LINE, "a poster from another site would tell it who visits")


def test_an_animation_claiming_a_huge_frame_count_is_refused_unread(box):
    box.write("content/images/bomb.png", apng_claiming(2_000_000_000))
    media_article(box, "![An animation]({static}/images/bomb.png)")
    box.rejects(ARTICLE, BODY_LINE, "is an animation of 2,000,000,000 frames")


def test_a_bogus_exif_orientation_is_shown_as_stored_and_stripped(box):
    image = Image.new("RGB", (900, 600), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 77  # no such orientation
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 30.0, 1.0)})
    data = io.BytesIO()
    image.save(data, "JPEG", exif=exif.tobytes())
    box.write("content/images/odd.jpg", data.getvalue())
    media_article(box, "![A red rectangle]({static}/images/odd.jpg)")
    result = box.accepts()
    copies = sorted((result.output / "images").glob("odd*"))
    assert [c.name for c in copies] == [f"odd-{w}w.{e}" for w in (343, 686, 900) for e in ("jpg", "webp")]
    for copy in copies:
        with Image.open(copy) as shown:
            assert dict(shown.getexif()) == {} and shown.width > shown.height, copy


def test_a_todo_left_in_an_exercise_card_is_refused_in_production(box):
    media_article(
        box,
        "```exercise\nname: Calf raise\nsteps:\n1. Rise onto your toes.\nsets: TODO\nstop: If it hurts.\n```",
    )
    conf = write_realconf(box.project)
    box.rejects(ARTICLE, BODY_LINE + 4, "still has a TODO in 'sets'", settings=conf)


def test_an_exercise_card_with_a_script_link_is_refused(box):
    media_article(box, "```exercise\nname: A\nsteps:\n1. B.\nstop: [x](javascript:alert`1`)\n```")
    box.rejects(ARTICLE, BODY_LINE + 4, "the link 'javascript:alert`1`' is not allowed in an exercise card")
