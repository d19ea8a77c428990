"""Where the checking tools live, and the install command to name when one is missing."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

from .report import MissingTool

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE_CLI = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
NPM_INSTALL = "npm ci --ignore-scripts   (or: make check)"
#: Chromium's flags here: headless, and nothing that reaches for the network on its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def java() -> str:
    found = shutil.which("java")
    if not found:
        raise MissingTool("Java 17 (for the Nu HTML Checker)", "apt-get install -y default-jre-headless")
    return found


def vnu_jar() -> Path:
    jar = Path(os.environ.get("VNU_JAR", VNU_JAR))
    if not jar.is_file():
        raise MissingTool(f"the Nu HTML Checker ({jar})", NPM_INSTALL)
    return jar


def node() -> str:
    found = shutil.which("node")
    if not found:
        raise MissingTool("Node.js (for Lighthouse)", "apt-get install -y nodejs npm")
    return found


def lighthouse() -> Path:
    if not LIGHTHOUSE_CLI.is_file():
        raise MissingTool("Lighthouse (npm lighthouse@12.2.3)", NPM_INSTALL)
    return LIGHTHOUSE_CLI


def chromium() -> str:
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        raise MissingTool(f"Chromium ({path})", "apt-get install -y chromium")
    return path


def python_module(module: str, package: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise MissingTool(f"the Python package {package}", "make venv   (installs requirements.lock)")
