"""The content-folder scan (pure: a real folder tree, no Pelican)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from contentguard.scan import Limits, scan

LIMITS = Limits(text_bytes=1000, static_bytes=5000, nesting=20)


@pytest.fixture
def tree(tmp_path) -> Path:
    """content/ with an article, an image and a bibliography; outside/ beside it."""
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "images").mkdir()
    (content / "references").mkdir()
    (content / "articles" / "a.md").write_text("Title: A\n\nText.\n", encoding="utf-8")
    (content / "images" / "pic.png").write_bytes(b"\x89PNG" + b"\x00" * 100)
    (content / "references" / "refs.bib").write_text("@article{a, title={A}}\n", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text("secret\n", encoding="utf-8")
    return content


def found(content, **kw) -> list[tuple[str, int | None, str]]:
    return [
        (f.path.relative_to(content).as_posix(), f.line, f.message)
        for f in scan(content, LIMITS, static_paths=("images",), **kw)
    ]


def test_a_clean_tree_has_no_findings(tree):
    assert found(tree) == []


def test_binary_files_in_static_folders_are_not_read_as_text(tree):
    (tree / "images" / "nul.png").write_bytes(b"\x00\xff\xfe" * 100)
    assert found(tree) == []


def test_a_symlink_inside_the_folder_is_fine_and_its_target_is_checked_where_it_is(tree):
    (tree / "articles" / "b.md").symlink_to("a.md")
    (tree / "images" / "shared").symlink_to("../references")
    assert found(tree) == []


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("../../outside/secret.txt", "outside the content folder"),
        ("../../outside", "outside the content folder"),
        ("/etc/passwd", "outside the content folder"),
        ("/dev/zero", "outside the content folder"),
        ("missing.md", "which does not exist"),
        ("..", "an endless loop"),
        (".", "an endless loop"),
    ],
)
def test_bad_symlinks_are_named_by_where_they_are(tree, target, says):
    (tree / "articles" / "link").symlink_to(target)
    [(path, line, message)] = found(tree)
    assert (path, line) == ("articles/link", None)
    assert says in message and f"'{target}'" in message


def test_symlink_inside_a_linked_folder_that_escapes_is_still_refused(tree):
    (tree / "images" / "deep").mkdir()
    (tree / "images" / "deep" / "up").symlink_to("../../..")
    assert [p for p, _, m in found(tree) if "outside" in m] == ["images/deep/up"]


def test_ignored_names_are_skipped_like_pelican_skips_them(tree):
    (tree / "articles" / ".#a.md").symlink_to("root@host.1234:1700000000")  # an Emacs lock file
    assert found(tree, ignore=(".#*",)) == []
    assert found(tree) != []


def test_fifo_is_reported_and_never_opened(tree):
    os.mkfifo(tree / "articles" / "pipe.md")
    assert found(tree) == [("articles/pipe.md", None, found(tree)[0][2])]
    assert "a named pipe (fifo)" in found(tree)[0][2]


def test_socket_is_reported(tree):
    code = "import socket; socket.socket(socket.AF_UNIX).bind('s.sock')"
    subprocess.run([sys.executable, "-c", code], cwd=tree / "articles", check=True)
    [(path, _, message)] = found(tree)
    assert path == "articles/s.sock" and message.startswith("a socket")


@pytest.mark.skipif(os.geteuid() != 0, reason="creating a device node needs root")
def test_device_is_reported(tree):
    os.mknod(tree / "images" / "zero", 0o600 | 0o020000, os.makedev(1, 5))
    [(path, _, message)] = found(tree)
    assert path == "images/zero" and message.startswith("a device")


def test_sizes_have_a_limit_for_text_and_a_larger_one_for_static_files(tree):
    (tree / "articles" / "big.md").write_text("x" * 1001, encoding="utf-8")
    (tree / "articles" / "ok.md").write_text("x" * 1000, encoding="utf-8")
    (tree / "images" / "ok.png").write_bytes(b"x" * 5000)
    (tree / "images" / "big.png").write_bytes(b"x" * 5001)
    (tree / "references" / "big.bib").write_text("x" * 1001, encoding="utf-8")
    assert [(p, m.split(";")[0]) for p, _, m in found(tree)] == [
        ("articles/big.md", "a 1,001 bytes file, over the limit of 1,000 bytes (CONTENT_MAX_FILE_BYTES)"),
        ("images/big.png", "a 5,001 bytes file, over the limit of 5,000 bytes (CONTENT_MAX_STATIC_BYTES)"),
        ("references/big.bib", "a 1,001 bytes file, over the limit of 1,000 bytes (CONTENT_MAX_FILE_BYTES)"),
    ]


def test_text_problems_carry_their_line(tree):
    (tree / "articles" / "b.md").write_bytes(b"Title: B\n\nCaf\xe9\n")
    (tree / "references" / "bad.bib").write_bytes(b"@article{a,\n title={\x00}}\n")
    assert [(p, line) for p, line, _ in found(tree)] == [("articles/b.md", 3), ("references/bad.bib", 2)]


def mp4(codec: bytes, mdat: bytes = b"") -> bytes:
    """A minimal MP4: ftyp, a moov whose sample description names `codec`, then mdat."""

    def box(kind: bytes, payload: bytes) -> bytes:
        return (8 + len(payload)).to_bytes(4, "big") + kind + payload

    stsd = box(b"stsd", b"\0\0\0\0\0\0\0\x01" + box(codec, b"\0" * 78))
    moov = box(b"moov", box(b"trak", box(b"mdia", box(b"minf", box(b"stbl", stsd)))))
    return box(b"ftyp", b"isom\0\0\x02\0isomiso2") + moov + box(b"mdat", mdat)


def test_an_hevc_video_that_many_browsers_cannot_play_is_refused(tree):
    """An iPhone films HEVC (H.265) by default: Firefox and Chrome without hardware decoding show only
    the poster, so the exercise video never plays for part of the visitors."""
    (tree / "images" / "calf.mp4").write_bytes(mp4(b"hvc1"))
    (tree / "images" / "bridge.mp4").write_bytes(mp4(b"avc1", mdat=b"hvc1hev1" * 4))  # H.264: fine
    problems = found(tree)
    assert [(path, line) for path, line, _ in problems] == [("images/calf.mp4", None)], problems
    assert "HEVC (H.265)" in problems[0][2] and "H.264" in problems[0][2]
