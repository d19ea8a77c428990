"""The plugin's persistent cache files: written atomically, checked on every read.

An entry is one file: a header line ``citations-cache-1 <key> <sha256 of the body>`` and a JSON body.
A reader gets the body back only if the header names the key it asked for and the checksum matches
(so a truncated, edited or misplaced file is never believed); otherwise the file is deleted, noted in
:data:`DAMAGED` (the plugin reports them in one warning) and the caller rebuilds the entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

_MAGIC = "citations-cache-1"

#: Damaged entries met in this process (cleared by the plugin at the start of each build).
DAMAGED: list[Path] = []


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` so a reader never sees half a file (parallel builds included)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def write_entry(path: Path, key: str, value) -> None:
    """Store the JSON-serialisable `value` under `key` at `path`."""
    body = json.dumps(value, ensure_ascii=False)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    write_atomic(path, f"{_MAGIC} {key} {digest}\n{body}")


def read_entry(path: Path, key: str, valid=lambda value: True):
    """The value stored under `key` at `path`, or None (missing, or damaged: then deleted and noted).

    `valid(value)` checks the shape the caller expects; False counts as damaged."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        data = b""
    try:
        head, _, body = data.partition(b"\n")
        magic, stored_key, digest = head.decode("ascii").split(" ")
        if magic != _MAGIC or stored_key != key or hashlib.sha256(body).hexdigest() != digest:
            raise ValueError("header or checksum does not match")
        value = json.loads(body.decode("utf-8"))
        if not valid(value):
            raise ValueError("unexpected content")
    except (ValueError, UnicodeDecodeError):
        DAMAGED.append(path)
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    return value
