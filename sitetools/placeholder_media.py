"""Placeholder media for the example exercise page, made with Pillow only (no camera, no ffmpeg).

`python -m sitetools.placeholder_media` (re)writes, in content/:

- images/run-walk-*.png: three simple drawings (a walking figure, a running figure, the interval
  plan) clearly marked "placeholder: replace with a clinic photo";
- images/run-walk-video-poster.png and videos/run-walk-intervals.webm (a short slideshow video:
  VP8 key frames in a WebM container written here byte by byte) with videos/run-walk-intervals.vtt.

Each is a TODO: the example page says so, and a production build refuses TODO placeholders.
`webm_bytes` is also what the tests use to make real videos.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
BRAND, INK, PAPER, MUTED = (11, 110, 79), (20, 30, 30), (246, 248, 246), (120, 130, 130)
MARK = "PLACEHOLDER: replace with a clinic photo"


# --- a WebM (Matroska) file from still frames ------------------------------------------------------


def _vint_size(n: int) -> bytes:
    return b"\x01" + n.to_bytes(7, "big")  # 8-byte size: always valid


def _element(eid: int, payload: bytes) -> bytes:
    return eid.to_bytes((eid.bit_length() + 7) // 8, "big") + _vint_size(len(payload)) + payload


def _uint(eid: int, value: int) -> bytes:
    return _element(eid, value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def _vp8_frame(image: Image.Image) -> bytes:
    """The VP8 key frame inside a lossy WebP of `image` (a WebP 'VP8 ' chunk is one VP8 frame)."""
    out = io.BytesIO()
    image.convert("RGB").save(out, "WEBP", quality=60, method=4)
    data = out.getvalue()
    at = 12
    while at < len(data):
        kind, size = data[at : at + 4], struct.unpack("<I", data[at + 4 : at + 8])[0]
        if kind == b"VP8 ":
            return data[at + 8 : at + 8 + size]
        at += 8 + size + (size & 1)
    raise ValueError("Pillow wrote no simple lossy WebP")


def webm_bytes(frames: list[Image.Image], seconds_each: float = 2.0) -> bytes:
    """A playable WebM: each picture a VP8 key frame shown for `seconds_each` (all the same size)."""
    width, height = frames[0].size
    header = _element(
        0x1A45DFA3,
        _uint(0x4286, 1) + _uint(0x42F7, 1) + _uint(0x42F2, 4) + _uint(0x42F3, 8)
        + _element(0x4282, b"webm") + _uint(0x4287, 2) + _uint(0x4285, 2),
    )  # fmt: skip
    step = int(seconds_each * 1000)
    info = _element(
        0x1549A966,
        _uint(0x2AD7B1, 1_000_000)
        + _element(0x4489, struct.pack(">d", float(step * len(frames))))
        + _element(0x4D80, b"sitetools.placeholder_media")
        + _element(0x5741, b"sitetools.placeholder_media"),
    )
    video = _element(0xE0, _uint(0xB0, width) + _uint(0xBA, height))
    track = _element(
        0xAE, _uint(0xD7, 1) + _uint(0x73C5, 1) + _uint(0x83, 1) + _element(0x86, b"V_VP8") + video
    )
    clusters = b""
    for index, frame in enumerate(frames):
        block = b"\x81" + struct.pack(">h", 0) + b"\x80" + _vp8_frame(frame)  # track 1, key frame
        clusters += _element(0x1F43B675, _uint(0xE7, index * step) + _element(0xA3, block))
    last = b"\x81" + struct.pack(">h", 0) + b"\x80" + _vp8_frame(frames[-1])  # holds the last picture
    clusters += _element(0x1F43B675, _uint(0xE7, len(frames) * step - 1) + _element(0xA3, last))
    return header + _element(0x18538067, info + _element(0x1654AE6B, track) + clusters)


# --- the drawings ---------------------------------------------------------------------------------


def _font(size: int):
    return ImageFont.load_default(size=size)


def _figure(draw: ImageDraw.ImageDraw, x: int, ground: int, running: bool) -> None:
    """A stick figure: walking (small stride, arms low) or running (long stride, leaning, arms bent)."""
    lean = 18 if running else 4
    head = (x + lean, ground - 300)
    hip = (x, ground - 140)
    draw.ellipse((head[0] - 32, head[1] - 32, head[0] + 32, head[1] + 32), outline=INK, width=10)
    draw.line((head[0], head[1] + 32, *hip), fill=INK, width=12)
    stride = 90 if running else 45
    knee_up = (hip[0] + stride, hip[1] + (40 if running else 70))
    draw.line((*hip, *knee_up, hip[0] + stride + (10 if running else 5), ground), fill=INK, width=12)
    draw.line(
        (*hip, hip[0] - stride // 2, hip[1] + 75, hip[0] - stride, ground - (30 if running else 0)),
        fill=INK,
        width=12,
    )
    shoulder = (head[0] - lean // 3, head[1] + 80)
    if running:
        draw.line(
            (*shoulder, shoulder[0] + 50, shoulder[1] + 40, shoulder[0] + 80, shoulder[1] - 5),
            fill=INK,
            width=10,
        )
        draw.line(
            (*shoulder, shoulder[0] - 45, shoulder[1] + 50, shoulder[0] - 30, shoulder[1] + 95),
            fill=INK,
            width=10,
        )
    else:
        draw.line((*shoulder, shoulder[0] + 25, shoulder[1] + 110), fill=INK, width=10)
        draw.line((*shoulder, shoulder[0] - 25, shoulder[1] + 110), fill=INK, width=10)
    draw.line((x - 260, ground, x + 260, ground), fill=MUTED, width=6)


def _card(title: str, body) -> Image.Image:
    image = Image.new("RGB", (1200, 800), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1199, 90), fill=BRAND)
    draw.text((40, 22), title, fill=(255, 255, 255), font=_font(44))
    body(draw)
    draw.rectangle((0, 730, 1199, 799), fill=(255, 236, 160))
    draw.text((40, 745), MARK, fill=INK, font=_font(34))
    return image


def walking() -> Image.Image:
    return _card("Walk: 2 minutes", lambda d: _figure(d, 600, 650, running=False))


def running() -> Image.Image:
    return _card("Run: 15 seconds", lambda d: _figure(d, 600, 650, running=True))


def plan() -> Image.Image:
    def body(draw):
        font = _font(36)
        draw.text((60, 130), "Week 1: run 15 s, then walk 2 min", fill=INK, font=font)
        x = 60
        for _ in range(4):
            draw.rectangle((x, 220, x + 30, 300), fill=BRAND)
            draw.rectangle((x + 30, 220, x + 250, 300), fill=(190, 210, 200))
            x += 260
        draw.text((60, 320), "run", fill=BRAND, font=font)
        draw.text((150, 320), "walk", fill=MUTED, font=font)
        draw.text((60, 430), "By week 12: longer running intervals", fill=INK, font=font)
        draw.text((60, 490), "1.1 km to 2.7 km", fill=BRAND, font=_font(64))

    return _card("The run-walk plan", body)


def poster() -> Image.Image:
    def body(draw):
        _figure(draw, 420, 650, running=False)
        _figure(draw, 820, 650, running=True)

    return _card("Run-walk intervals (video)", body)


def main() -> int:
    images, videos = ROOT / "content" / "images", ROOT / "content" / "videos"
    images.mkdir(parents=True, exist_ok=True)
    videos.mkdir(parents=True, exist_ok=True)
    for name, make in (("walk", walking), ("run", running), ("plan", plan), ("video-poster", poster)):
        # 800 px wide: plenty for a placeholder drawing, and only three copies each to make
        drawing = make().resize((800, 533), Image.Resampling.LANCZOS)
        drawing.save(images / f"run-walk-{name}.png", optimize=True)
    frames = [f.resize((640, 426)) for f in (poster(), walking(), running(), plan())]
    (videos / "run-walk-intervals.webm").write_bytes(webm_bytes(frames))
    (videos / "run-walk-intervals.vtt").write_text(
        "WEBVTT\n\n"
        "00:00:00.000 --> 00:00:02.000\n[No speech] Run-walk intervals.\n\n"
        "00:00:02.000 --> 00:00:04.000\n[No speech] Walk for 2 minutes.\n\n"
        "00:00:04.000 --> 00:00:06.000\n[No speech] Run for 15 seconds.\n\n"
        "00:00:06.000 --> 00:00:08.000\n[No speech] Week 1: run 15 seconds, then walk 2 minutes.\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
