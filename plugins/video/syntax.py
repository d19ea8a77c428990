"""The video marker as a Python-Markdown extension (syntax only: no settings, no HTML).

A writer puts the marker on a line of its own, its parts separated by ``|``::

    [[video: videos/bridge.mp4 | poster: images/bridge.jpg | captions: videos/bridge.vtt | title: A bridge]]
    [[video: https://youtu.be/aqz-KE-bpKQ | poster: images/bridge.jpg | title: How to do a bridge]]

Each marker line becomes a placeholder carrying its line and the text as written, which Pelican's
content cache keeps with the HTML and the plugin checks and renders after it (:mod:`video.core`)::

    <!-- video:embed {"line": 14, "spec": "videos/bridge.mp4 | poster: ...", "malformed": false} -->

A line that looks like a marker but is not one (``[[video videos/x.mp4]]``, a marker in the middle
of a sentence) becomes a placeholder with ``"malformed": true`` and fails the build at its line.
Markers in fenced or indented code and in code spans are left as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

MARKER_RE = re.compile(r"^\[\[\s*video\s*:(?P<spec>[^\[\]]*)\]\]\s*$", re.I)
LOOKS_LIKE_RE = re.compile(r"\[\[\s*video\b", re.I)
_CODE_SPAN_RE = re.compile(r"(`+).+?\1")
_FENCE_RE = re.compile(r"^(`{3,}|~{3,})")
PLACEHOLDER_RE = re.compile(r"<!-- video:embed (\{[^<>]*?\}) -->")


@dataclass(frozen=True)
class Marker:
    line: int
    spec: str  # the text after `video:` as written
    malformed: bool = False

    def placeholder(self) -> str:
        data = {"line": self.line, "spec": self.spec, "malformed": self.malformed}
        text = json.dumps(data, ensure_ascii=True)
        for char in "<>&-":  # safe inside a comment
            text = text.replace(char, f"\\u{ord(char):04x}")
        return f"<!-- video:embed {text} -->"

    @classmethod
    def from_json(cls, text: str) -> Marker:
        data = json.loads(text)
        if not isinstance(data, dict) or set(data) != {"line", "spec", "malformed"}:
            raise ValueError("not a video placeholder")
        line, spec, malformed = data["line"], data["spec"], data["malformed"]
        if type(line) is not int or line < 1 or not isinstance(spec, str) or type(malformed) is not bool:
            raise ValueError("not a video placeholder")
        return cls(line, spec, malformed)


def scan(lines: list[str], tab_length: int = 4) -> list[tuple[int, Marker]]:
    """The markers in Markdown source lines: [(index, marker)], line numbers 1-based."""
    found: list[tuple[int, Marker]] = []
    fence: str | None = None
    for index, line in enumerate(lines):
        if fence is not None:
            if line.strip() == fence:
                fence = None
            continue
        text = line.strip()
        fenced = _FENCE_RE.match(text)
        if fenced:
            fence = fenced.group(1)
            continue
        if len(line) - len(line.lstrip(" ")) >= 2 * tab_length:
            continue  # indented code, at any depth a writer is likely to use
        marker = MARKER_RE.match(text)
        if marker:
            found.append((index, Marker(index + 1, marker.group("spec").strip())))
        elif LOOKS_LIKE_RE.search(_CODE_SPAN_RE.sub("", text)):
            found.append((index, Marker(index + 1, text, malformed=True)))
    return found


class VideoPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        found = scan(lines, self.md.tab_length)
        out = list(lines)
        for index, marker in reversed(found):
            line = lines[index]
            indent = line[: len(line) - len(line.lstrip(" "))]
            block = ["", indent + self.md.htmlStash.store(marker.placeholder()), ""]
            if marker.malformed:
                out[index + 1 : index + 1] = block
            else:
                out[index : index + 1] = block
        return out


class VideoExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.registerExtension(self)
        # 28.5: like [[book]], before `meta` (27) drops the header (line numbers stay the file's)
        md.preprocessors.register(VideoPreprocessor(md), "video_marker", 28.5)


def replace(html: str, render: Callable[[Marker], str]) -> str:
    def one(match: re.Match) -> str:
        try:
            marker = Marker.from_json(match.group(1))
        except ValueError:
            return ""
        return render(marker)

    return PLACEHOLDER_RE.sub(one, html)
