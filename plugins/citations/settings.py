"""Settings of the citations plugin: each declared once in ``SETTINGS`` (checked at start-up by
``settings_schema``; the README's table is tested against it).

A `.csl` path is relative to the content folder or the working directory. `.bib` is BibLaTeX (as
Zotero's Better BibTeX exports it; `.bibtex` for BibTeX), `.json` CSL-JSON, `.yaml` CSL-YAML; a key may
be in one file only. Per-article metadata: `citation-style:` (as `CITATIONS_STYLE`) and
`bibliography:` (comma-separated files, relative to the article or to the content folder; their
entries override the site's, with a warning).
"""

from __future__ import annotations

import difflib
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from settings_schema import Setting, did_you_mean, folder, literal, optional, text


def _style(value, setting, settings) -> str | None:
    """A shipped style's name, or a path to a CSL file (checked by :func:`resolve_style`)."""
    if not isinstance(value, str) or not value.strip():
        return f"is not a citation style; e.g. {literal(setting.default)}"
    if "/" not in value and os.sep not in value and not value.endswith(".csl"):
        if value in shipped_styles():
            return None
        return (
            f"is not a citation style{did_you_mean(value, shipped_styles())}; "
            f"choose one of: {', '.join(shipped_styles())}, or give a path to a .csl file"
        )
    content = Path(settings.get("PATH") or ".").resolve()
    try:
        resolve_style(value, [content, Path.cwd()])
    except CitationsConfigError as exc:
        return f"cannot be used: {exc}"
    return None


SETTINGS = (
    Setting(
        "CITATIONS_STYLE",
        "harvard-cite-them-right",
        "citation style: `harvard-cite-them-right`, `apa`, `vancouver`, or a path to a `.csl` file",
        _style,
    ),
    Setting(
        "CITATIONS_BIBLIOGRAPHY_PATH",
        "references",
        "folder inside `PATH` whose `.bib`, `.json` and `.yaml` files are loaded",
        folder(),
    ),
    Setting("CITATIONS_REFERENCES_TITLE", "References", "heading of the reference list", text()),
    Setting(
        "CITATIONS_CACHE_PATH",
        None,
        "cache of formatted citations and converted `.bib` files; `None`: `<CACHE_PATH>/citations`",
        optional(folder()),
    ),
    Setting("CITATIONS_LOCALE", "en-GB", 'CSL locale: dates, "and", "no date", quotation marks', text()),
)
DEFAULTS = {s.name: s.default for s in SETTINGS}

#: Metadata names (Pelican lower-cases metadata keys).
META_STYLE = "citation-style"
META_BIBLIOGRAPHY = "bibliography"

STYLES_DIR = Path(__file__).with_name("styles")


class CitationsConfigError(ValueError):
    """A setting or a style is wrong; the message says which and what to do."""


def shipped_styles() -> list[str]:
    return sorted(p.stem for p in STYLES_DIR.glob("*.csl"))


def resolve_style(value: str, search: list[Path] | tuple = ()) -> Path:
    """A style name or path → an existing, well-formed CSL file (or :class:`CitationsConfigError`)."""
    value = str(value or "").strip()
    if not value:
        raise CitationsConfigError("empty citation style")
    if "/" not in value and os.sep not in value and not value.endswith(".csl"):
        path = STYLES_DIR / f"{value}.csl"
        if not path.is_file():
            near = difflib.get_close_matches(value, shipped_styles(), n=1)
            hint = f"did you mean '{near[0]}'? " if near else ""
            raise CitationsConfigError(
                f"unknown citation style '{value}': {hint}use one of {', '.join(shipped_styles())} "
                "or a path to a .csl file"
            )
        return path
    candidates = [Path(value)] if Path(value).is_absolute() else [Path(base) / value for base in search]
    candidates.append(Path(value))
    for path in candidates:
        if path.is_file():
            _check_csl(path)
            return path.resolve()
    raise CitationsConfigError(f"citation style file not found: {value}")


def _check_csl(path: Path) -> None:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise CitationsConfigError(f"{path}: not a CSL style (invalid XML: {exc})") from exc
    if not root.tag.endswith("style"):
        raise CitationsConfigError(f"{path}: not a CSL style (root element <{root.tag}>)")


@dataclass(frozen=True)
class Config:
    style: Path
    bibliography_path: Path
    references_title: str
    cache_path: Path | None
    locale: str
    content_path: Path


def read(settings: dict) -> Config:
    """The plugin's configuration from Pelican settings; bad values raise :class:`CitationsConfigError`."""
    value = {name: settings.get(name, default) for name, default in DEFAULTS.items()}
    content = Path(settings.get("PATH") or ".").resolve()
    search = [content, Path.cwd()]
    style = resolve_style(value["CITATIONS_STYLE"], search)
    locale = str(value["CITATIONS_LOCALE"] or "").strip()
    if not locale:
        raise CitationsConfigError("CITATIONS_LOCALE must be a locale such as 'en-GB'")
    cache = value["CITATIONS_CACHE_PATH"]
    if cache is None and settings.get("CACHE_PATH"):
        cache = Path(settings["CACHE_PATH"]) / "citations"
    return Config(
        style=style,
        bibliography_path=content / str(value["CITATIONS_BIBLIOGRAPHY_PATH"]),
        references_title=str(value["CITATIONS_REFERENCES_TITLE"]),
        cache_path=Path(cache).resolve() if cache else None,
        locale=locale,
        content_path=content,
    )
