"""The hostile-input harness: one sandbox per test, each case judged the same way.

A sandbox is a folder holding a private copy of the project (with one good build already in
``project/output``) and, beside it, an ``outside/`` folder of sentinel files that hostile content
tries to read or write (``../../outside/secret.txt``, an image there, a CSL-JSON file, a style).

A rejected case must: exit non-zero, print ``<file>[:<line>]: error: <what>``, leave ``output/``
byte-identical, and change nothing in the sandbox outside the build's own caches (so nothing was
written beside an image outside ``content/``, nothing in ``content/`` or ``theme/``, no staging
folder left behind). An accepted case (data fields) must build and render the payload inert.

The pristine sandbox is built once per session and copied for each test (``cp -a``: symlinks and
modes kept), so a case costs one build.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import BuildResult, copy_project, run_build

# What may change in a sandbox during a build, relative to the sandbox root.
_BUILD_OWNED = ("project/.cache",)

SECRET = "SENTINEL-SECRET-7f3a"  # the content of outside/secret.txt; must never reach output/


def png_bytes(width: int = 8, height: int = 8, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A real, valid RGB PNG of one colour (no Pillow needed to make it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _make_outside(outside: Path) -> None:
    outside.mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (outside / "dir").mkdir()
    (outside / "dir" / "pic.png").write_bytes(png_bytes(1600, 900))
    (outside / "refs.json").write_text(
        '[{"id": "outsider2020", "type": "article-journal", "title": "' + SECRET + '",'
        ' "author": [{"family": "Outsider", "given": "O."}], "issued": {"date-parts": [[2020]]}}]\n',
        encoding="utf-8",
    )
    style = Path(__file__).resolve().parents[2] / "plugins" / "citations" / "styles" / "apa.csl"
    shutil.copy2(style, outside / "style.csl")


def snapshot(root: Path, skip: tuple[str, ...] = ()) -> dict[str, tuple[str, bytes]]:
    """Every entry under root: kind and bytes (files), target (symlinks), '' (folders)."""
    state: dict[str, tuple[str, bytes]] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if any(rel == s or rel.startswith(s + "/") for s in skip) or "__pycache__" in rel:
            continue
        if path.is_symlink():
            state[rel] = ("link", str(path.readlink()).encode())
        elif path.is_dir():
            state[rel] = ("dir", b"")
        elif path.is_file():
            state[rel] = ("file", path.read_bytes())
        else:
            state[rel] = ("special", b"")
    return state


def _diff(before: dict, after: dict) -> str:
    added = sorted(after.keys() - before.keys())
    removed = sorted(before.keys() - after.keys())
    changed = sorted(k for k in before.keys() & after.keys() if before[k] != after[k])
    return f"added {added[:10]}, removed {removed[:10]}, changed {changed[:10]}"


@dataclass
class Sandbox:
    root: Path

    @property
    def project(self) -> Path:
        return self.root / "project"

    @property
    def outside(self) -> Path:
        return self.root / "outside"

    @property
    def output(self) -> Path:
        return self.project / "output"

    def write(self, rel: str, text: str | bytes) -> str:
        """Write a file of the project (text as UTF-8, bytes as they are); return its project path."""
        path = self.project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return rel

    def article(self, text: str, name: str = "2025-03-01-hostile.md") -> str:
        """Add an article (header and body as given); return its project path."""
        return self.write(f"content/articles/{name}", text)

    def build(self, *extra: str, settings: str = "pelicanconf.py") -> BuildResult:
        return run_build(self.project, self.output, *extra, settings=settings)

    def _state(self) -> tuple[dict, dict]:
        return snapshot(self.root, skip=(*_BUILD_OWNED, "project/output")), snapshot(self.output)

    def rejects(
        self,
        path: str,
        line: int | None = None,
        says: str = "",
        *extra: str,
        settings: str = "pelicanconf.py",
    ) -> BuildResult:
        """Build and assert the case is refused: exit 1, `path[:line]: error: …says…`, nothing touched."""
        sandbox_before, output_before = self._state()
        result = self.build(*extra, settings=settings)
        where = f"{path}:{line}: error: " if line else f"{path}: error: "
        assert result.returncode != 0, f"build passed; stderr:\n{result.stderr[-3000:]}"
        matching = [ln for ln in result.stderr.splitlines() if ln.startswith(where)]
        assert matching, f"no line starting {where!r} in:\n{result.stderr[-3000:]}"
        assert any(says in ln for ln in matching), f"{says!r} not in {matching}"
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
        sandbox_after, output_after = self._state()
        assert output_after == output_before, "output/ changed: " + _diff(output_before, output_after)
        assert sandbox_after == sandbox_before, "files outside output/ changed: " + _diff(
            sandbox_before, sandbox_after
        )
        return result

    def accepts(self, *extra: str, settings: str = "pelicanconf.py") -> BuildResult:
        """Build and assert it passes, wrote nothing outside output/ and .cache, leaked no secret."""
        sandbox_before, _ = self._state()
        result = self.build(*extra, settings=settings)
        assert result.returncode == 0, result.stderr[-3000:]
        sandbox_after, output_after = self._state()
        assert sandbox_after == sandbox_before, "files outside output/ changed: " + _diff(
            sandbox_before, sandbox_after
        )
        leaked = [k for k, (_, data) in output_after.items() if SECRET.encode() in data]
        assert not leaked, f"the sentinel secret reached {leaked}"
        return result


def make_pristine(root: Path) -> Sandbox:
    """A sandbox with the project copied and built once (the caller keeps it as a template)."""
    box = Sandbox(root)
    copy_project(box.project)
    _make_outside(box.outside)
    result = box.build()
    assert result.returncode == 0, result.stderr
    return box


def clone(pristine: Sandbox, root: Path) -> Sandbox:
    """A private copy of the pristine sandbox (symlinks, modes and the warm caches kept)."""
    root.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-a", str(pristine.root), str(root)], check=True)
    return Sandbox(root)
