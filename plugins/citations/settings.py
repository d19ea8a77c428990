"""Settings of the citations plugin: each declared once in ``SETTINGS`` (checked at start-up by
``settings_schema``; the README's table is tested against it).

A `.csl` path in `CITATIONS_STYLE` is relative to the content folder or the working directory (a
settings file is Python code the site's developers review, so it may name any file). Content is not
trusted that far: `citation-style:` metadata must name a shipped style or a `.csl` file inside the
content folder, and every bibliography file (the folder's and `bibliography:` metadata) must lie
inside the content folder after symlinks are resolved. A style must be independent (a dependent
style would make pandoc fetch its parent from the network). `.bib` is BibLaTeX (as
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

from settings_schema import Setting, did_you_mean, folder, literal, optional, text, whole_number


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
    Setting(
        "CITATIONS_PANDOC_TIMEOUT",
        120,
        "seconds one pandoc process may run (wall clock) before it is stopped",
        whole_number(1),
    ),
    Setting(
        "CITATIONS_PANDOC_MEMORY",
        2 * 1024**3,
        "bytes of address space one pandoc process may use (`RLIMIT_AS`, 2 GiB)",
        whole_number(64 * 1024**2),
    ),
)
DEFAULTS = {s.name: s.default for s in SETTINGS}
#: A bibliography is read at most this far: the site's one limit for content text files,
#: CONTENT_MAX_FILE_BYTES (declared by plugins/contentguard, which refuses a larger file first).
MAX_FILE_BYTES = 2 * 1024 * 1024

#: Metadata names (Pelican lower-cases metadata keys).
META_STYLE = "citation-style"
META_BIBLIOGRAPHY = "bibliography"

STYLES_DIR = Path(__file__).with_name("styles")


class CitationsConfigError(ValueError):
    """A setting or a style is wrong; the message says which and what to do."""


def shipped_styles() -> list[str]:
    return sorted(p.stem for p in STYLES_DIR.glob("*.csl"))


def inside(path: Path, folder: Path) -> bool:
    """Whether `path`, with every symlink resolved, lies inside `folder` (also resolved)."""
    return path.resolve().is_relative_to(folder.resolve())


def resolve_style(value: str, search: list[Path] | tuple = (), confine: Path | None = None) -> Path:
    """A style name or path → an existing, well-formed CSL file (or :class:`CitationsConfigError`).

    `confine`: a path must lie inside this folder after symlinks are resolved (content metadata)."""
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
    if confine is None:
        candidates.append(Path(value))
    elif not any(inside(path, confine) for path in candidates):
        raise CitationsConfigError(
            f"citation style '{value}' is outside the content folder; use a shipped style "
            f"({', '.join(shipped_styles())}) or a .csl file inside the content folder"
        )
    for path in candidates:
        if path.is_file() and (confine is None or inside(path, confine)):
            _check_csl(path, value)
            return path.resolve()
    raise CitationsConfigError(f"citation style file not found: {value}")


_CSL_NS = "{http://purl.org/net/xbiblio/csl}"


def _check_csl(path: Path, shown: str) -> None:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise CitationsConfigError(f"{shown}: not a CSL style (invalid XML: {exc})") from exc
    if not root.tag.endswith("style"):
        raise CitationsConfigError(f"{shown}: not a CSL style (root element <{root.tag}>)")
    for link in root.iter(f"{_CSL_NS}link"):
        if link.get("rel") == "independent-parent":
            raise CitationsConfigError(
                f"{shown}: a dependent style (its 'independent-parent' would be fetched from "
                f"{link.get('href')!r}); use the independent parent style itself"
            )


@dataclass(frozen=True)
class Config:
    style: Path
    bibliography_path: Path
    references_title: str
    cache_path: Path | None
    locale: str
    content_path: Path
    pandoc_timeout: float = DEFAULTS["CITATIONS_PANDOC_TIMEOUT"]
    pandoc_memory: int = DEFAULTS["CITATIONS_PANDOC_MEMORY"]
    max_bytes: int = MAX_FILE_BYTES  # CONTENT_MAX_FILE_BYTES: the one size limit of content files
    load_cache: bool = True  # False with --ignore-cache (LOAD_CONTENT_CACHE = False)


def read(settings: dict) -> Config:
    """The plugin's configuration from Pelican settings; bad values raise :class:`CitationsConfigError`."""
    value = {name: settings.get(name, default) for name, default in DEFAULTS.items()}
    content = Path(settings.get("PATH") or ".").resolve()
    search = [content, Path.cwd()]
    style = resolve_style(value["CITATIONS_STYLE"], search)
    locale = str(value["CITATIONS_LOCALE"] or "").strip()
    if not locale:
        raise CitationsConfigError("CITATIONS_LOCALE must be a locale such as 'en-GB'")
    limits = {}
    for name in ("CITATIONS_PANDOC_TIMEOUT", "CITATIONS_PANDOC_MEMORY"):
        number = value[name]
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not number > 0:
            raise CitationsConfigError(
                f"{name} must be a positive number (default {DEFAULTS[name]!r}), not {number!r}"
            )
        limits[name] = number
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
        pandoc_timeout=float(limits["CITATIONS_PANDOC_TIMEOUT"]),
        pandoc_memory=int(limits["CITATIONS_PANDOC_MEMORY"]),
        max_bytes=int(settings.get("CONTENT_MAX_FILE_BYTES", MAX_FILE_BYTES)),
        load_cache=bool(settings.get("LOAD_CONTENT_CACHE", True)),
    )
