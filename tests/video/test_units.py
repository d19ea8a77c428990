"""The video marker read and checked without Pelican: what each way of writing it means."""

from __future__ import annotations

from pathlib import Path

import pytest

from video import core
from video.syntax import scan


@pytest.fixture
def content(tmp_path: Path) -> Path:
    (tmp_path / "videos").mkdir()
    (tmp_path / "videos" / "bridge.mp4").write_bytes(b"\0\0\0\x18ftypmp42")
    (tmp_path / "videos" / "bridge.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "p.jpg").write_bytes(b"\xff\xd8\xff")
    return tmp_path.resolve()


@pytest.mark.parametrize(
    "url, embed, link",
    [
        (
            "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
            "youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1",
            "youtube.com/watch?v=aqz-KE-bpKQ",
        ),
        (
            "https://youtu.be/aqz-KE-bpKQ?t=3",
            "youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1",
            "youtube.com/watch?v=aqz-KE-bpKQ",
        ),
        (
            "https://www.youtube.com/shorts/aqz-KE-bpKQ",
            "youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1",
            "youtube.com/watch?v=aqz-KE-bpKQ",
        ),
        (
            "https://vimeo.com/76979871",
            "player.vimeo.com/video/76979871?dnt=1&autoplay=1",
            "vimeo.com/76979871",
        ),
        (  # unlisted: without its hash the player says the video does not exist
            "https://vimeo.com/76979871/8272103f6e",
            "player.vimeo.com/video/76979871?dnt=1&autoplay=1&h=8272103f6e",
            "vimeo.com/76979871/8272103f6e",
        ),
        (
            "https://player.vimeo.com/video/76979871?h=8272103f6e&badge=0",
            "player.vimeo.com/video/76979871?dnt=1&autoplay=1&h=8272103f6e",
            "vimeo.com/76979871/8272103f6e",
        ),
    ],
)
def test_youtube_and_vimeo_play_from_the_privacy_hosts_only(content, url, embed, link):
    video = core.parse(f"{url} | poster: images/p.jpg | title: A bridge", content)
    assert video.problems == []
    assert video.embed == "https://www." + embed if embed.startswith("youtube") else "https://" + embed
    assert video.link.endswith(link) and video.poster == "{static}/images/p.jpg"
    assert video.embed.startswith(core.FRAME_SOURCES)


def test_a_file_with_captions_and_one_with_a_reason_for_none(content):
    video = core.parse(
        "videos/bridge.mp4 | poster: images/p.jpg | captions: videos/bridge.vtt | title: A", content
    )
    assert (video.problems, video.src, video.type, video.captions) == (
        [],
        "videos/bridge.mp4",
        "video/mp4",
        "videos/bridge.vtt",
    )
    video = core.parse(
        "videos/bridge.mp4 | poster: images/p.jpg | captions: none (no speech at all) | title: A", content
    )
    assert video.problems == [] and video.no_captions == "no speech at all"


@pytest.mark.parametrize(
    "spec, says",
    [
        ("videos/bridge.mp4 | poster: images/p.jpg | title: A", "has no captions"),
        ("videos/bridge.mp4 | poster: images/p.jpg | captions: none | title: A", "needs its reason"),
        (
            "videos/bridge.mp4 | poster: javascript:alert(1) | captions: none (no speech) | title: A",
            "not an address",
        ),
        ("videos/bridge.mp4 | captions: videos/bridge.vtt | title: A", "no poster picture"),
        ("videos/bridge.mp4 | poster: images/p.jpg | captions: videos/bridge.vtt", "has no title"),
        (
            "videos/bridge.mp4 | poster: images/p.jpg | caption: videos/bridge.vtt | title: A",
            "did you mean 'captions:'",
        ),
        (
            "videos/missing.webm | poster: images/p.jpg | captions: none (no speech) | title: A",
            "does not exist",
        ),
        (
            "../../etc/x.mp4 | poster: images/p.jpg | captions: none (no speech) | title: A",
            "outside the content",
        ),
        ("videos/bridge.mov | poster: images/p.jpg | title: A", "not a video file"),
        (
            "https://www.youtube.com.evil.test/watch?v=aqz-KE-bpKQ | poster: images/p.jpg | title: A",
            "only YouTube and Vimeo",
        ),
        (
            "https://evil.test/youtube.com/watch?v=aqz-KE-bpKQ | poster: images/p.jpg | title: A",
            "only YouTube and Vimeo",
        ),
        (
            "http://www.youtube.com/watch?v=aqz-KE-bpKQ | poster: images/p.jpg | title: A",
            "must start with https://",
        ),
        (
            "https://www.youtube.com/watch?v=short | poster: images/p.jpg | title: A",
            "cannot find the video's id",
        ),
        (
            'https://vimeo.com/76979871?h="><script> | poster: images/p.jpg | title: A',
            "cannot find the video's number",
        ),
        (  # a typo in the poster's name: said at the marker's line, not as four lines without one
            "videos/bridge.mp4 | poster: images/P.jpg | captions: none (no speech) | title: A",
            "the poster picture 'images/P.jpg' does not exist",
        ),
        (
            "https://youtu.be/aqz-KE-bpKQ | poster: ../../outside/p.png | title: A",
            "the poster picture '../../outside/p.png' is outside the content folder",
        ),
        (  # <track srclang> must be a language code, else the captions' language is unknown
            "videos/bridge.mp4 | poster: images/p.jpg | captions: none (no talk) | title: A | lang: English",
            "'lang: English' is not a language code",
        ),
        (
            'videos/bridge.mp4 | poster: images/p.jpg | captions: videos/bridge.vtt | title: A | lang: en" x',
            "is not a language code",
        ),
    ],
)
def test_each_mistake_is_named(content, spec, says):
    problems = core.parse(spec, content).problems
    assert any(says in p for p in problems), problems


def test_markers_are_found_on_their_own_line_and_not_in_code():
    lines = [
        "Text",
        "[[video: x.mp4 | title: A]]",
        "```",
        "[[video: y.mp4]]",
        "```",
        "Say [[video: z]] here",
        "`[[video: q]]`",
    ]
    found = [(i, m.spec, m.malformed) for i, m in scan(lines)]
    assert found == [(1, "x.mp4 | title: A", False), (5, "Say [[video: z]] here", True)]


def test_a_marker_with_brackets_in_its_title_says_so():
    """It said 'put it on a line of its own', and it was on a line of its own."""
    line = "[[video: https://youtu.be/aqz-KE-bpKQ | poster: images/p.jpg | title: Calf raise [part 1]]]"
    ((_index, marker),) = scan([line])
    assert marker.malformed and "cannot hold '[' or ']'" in core.malformed(marker.spec)
    assert "on a line of its own" in core.malformed("Watch [[video: videos/x.mp4]] now")
