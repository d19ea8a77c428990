"""The web editor as files of a built site: ``admin/`` with Decap's bundle (from node_modules),
the clinic's script and a ``config.yml`` for the production backend. Plain functions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path


class AdminError(RuntimeError):
    """The editor cannot be written; the message says what to do."""


def write_admin(output: Path, settings: dict) -> list[Path]:
    """Write ``<output>/admin/``; return the files written."""
    from sitetools.cms import config
    from sitetools.cms.server import ADMIN, DECAP_DIST

    project = Path(config.ROOT)
    dist = project.joinpath(*DECAP_DIST)
    if not settings.get("CMS_BACKEND"):
        raise AdminError(
            "CMS_ADMIN = True needs CMS_BACKEND, the git host the editor saves to, e.g. "
            "{'name': 'github', 'repo': 'clinic/website', 'branch': 'main'} (README, Web editing)"
        )
    if not (dist / "decap-cms.js").is_file():
        raise AdminError(
            "CMS_ADMIN = True needs node_modules/decap-cms: run `npm ci --ignore-scripts` in the project "
            "folder"
        )
    folder = output / "admin"
    decap = folder / "decap"
    decap.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(dist.iterdir()):  # the bundle and the chunks it loads, no source maps
        if source.name == "decap-cms.js" or source.name.endswith((".decap-cms.js", ".wasm")):
            shutil.copyfile(source, decap / source.name)
            written.append(decap / source.name)
    for name in (
        "index.html",
        "manual-init.js",
        "pelican-format.js",
        "timetable-format.js",
        "pelican-cms.js",
        "preview.css",
    ):
        shutil.copyfile(ADMIN / name, folder / name)
        written.append(folder / name)
    generated = config.to_yaml(config.decap_config(settings, project))
    (folder / "config.yml").write_text(generated, encoding="utf-8")
    data = config.site_data(settings)
    (folder / "site.json").write_text(json.dumps(data), encoding="utf-8")
    shutil.copyfile(project / "theme" / "static" / "css" / "site.css", folder / "site.css")  # the preview's
    return [*written, folder / "config.yml", folder / "site.json", folder / "site.css"]
