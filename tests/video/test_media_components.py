"""The video and exercise_card components, rendered from their own examples.yaml with the site's
Jinja settings: every named example renders, and the hostile one shows its payload as text only."""

from __future__ import annotations

import pytest
import yaml

from tests.conftest import ROOT
from tests.theme.examples import env

COMPONENTS = ROOT / "theme" / "templates" / "components"
PAYLOAD = "<img src=x onerror=alert(1)>"


def examples(name: str) -> dict:
    data = yaml.safe_load((COMPONENTS / name / "examples.yaml").read_text(encoding="utf-8"))
    assert data["macro"] == name
    return data["examples"]


CASES = [(name, example) for name in ("video", "exercise_card") for example in examples(name)]


@pytest.mark.parametrize("name, example", CASES)
def test_each_example_renders_and_escapes_every_text_field(name, example):
    macro = getattr(env().get_template(f"components/{name}/{name}.html").module, name)
    html = str(macro(**examples(name)[example]))
    assert html.strip()
    assert PAYLOAD not in html and "onerror=alert(1)>" not in html
    if example.startswith("hostile"):
        assert "&lt;img src=x onerror=alert(1)&gt;" in html or "\\u003cimg" in html


def test_the_facade_is_a_link_without_javascript_and_the_file_video_has_captions():
    render = env().get_template("components/video/video.html").module.video
    facade = str(render(**examples("video")["youtube-facade"]))
    assert '<a class="video__facade" href="https://www.youtube.com/watch?v=aqz-KE-bpKQ"' in facade
    assert "<iframe" not in facade and 'data-video-embed="https://www.youtube-nocookie.com/embed/' in facade
    video = str(render(**examples("video")["file-with-captions"]))
    assert '<track kind="captions" src="../videos/bridge.vtt" srclang="en-GB"' in video
    assert 'preload="none"' in video
