"""Real builds of a copy of the project: the resized copies a visitor gets are made from the right
picture, whatever the image cache holds (same name, size and date elsewhere; emptied, truncated or
forged entries; --ignore-cache)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from PIL import Image

from tests.conftest import run_build

HEADER = (
    "Title: Two pictures\nDate: 2025-03-01\nCategory: Back pain\nAuthor: alex-example\n"
    "Reviewed_by: sam-sample\nReviewed: 2026-11-02\nSummary: Two pictures.\n\n"
)
RED, BLUE = (220, 20, 20), (20, 20, 220)


def same_size_pngs(project: Path) -> tuple[Path, Path]:
    """content/images/{a,b}/pic.png: red and blue, same dimensions, same byte size, same mtime."""
    paths = []
    for folder, colour in (("a", RED), ("b", BLUE)):
        path = project / "content" / "images" / folder / "pic.png"
        path.parent.mkdir(parents=True)
        Image.new("RGB", (1000, 600), colour).save(path, compress_level=0)
        paths.append(path)
    red, blue = paths
    assert red.stat().st_size == blue.stat().st_size
    os.utime(red, ns=(1_700_000_000_000_000_000,) * 2)
    os.utime(blue, ns=(1_700_000_000_000_000_000,) * 2)
    (project / "content" / "articles" / "2025-03-01-two.md").write_text(
        HEADER
        + "![A red square]({static}/images/a/pic.png)\n\n![A blue square]({static}/images/b/pic.png)\n",
        encoding="utf-8",
    )
    return red, blue


def colour(path: Path) -> tuple[int, int, int]:
    with Image.open(path) as image:
        return image.convert("RGB").getpixel((5, 5))


def assert_copies_right(output: Path) -> None:
    for folder, expected in (("a", RED), ("b", BLUE)):
        for width in (343, 686):
            copy = output / "images" / folder / f"pic-{width}w.png"
            assert copy.stat().st_size > 0, copy
            with Image.open(copy) as image:
                image.load()
                assert image.size == (width, round(600 * width / 1000)), copy
            assert colour(copy) == expected, (copy, colour(copy))
    empty = [p for p in output.rglob("*") if p.is_file() and p.stat().st_size == 0]
    assert not empty, f"zero-byte files shipped: {empty}"


def cached_copies(project: Path) -> list[Path]:
    return sorted(
        p
        for p in (project / ".cache").rglob("*")
        if "images" in p.parts and p.suffix in (".png", ".webp") and not p.name.startswith(".")
    )


def test_two_pictures_with_the_same_name_size_and_date_keep_their_own_colours(project):
    same_size_pngs(project)
    out = project / "output"
    first = run_build(project, out)
    assert first.returncode == 0, first.stderr
    assert_copies_right(out)
    second = run_build(project, out)  # now from the cache
    assert second.returncode == 0, second.stderr
    assert_copies_right(out)
    page = (out / "articles" / "two-pictures" / "index.html").read_text(encoding="utf-8")
    assert 'srcset="../../images/b/pic-343w.png 343w, ../../images/b/pic-686w.png 686w' in page


def test_emptied_or_truncated_cache_entries_are_made_again_with_one_warning(project):
    same_size_pngs(project)
    out = project / "output"
    assert run_build(project, out).returncode == 0
    copies = cached_copies(project)
    assert len(copies) >= 2, copies  # 4 (2 pictures × 2 widths) since the key is the content
    copies[0].write_bytes(b"")
    copies[1].write_bytes(copies[1].read_bytes()[:100])
    result = run_build(project, out)
    assert result.returncode == 0, result.stderr
    warnings = [ln for ln in result.stderr.splitlines() if "damaged image cache" in ln]
    assert len(warnings) == 1 and ": warning: 2 damaged image cache entries" in warnings[0], result.stderr
    assert_copies_right(out)
    again = run_build(project, out)  # repaired: no warning the next time
    assert "damaged" not in again.stderr and again.returncode == 0
    assert_copies_right(out)


def test_ignore_cache_never_reads_the_image_cache(project):
    same_size_pngs(project)
    out = project / "output"
    assert run_build(project, out).returncode == 0
    # Forge every cached copy: a valid picture of the wrong colour, its record made to match.
    for copy in cached_copies(project):
        with Image.open(copy) as image:
            size = image.size
        Image.new("RGB", size, (0, 200, 0)).save(copy)
    for record in (project / ".cache").rglob("*.json"):
        if "images" not in record.parts:
            continue
        data = json.loads(record.read_text())
        for name in data.get("copies", {}):
            width, fmt = name.split(".")
            copy = record.with_name(f"{record.stem}-{width}w.{fmt}")
            data["copies"][name] = hashlib.sha256(copy.read_bytes()).hexdigest()
        record.write_text(json.dumps(data))
    result = run_build(project, out, "--ignore-cache")
    assert result.returncode == 0, result.stderr
    assert_copies_right(out)
