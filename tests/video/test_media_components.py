"""The video component from its own examples.yaml (escaping and golden files for every example are
tests/theme/test_examples.py's): the facade is a plain link without JavaScript, and a
self-hosted video has its captions and loads nothing until played."""

from __future__ import annotations

from tests.theme.examples import render


def test_the_facade_is_a_link_without_javascript_and_the_file_video_has_captions():
    facade = render("video", "youtube-facade")
    assert '<a class="video__facade" href="https://www.youtube.com/watch?v=aqz-KE-bpKQ"' in facade
    assert "<iframe" not in facade and 'data-video-embed="https://www.youtube-nocookie.com/embed/' in facade
    video = render("video", "file-with-captions")
    assert '<track kind="captions" src="../videos/bridge.vtt" srclang="en-GB"' in video
    assert 'preload="none"' in video
