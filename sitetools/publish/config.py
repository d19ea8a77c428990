"""Publish settings: the named targets, the demo-value refusal and the check command.

Settings (publishconf.py; defaults here):
    PUBLISH_TARGETS = {}            name -> {"type": "ssh" | "s3", ...} (see ssh.py and s3.py)
    PUBLISH_RELEASES_DIR = ".publish"   locks and the releases an S3 target can roll back to
    PUBLISH_CHECK_COMMAND = None    None: the real `invoke check` (python -m sitetools.check);
                                    tests may name another command ("{output}" = the site folder)
Demo values (the shipped clinic, people, booking pages, SITEURL) are found by plugins/demo_values.py,
the same function the production build uses, so both refuse the same list.
Secrets never live in settings: the SSH key comes from the agent or PUBLISH_SSH_KEY, S3
credentials from boto3's usual sources (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TARGET_TYPES = ("ssh", "s3")


class PublishError(Exception):
    """A refusal or failure to report to the person publishing (no traceback)."""


def load_settings(settings_file: str | os.PathLike) -> dict:
    """The Pelican settings of `settings_file` (relative to the project root)."""
    from pelican.settings import read_settings

    path = (ROOT / settings_file).resolve()
    if not path.is_file():
        raise PublishError(f"{settings_file}: no such settings file")
    os.chdir(ROOT)  # settings files import pelicanconf from the project root
    return read_settings(str(path))


def target(settings: dict, name: str) -> dict:
    targets = settings.get("PUBLISH_TARGETS") or {}
    if name not in targets:
        known = ", ".join(sorted(targets)) or "none"
        raise PublishError(f"no publish target named {name!r} in PUBLISH_TARGETS (configured: {known})")
    config = dict(targets[name])
    if config.get("type") not in TARGET_TYPES:
        kinds = ", ".join(TARGET_TYPES)
        raise PublishError(f"PUBLISH_TARGETS[{name!r}]['type'] is {config.get('type')!r}; use one of {kinds}")
    config["name"] = name
    return config


def releases_dir(settings: dict) -> Path:
    folder = Path(settings.get("PUBLISH_RELEASES_DIR") or ".publish")
    return folder if folder.is_absolute() else ROOT / folder


def demo_module():
    plugins = str(ROOT / "plugins")
    if plugins not in sys.path:
        sys.path.insert(0, plugins)
    import demo_values

    return demo_values


def demo_values(settings: dict) -> list[str]:
    """Every setting still holding a demo value, as "SETTING = 'value' (why)" (plugins/demo_values.py)."""
    return [value.line() for value in demo_module().find(settings)]


def demo_report(settings: dict) -> str:
    """The one message listing every demo value, word for word what the production build says; "" if none."""
    module = demo_module()
    found = module.find(settings)
    return module.report(found) if found else ""
