"""The writers' guide tells the truth: every message in docs/writing.md's table ("When something is
wrong") is what a real build prints for a real mistake.

Three sandbox builds make every mistake in the table at once (the content scan stops a build before
anything is read, so its mistakes get a build of their own; so do a broken bibliography and the
settings a maintainer changes). Each example in the table becomes a pattern: "..." stands for any
text and numbers for any number, the rest must be printed as written, severity included.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.hostile.harness import png_bytes
from tests.hostile.test_images import bomb_png

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "writing.md"
#: Examples no input is meant to produce.
NOT_PRODUCIBLE = {"error: the build stopped: ..."}

HEAD = (
    "Date: 2025-03-01\nCategory: Back pain\nAuthor: alex-example\nReviewed_by: sam-sample\n"
    "Reviewed: 2026-11-02\n"
)
ARTICLES = {
    "a01-field.md": "Title: Field\n" + HEAD + "Tgas: running\n\nText.\n",
    "a02-date.md": "Title: Date\nDate: 31st of Jan\n\nText.\n",
    "a03-notitle.md": "Date: 2025-03-01\n\nNo title.\n",
    "a04-empty.md": "Title:\n" + HEAD + "\nText.\n",
    "a05-twice.md": "Title: Twice\n" + HEAD + "Date: 2025-03-02\n\nText.\n",
    "a06-real.md": "Title: Real\nDate: 2025-02-30\n\nText.\n",
    "a07-status.md": "Title: Status\n" + HEAD + "Status: publised\n\nText.\n",
    "a08-invisible.md": "Title: \u200b\u200b\n" + HEAD + "\nText.\n",
    "a09-noslug.md": "Title: ???\n" + HEAD + "\nText.\n",
    "a10-bidi.md": "Title: Knee \u202epain\n" + HEAD + "\nText.\n",
    "a11-slug.md": "Title: Slug\n" + HEAD + "Slug: ../about\n\nText.\n",
    "a12-saveas.md": "Title: Save\n" + HEAD + "Save_as: /tmp/x.html\n\nText.\n",
    "a13-todo.md": "Title: Todo\n" + HEAD + "Summary: TODO\n\nText.\n",
    "a14-key.md": "Title: Key\n" + HEAD + "\nLow back pain is common [@hartvigsen2019].\n",
    "a15-outside.md": "Title: Outside\n"
    + HEAD
    + "Bibliography: ../../../outside/refs.json\n\nA [@outsider2020].\n",
    "a16-typed.md": "Title: Typed\n" + HEAD + "\nAs Hartvigsen et al. 2018 showed, back pain is common.\n",
    "a17-person.md": "Title: Person\n" + HEAD.replace("alex-example", "Alex Example") + "\nText.\n",
    "a18-booking.md": "Title: Booking\n" + HEAD + "Booking: clases\n\nText.\n",
    "a19-cardbook.md": "Title: Card book\n"
    + HEAD
    + '\n!!! urgent "Call 111 if:"\n    Numb legs.\n\n    [[book]]\n',
    "a20-alt.md": "Title: Alt\n" + HEAD + "\n![]({static}/images/knee.jpg)\n",
    "a21-missing.md": "Title: Missing\n" + HEAD + "\n![A calf]({static}/images/calf.jpg)\n",
    "a22-imgout.md": "Title: Image out\n" + HEAD + "\n![A knee](../../Desktop/knee.jpg)\n",
    "a23-broken.md": "Title: Broken\n" + HEAD + "\n![A scan]({static}/images/scan.png)\n",
    "a24-huge.md": "Title: Huge\n" + HEAD + "\n![A view]({static}/images/pano.jpg)\n",
    "a25-due.md": "Title: Due\n" + HEAD.replace("2026-11-02", "2024-01-01") + "\nText.\n",
    "a26-noreviewer.md": "Title: No reviewer\nDate: 2025-03-01\nAuthor: alex-example\n\nText.\n",
    "a27-nocreds.md": "Title: No credentials\n" + HEAD.replace("sam-sample", "pat-plain") + "\nText.\n",
    "a28-script.md": "Title: Script\n" + HEAD + "\n<script>alert(1)</script>\n",
    "a29-onclick.md": "Title: Onclick\n" + HEAD + '\nThe <abbr onclick="x()" title="y">NHS</abbr>.\n',
    "a30-js.md": "Title: JS link\n" + HEAD + "\n[Click](javascript:alert(1))\n",
    "a31-marker.md": "Title: Marker\n" + HEAD + '\n<!--clinical:care-card {"type": "urgent"}-->\n',
    "a32-indent.md": "Title: Indent\n" + HEAD + '\n!!! urgent "Call 111 if:"\n  - numb legs\n',
    "a33-emptycard.md": "Title: Empty card\n" + HEAD + '\n!!! urgent "Call 111 if:"\n\nText after.\n',
    "a35-curly.md": "Title: Curly\n" + HEAD + "\n!!! urgent \u201cCall 111 if:\u201d\n    - numb legs\n",
    "a36-unquoted.md": "Title: Unquoted\n" + HEAD + "\n!!! urgent Call 111 if\n    - numb legs\n",
    "a37-type.md": "Title: Type\n" + HEAD + '\n!!! urgnet "Call 111 if:"\n    - numb legs\n',
    "a38-code.md": "Title: Code\n" + HEAD + '\n!!! urgent "Call 111 if:"\n        - numb legs\n',
    "a39-draftsave.md": "Title: Draft address\n" + HEAD + "Status: draft\nSave_as: secret.html\n\nText.\n",
    "a40-slow.md": "Title: Slow\n" + HEAD + "\n" + "[x](" * 10_000 + "\n",
    "a41-staticout.md": "Title: Static out\n" + HEAD + "\n[Notes]({static}/../notes.pdf)\n",
    "a42-tag.md": "Title: Tag\n" + HEAD + "Tags: running, ?\n\nText.\n",
    "a43-lang.md": "Title: Lang\n" + HEAD + "Lang: ../x\n\nText.\n",
    "a44-url.md": "Title: Url\n" + HEAD + "Url: javascript:alert(1)\n\nText.\n",
    "a45-blank.md": "Title: Blank\nDate: 2025-03-01\n\nAuthor: alex-example\n\nText.\n",
    "a46-video.md": "Title: Video\n"
    + HEAD
    + "\n[[video: videos/bridge.mp4 | poster: images/p.png | title: A]]\n",
    "a34-hard.md": "Title: Hard words\n"
    + HEAD
    + "\n"
    + "Physiotherapeutic rehabilitation incorporating progressive intervertebral biomechanical "
    "considerations necessitates individualised periodisation methodologies. " * 12 + "\n",
}
PAGES = {"p01-home.md": "Title: Home twin\nSave_as: index.html\nClinical: no\n\nText.\n",
         "p02-theme.md": "Title: Theme twin\nSlug: theme\nClinical: no\n\nText.\n"}  # fmt: skip
PEOPLE = (
    "PEOPLE={'alex-example': {'name': 'Alex Example', 'role': 'Physiotherapist', 'credentials': ['MCSP']},"
    " 'sam-sample': {'name': 'Sam Sample', 'role': 'Clinical Lead', 'credentials': ['MCSP']},"
    " 'pat-plain': {'name': 'Pat Plain', 'role': 'Physiotherapist'}}"
)


def examples() -> list[str]:
    """The first `...` of each row of the guide's message table."""
    text = GUIDE.read_text(encoding="utf-8")
    table = text[text.index("## 11. When something is wrong") : text.index("## 12.")]
    return [m.group(1) for m in re.finditer(r"^\| `([^`]+)`", table, re.M)]


def pattern(example: str) -> re.Pattern:
    """The example as a pattern: from its severity on, '...' any text, numbers any number."""
    body = example[re.search(r"\b(error|warning|note): ", example).start() :]
    parts = []
    for piece in re.split(r"(\s*\.\.\.\s*|\d+(?:[.,]\d+)*)", body):
        if piece.strip() == "...":
            parts.append(".*?")
        elif piece and piece[0].isdigit():
            parts.append(r"\d+(?:[.,]\d+)*")
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts))


@pytest.fixture(scope="module")
def printed(pristine_sandbox, tmp_path_factory) -> str:
    return make_every_mistake(pristine_sandbox, tmp_path_factory.mktemp)


def make_every_mistake(pristine_sandbox, mktemp) -> str:
    """What four builds print for every mistake in the table."""
    from tests.hostile.harness import clone

    out = []

    def sandbox(files: dict[str, str | bytes]):
        box = clone(pristine_sandbox, mktemp("guide") / "sandbox")
        for rel, data in files.items():
            box.write(rel, data)
        return box

    def articles(*names: str) -> dict[str, str]:
        return {f"content/articles/2025-03-01-{n}": ARTICLES[n] for n in names}

    # 1. Mistakes in headers, markup, cards, booking, people and reviews: all reported by one build.
    late = ("a14-key.md", "a15-outside.md", "a16-typed.md", "a20-alt.md", "a21-missing.md", "a22-imgout.md")
    late += ("a23-broken.md", "a24-huge.md", "a40-slow.md", "a41-staticout.md")
    first = articles(*(n for n in ARTICLES if n not in late))
    first |= {f"content/pages/{name}": text for name, text in PAGES.items()}
    out.append(sandbox(first).build("-e", PEOPLE).stderr)
    # 2. Citations and pictures, which are checked once the text has been read without errors.
    pictures = {
        "content/images/knee.jpg": png_bytes(40, 30),
        "content/images/calf.jpeg": png_bytes(40, 30),
        "content/images/scan.png": png_bytes(400, 300)[:60],
        "content/images/pano.jpg": bomb_png(8000, 6000),
        "content/articles/2025-03-01-stars.md": f"Title: Stars\n{HEAD}\n{'*' * 5000}x{'*' * 5000}\n",
    }
    pictures["notes.pdf"] = b"%PDF-1.4 outside the content folder"
    second = sandbox(articles(*(n for n in late if n != "a15-outside.md")) | pictures)
    out.append(second.build("-e", "CONTENT_MAX_READ_SECONDS=2").stderr)
    # 3. Bibliographies that must never reach pandoc.
    cycle = "@article{a1, crossref={b1}, title={A}}\n\n@article{b1, crossref={a1}, title={B}}\n"
    out.append(sandbox({"content/references/cycle.bib": cycle} | articles("a15-outside.md")).build().stderr)
    # 4. What the content scan refuses before anything is read.
    box = sandbox(
        {
            "content/images/big.jpg": b"\xff\xd8" + b"\0" * (30 * 1024 * 1024),
            "content/articles/2025-03-01-latin.md": "Title: Caf\u00e9\n\nText.\n".encode("latin-1"),
            "content/articles/2025-03-01-nul.md": "Title: Nul\n\nText\0 here.\n",
            "content/articles/2025-03-01-deep.md": "Title: Deep\n\n" + ">" * 2000 + " deep\n",
            "content/articles/knee.txt": "Title: Knee\n\nText.\n",
            "content/articles/2025-03-01-note.md": "Title: Note\n\n<!-- TODO check this with Sam\n",
            "content/images/x.html": "<p>Not a picture</p>",
            "content/images/x.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        }
    )
    (box.project / "content" / "images" / "passwd").symlink_to("/etc/passwd")
    os.mkfifo(box.project / "content" / "articles" / "pipe.md")
    out.append(box.build().stderr)
    # 5. The real site as it is (its two uncited references are the guide's example).
    out.append(sandbox({}).build().stderr)
    return "\n".join(out)


def test_the_guide_has_a_table_of_messages():
    assert len(examples()) >= 40


@pytest.mark.parametrize("example", [e for e in examples() if e not in NOT_PRODUCIBLE])
def test_each_message_in_the_guide_is_what_the_build_prints(printed, example):
    found = pattern(example).search(printed)
    assert found, f"docs/writing.md shows {example!r}, but no build printed it:\n{printed[-4000:]}"
