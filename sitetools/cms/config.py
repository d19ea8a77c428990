"""The Decap CMS configuration, generated from the site's own definitions.

One source of truth: every metadata field of ``frontmatter.core.FIELDS`` becomes an editor field (a
field added there appears in the editor with its meaning as the hint, as a text box unless
``WIDGETS`` says more), people and booking targets come from the settings, citation styles from
``plugins/citations/styles/``, and the validation patterns are the build's own regular expressions.
Pure: :func:`decap_config` takes the settings as a dict and the project folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

from citations.settings import shipped_styles  # noqa: E402
from clinical.cards import CARD_TYPES  # noqa: E402
from frontmatter import core as frontmatter  # noqa: E402
from timetable import load as timetable_load  # noqa: E402
from timetable import model as timetable_model  # noqa: E402

#: Writers' order in the editor: the fields docs/writing.md shows first, then the rare ones.
ORDER = (
    "title", "date", "category", "tags", "summary", "author", "authors", "reviewed_by", "reviewed",
    "review_due", "clinical", "booking", "status", "bibliography", "citation-style", "modified",
    "nav_order", "slug", "template", "save_as", "url", "lang", "translation",
)  # fmt: skip
#: Fields only pages use, and fields articles only.
PAGE_ONLY = frozenset({"nav_order", "save_as", "url"})
#: Characters the build refuses in any field (bidirectional controls: text shown in another order).
NO_BIDI = r"^[^\u202a-\u202e\u2066-\u2069]*$"
#: The build's date rule (frontmatter.core._DATE: YYYY-MM-DD, optionally a time), with the month, day
#: and time ranges of frontmatter.core.date_problem (the days of each month are left to the build).
DATE_PATTERN = (
    r"^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[ T]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?)?$"
)
#: Each comma-separated tag (or the topic) needs a letter or digit, as frontmatter checks.
_WORD = r"[^,]*[0-9A-Za-z\u00c0-\uffff][^,]*"
NAMES_PATTERN = f"^({_WORD})(,{_WORD})*$"
#: The timetable loader's rules (plugins/timetable/checks.py), as the form's patterns.
TIME_PATTERN = r"^([01]?\d|2[0-3]):[0-5]\d$"
DAY_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: The bibliography files the citations plugin reads (plugins/citations/settings.py), one editor
#: collection per kind (Decap lists a folder's files by one extension): extension, label, export.
BIBLIOGRAPHY_KINDS = (
    ("bib", "Zotero .bib", "Better BibLaTeX"),
    ("json", "CSL-JSON", "CSL JSON"),
    ("yaml", "CSL-YAML", "CSL YAML"),
)


def _people_options(people: dict) -> list[dict]:
    options = []
    for key, person in people.items():
        credentials = ", ".join(person.get("credentials") or ())
        label = ", ".join(x for x in (person.get("name", key), credentials, person.get("role", "")) if x)
        options.append({"label": f"{label} ({key})", "value": key})
    return options


def categories(content: Path) -> list[str]:
    """The topics articles already use (from their headers), sorted."""
    found = set()
    for path in sorted((content / "articles").rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        found.update(v for _, k, v in frontmatter.header(text) if k == "category" and v)
    return sorted(found)


def field(name: str, settings: dict, content: Path, kind: str) -> dict:
    """One editor field for metadata field `name` (lower-case, as Pelican reads it)."""
    hint = frontmatter.FIELDS[name]
    spec: dict = {"label": name.replace("_", " ").replace("-", " ").capitalize(), "name": name}
    spec.update({"widget": "string", "required": False, "hint": hint})
    required = name in frontmatter.REQUIRED.get(kind, ())
    people = settings.get("PEOPLE") or {}
    if name == "title":
        spec["required"] = True
    elif name in frontmatter.DATE_FIELDS:
        spec["pattern"] = [DATE_PATTERN, "Write the date as YYYY-MM-DD, e.g. 2025-01-31"]
        spec["required"] = required
    elif name in ("author", "reviewed_by"):
        spec.update(widget="select", options=_people_options(people))
    elif name == "authors":
        spec.update(widget="select", multiple=True, options=_people_options(people))
    elif name == "booking":
        targets = settings.get("BOOKING_TARGETS") or {}
        default = settings.get("BOOKING_DEFAULT")
        options = [
            {"label": f"default ({targets.get(default, {}).get('label', default)})", "value": "default"}
        ]
        options += [{"label": f"{t['label']} ({key})", "value": key} for key, t in targets.items()]
        options.append({"label": "none (no booking block at the end)", "value": "none"})
        spec.update(widget="select", options=options)
    elif name == "citation-style":
        spec.update(widget="select", options=shipped_styles())
    elif name == "status":
        spec.update(widget="select", options=list(frontmatter.STATUSES), default="draft")
        spec["hint"] += " Reviewers publish: see docs/writing.md, Web editing."
    elif name == "clinical":
        spec.update(widget="select", options=["yes", "no"])
    elif name == "category":
        known = categories(content)
        spec["pattern"] = [NAMES_PATTERN, "Write the topic in words"]
        if known:
            spec["hint"] += " Topics in use: " + ", ".join(known) + "."
    elif name == "tags":
        spec["pattern"] = [NAMES_PATTERN, "Write each tag in words, separated by commas"]
    elif name == "summary":
        spec["widget"] = "text"
    elif name == "slug":
        spec["pattern"] = [r"^[^/\\\s.][^/\\\s]*$", "Lower-case words joined by hyphens, e.g. knee-pain"]
    elif name == "lang":
        spec["pattern"] = [frontmatter._LANG.pattern, "A language code such as en-GB or cy"]
    elif name == "nav_order":
        spec["pattern"] = [r"^\d+$", "A whole number, e.g. 3"]
    elif name in ("save_as", "url"):
        spec["pattern"] = [r"^(?![A-Za-z][A-Za-z0-9+.\-]*:)(?![/\\])(?!.*\.\.).*$", "A path inside the site"]
    if "pattern" not in spec and spec["widget"] in ("string", "text"):
        spec["pattern"] = [NO_BIDI, "Delete the invisible left-to-right/right-to-left control character"]
    return spec


def fields(settings: dict, content: Path, kind: str) -> list[dict]:
    names = [n for n in ORDER if n in frontmatter.FIELDS] + [n for n in frontmatter.FIELDS if n not in ORDER]
    if kind == "article":
        names = [n for n in names if n not in PAGE_ONLY]
    body = {
        "label": "Text",
        "name": "body",
        "widget": "markdown",
        "modes": ["raw"],  # Markdown as written: the rich-text mode would rewrite cards and citations
        "hint": 'Markdown. Cite [@key]; a care card: !!! urgent "Heading" then text indented by 4 spaces '
        "(types: " + ", ".join(CARD_TYPES) + "); a booking link: [[book]] on a line of its own.",
    }
    return [field(n, settings, content, kind) for n in names] + [body]


def _raw_collection(name: str, label: str, folder: str, extension: str, hint: str) -> dict:
    return {
        "name": name,
        "label": label,
        "folder": folder,
        "extension": extension,
        "format": "pelican-raw",
        "create": True,
        "slug": "{{title}}",
        "identifier_field": "title",
        "summary": "{{filename}}.{{extension}}",
        "editor": {"preview": False},
        "fields": [
            {
                "label": "File name (new files only)",
                "name": "title",
                "widget": "string",
                "required": False,
                "pattern": [r"^[a-z0-9][a-z0-9-]*$", "Lower-case words joined by hyphens, e.g. knee-pain"],
            },
            {"label": "Contents", "name": "body", "widget": "text", "hint": hint},
        ],
    }


def decap_config(settings: dict, project: Path, backend_url: str | None = None) -> dict:
    """The Decap configuration as a dict (see :func:`to_yaml`)."""
    content_rel = Path(settings.get("PATH", "content"))
    content = content_rel if content_rel.is_absolute() else project / content_rel
    # The local backend's root is the content folder itself (decap-server can reach nothing else), so
    # its paths start inside it; a git host's root is the repository.
    folder = content.relative_to(project).as_posix() if content.is_relative_to(project) else "content"
    base = "" if backend_url else f"{folder}/"
    refs = settings.get("CITATIONS_BIBLIOGRAPHY_PATH", "references")
    production = settings.get("CMS_BACKEND")
    backend = dict(production) if production else {"name": "proxy"}
    if backend_url:  # the local backend, decap-server on 127.0.0.1
        backend = {"name": "proxy", "proxy_url": backend_url}
    article_path = (settings.get("ARTICLE_PATHS") or ["articles"])[0]
    page_path = (settings.get("PAGE_PATHS") or ["pages"])[0]
    config = {
        "backend": backend,
        "publish_mode": "editorial_workflow" if production and not backend_url else "simple",
        "media_folder": f"{base}images",
        "public_folder": "{static}/images",
        "site_url": settings.get("SITEURL") or "",
        "collections": [
            {
                "name": "articles",
                "label": "Articles",
                "label_singular": "Article",
                "folder": f"{base}{article_path}",
                "extension": "md",
                "format": "pelican",
                "create": True,
                "slug": "{{year}}-{{month}}-{{day}}-{{slug}}",
                "summary": "{{title}} ({{date}})",
                "sortable_fields": ["date", "title", "category"],
                "fields": fields(settings, content, "article"),
            },
            {
                "name": "pages",
                "label": "Education pages",
                "label_singular": "Page",
                "folder": f"{base}{page_path}",
                "extension": "md",
                "format": "pelican",
                "create": True,
                "slug": "{{slug}}",
                "fields": fields(settings, content, "page"),
            },
            *bibliography_collections(f"{base}{refs}"),
        ],
    }
    timetable = settings.get("TIMETABLE_PATH") or "timetable.yaml"
    if (content / timetable).is_file():
        config["collections"] += timetable_collections(settings, content / timetable, f"{base}{timetable}")
    return config


def bibliography_collections(folder: str) -> list[dict]:
    """One collection per bibliography kind; its `body` is the upload widget (a file read into it)."""
    out = []
    for extension, label, export in BIBLIOGRAPHY_KINDS:
        name = "references" if extension == "bib" else f"references-{extension}"
        collection = _raw_collection(
            name,
            f"Bibliography: {label}",
            folder,
            extension,
            f"Upload the {export} export from Zotero (Export Collection… → {export}), or paste its text "
            "here (docs/writing.md, sections 5 and 14).",
        )
        collection["label_singular"] = f"{label} file"
        collection["fields"][1].update(widget="bibliography", extension=extension)
        collection["editor"] = {"preview": True}
        out.append(collection)
    return out


def _levels(path: Path, settings: dict) -> list[str]:
    """The levels the timetable file names, in its order (read by the timetable plugin's loader); none
    while the file has a problem (the form then takes any level, and the preview names the problem)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    timetable, _ = timetable_load.load(text, list(settings.get("BOOKING_TARGETS") or ()))
    return [name for name, _ in timetable.levels()] if timetable else []


def timetable_field(f: timetable_model.Field, settings: dict, levels: list[str]) -> dict:
    """The form field of one timetable key, its widget chosen by the key's `kind` (model.FIELDS)."""
    spec: dict = {"label": f.key.replace("_", " ").capitalize(), "name": f.key, "widget": "string"}
    spec.update(required=f.required, hint=f.meaning)
    if f.kind == "id":
        spec["pattern"] = [ID_PATTERN, "Lower-case words joined by hyphens, e.g. beginners-tuesday"]
    elif f.kind == "long-text":
        spec["widget"] = "text"
    elif f.kind == "weekday":
        spec.update(widget="select", options=list(timetable_model.WEEKDAYS))
    elif f.kind == "level" and levels:
        spec.update(widget="select", options=levels)
        spec["hint"] += " A new level: write it in the file (Class timetable as text)."
    elif f.kind == "time":
        spec["pattern"] = [TIME_PATTERN, "24-hour HH:MM, e.g. 18:30 for 6:30pm"]
    elif f.kind == "minutes":
        spec["pattern"] = [r"^\d+$", "A number of minutes, e.g. 60"]
    elif f.kind == "date":
        spec["pattern"] = [DAY_PATTERN, "Write the date as YYYY-MM-DD, e.g. 2026-09-08"]
    elif f.kind == "dates":
        spec.update(widget="list", allow_add=True, add_to_top=False, summary="{{fields.date}}")
        spec["label_singular"] = "date"
        spec["field"] = {
            "label": "Date",
            "name": "date",
            "widget": "string",
            "pattern": [DAY_PATTERN, "Write the date as YYYY-MM-DD, e.g. 2026-10-27"],
        }
    elif f.kind == "target":
        targets = settings.get("BOOKING_TARGETS") or {}
        spec.update(
            widget="select",
            options=[{"label": f"{t.get('label', k)} ({k})", "value": k} for k, t in targets.items()],
        )
    elif f.kind == "yes-no":
        spec.update(widget="boolean")
    if spec["widget"] in ("string", "text") and "pattern" not in spec:
        spec["pattern"] = [NO_BIDI, "Delete the invisible left-to-right/right-to-left control character"]
    return spec


def timetable_collections(settings: dict, path: Path, file: str) -> list[dict]:
    """The timetable as a form (one list of classes, generated from plugins/timetable/model.py), and
    as plain text (for what the form does not edit: a new level, a layout of one's own)."""
    levels = _levels(path, settings)
    classes = [timetable_field(f, settings, levels) for f in timetable_model.FIELDS]
    top = []
    for f in timetable_model.FILE_FIELDS:
        if f.kind == "classes":
            top.append(
                {
                    "label": "Classes",
                    "label_singular": "class",
                    "name": f.key,
                    "widget": "list",
                    "hint": f.meaning,
                    "collapsed": False,
                    "summary": "{{fields.weekday}} {{fields.time}}: {{fields.name}} ({{fields.level}})",
                    "fields": classes,
                }
            )
        else:
            top.append(timetable_field(f, settings, levels))
    form = {
        "name": "timetable",
        "label": "Class timetable",
        "format": "timetable-yaml",
        "files": [{"name": "timetable", "label": "Class timetable", "file": file, "fields": top}],
    }
    text = {
        "name": "timetable-text",
        "label": "Class timetable (as text)",
        "format": "pelican-raw",
        "editor": {"preview": True},
        "files": [
            {
                "name": "timetable-text",
                "label": "Class timetable (as text)",
                "file": file,
                "fields": [
                    {"label": "YAML", "name": "body", "widget": "text", "hint": "docs/writing.md, section 13"}
                ],
            }
        ],
    }
    return [form, text]


def site_data(settings: dict, entry_prefix: str = "") -> dict:
    """What the editor's script needs besides the config: people, booking targets, field order, and
    what to put before an entry's path to name its file in the project (the local backend's paths
    start inside the content folder: ``content/``)."""
    people = settings.get("PEOPLE") or {}
    targets = settings.get("BOOKING_TARGETS") or {}
    return {
        "entry_prefix": entry_prefix,
        "order": [n for n in ORDER if n in frontmatter.FIELDS]
        + [n for n in frontmatter.FIELDS if n not in ORDER],
        "people": {
            key: {"name": p.get("name", key), "credentials": ", ".join(p.get("credentials") or ())}
            for key, p in people.items()
        },
        "booking": {
            "default": settings.get("BOOKING_DEFAULT") or "",
            "targets": {key: t.get("label", key) for key, t in targets.items()},
        },
        "timetable": {
            "order": [f.key for f in timetable_model.FIELDS],
            "kinds": {f.key: f.kind for f in timetable_model.FIELDS},
            "file_order": [f.key for f in timetable_model.FILE_FIELDS],
            "file_kinds": {f.key: f.kind for f in timetable_model.FILE_FIELDS},
        },
        "bibliography_kinds": {ext: label for ext, label, _ in BIBLIOGRAPHY_KINDS},
    }


def to_yaml(config: dict) -> str:
    head = "# Generated by sitetools/cms/config.py from the site's settings and plugins: do not edit.\n"
    return head + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=110)


def load_settings(project: Path, settings_file: str = "pelicanconf.py") -> dict:
    """The site's settings as Pelican reads them (no plugin is loaded)."""
    from pelican.settings import read_settings

    return read_settings(str(project / settings_file))
