"""Which content objects each output reads: every template access to a content object, recorded
while one output renders (the Jinja patch itself is in sitetools/pelican_private.py)."""

from __future__ import annotations

import contextlib

from sitetools.pelican_private import install_jinja_recorder

ANY = "*"  # "any change to this source"
_recording: dict[str, set] | None = None  # source path -> attributes read, while rendering one output


def _note(obj, name: str | None) -> None:
    if _recording is not None:
        _recording.setdefault(obj.source_path, set()).add(ANY if name is None else name)


def install() -> None:
    install_jinja_recorder(_note)


@contextlib.contextmanager
def recording():
    """Record what is read inside the block into the dict it yields."""
    global _recording
    _recording = found = {}
    try:
        yield found
    finally:
        _recording = None
