"""Publish settings: the named targets, the demo-value refusal and the check command.

Settings (publishconf.py; defaults here):
    PUBLISH_TARGETS = {}            name -> {"type": "ssh" | "s3", ...} (see ssh.py and s3.py)
    PUBLISH_DEMO_MARKERS = [...]    text marking a demo value in SITEURL, CLINIC, BOOKING_URL, BOOKING_TARGETS
    PUBLISH_RELEASES_DIR = ".publish"   locks and the releases an S3 target can roll back to
    PUBLISH_CHECK_COMMAND = None    None: the real `invoke check` (python -m sitetools.check);
                                    tests may name another command ("{output}" = the site folder)
Secrets never live in settings: the SSH key comes from the agent or PUBLISH_SSH_KEY, S3
credentials from boto3's usual sources (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DEFAULT_DEMO_MARKERS = ["example.com", "example.org", "example.net", "01632 960", "+441632960"]
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


DEMO_CHECKED = ("SITEURL", "CLINIC", "BOOKING_URL", "BOOKING_TARGETS")


def _leaves(label: str, value) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(f"{label}[{key!r}]", item)]
    if isinstance(value, list | tuple):
        return [leaf for item in value for leaf in _leaves(label, item)]
    return [(label, value)] if isinstance(value, str) else []


def demo_values(settings: dict) -> list[str]:
    """Every setting value that is still a demo value, as 'SETTING = value (contains marker)'."""
    markers = [m.lower() for m in settings.get("PUBLISH_DEMO_MARKERS", DEFAULT_DEMO_MARKERS)]
    found = []
    for name in DEMO_CHECKED:
        for label, text in _leaves(name, settings.get(name)):
            hit = next((m for m in markers if m in text.lower()), None)
            if hit:
                found.append(f"{label} = {text!r} (contains the demo marker {hit!r})")
    return found
