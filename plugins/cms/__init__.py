"""Pelican glue: with ``CMS_ADMIN = True``, the built site gets the web editor at ``admin/``.

Off by default: no build writes ``admin/`` unless the settings say so (the local editor,
``invoke cms``, never needs it). The files are those ``invoke cms`` serves (``sitetools.cms``),
the configuration generated with ``CMS_BACKEND`` and the editorial workflow (``bundle.write_admin``).
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals

import diagnostics


def _finalized(pelican) -> None:
    settings = pelican.settings
    if not settings.get("CMS_ADMIN"):
        return
    from .bundle import AdminError, write_admin

    try:
        write_admin(Path(pelican.output_path), settings)
    except AdminError as exc:
        diagnostics.error("", None, str(exc), check="cms")


def register() -> None:
    signals.finalized.connect(_finalized)
