"""Pelican glue: guard the content folder and the output paths.

- On ``get_generators`` (the start of every build, before any generator exists; unlike
  ``initialized`` it also fires on every rebuild of ``invoke livereload``): scan ``content/`` for
  symlinks leading out of it, fifos, sockets, devices, files over the size limits, text that is
  not UTF-8 or holds control characters, and Markdown nested too deeply to read. Any of them
  stops the build there.
- On ``all_generators_finalized`` (everything read, nothing written yet): check where each article
  and page will be written against the home page, the direct templates, feeds, taxonomy pages,
  theme and static files, the site's own folders, and each other.
"""

from __future__ import annotations

import os
from pathlib import Path

from pelican import signals
from pelican.paginator import Paginator

import diagnostics
from frontmatter.core import field_line
from pelican_content import all_contents

from .outputs import Output, check, reserved_folders
from .scan import Limits, scan, within
from .settings import DEFAULTS

CHECK = "contentguard"

#: Output patterns of content objects (their folders, e.g. articles/, are not reserved).
_CONTENT_PATTERNS = (
    "ARTICLE_SAVE_AS",
    "ARTICLE_LANG_SAVE_AS",
    "DRAFT_SAVE_AS",
    "DRAFT_LANG_SAVE_AS",
    "PAGE_SAVE_AS",
    "PAGE_LANG_SAVE_AS",
    "DRAFT_PAGE_SAVE_AS",
    "DRAFT_PAGE_LANG_SAVE_AS",
)
_FEEDS = ("FEED_ATOM", "FEED_RSS", "FEED_ALL_ATOM", "FEED_ALL_RSS")
_TAXONOMY_FEEDS = {"categories": "CATEGORY", "tags": "TAG", "authors": "AUTHOR"}


def _limits(settings) -> Limits:
    """The size and nesting limits (values checked at start-up: see contentguard.settings)."""
    values = {name: settings.get(name, default) for name, default in DEFAULTS.items()}
    return Limits(
        values["CONTENT_MAX_FILE_BYTES"],
        values["CONTENT_MAX_STATIC_BYTES"],
        values["CONTENT_MAX_NESTING"],
        values["CONTENT_MAX_VIDEO_BYTES"],
    )


def _scan_content(pelican) -> None:
    """Stop the build before anything in content/ is read when something there is unsafe to read."""
    # Connected here, after every plugin's register(): the images plugin reports pictures that
    # leave content/ with their line first, and this check sees only the links left over.
    signals.page_generator_finalized.connect(_confine_static_links)
    settings = pelican.settings
    limits = _limits(settings)
    findings = scan(
        settings["PATH"],
        limits,
        static_paths=tuple(settings.get("STATIC_PATHS") or ()),
        ignore=tuple(settings.get("IGNORE_FILES") or ()),
    )
    for finding in findings:
        # The folder is resolved, the entry itself not: a symlink is named where it is, not its target.
        where = f"{diagnostics.relpath(finding.path.parent)}/{finding.path.name}"
        diagnostics.COLLECTOR.add(
            diagnostics.Diagnostic(where, finding.line, diagnostics.ERROR, finding.message, CHECK)
        )
    if findings:
        raise diagnostics.ReportedError(
            settings["PATH"], "the content folder has files the build cannot read"
        )


def _confine_static_links(generator) -> None:
    """A file linked with {static} or {attach} is copied into the site: one outside content/ (say
    `{static}/../pelicanconf.py`) is never copied, and is an error at its article's line."""
    links = generator.context.get("static_links")
    root = os.path.realpath(generator.settings["PATH"])
    outside = {p for p in links or () if not within(os.path.realpath(os.path.join(root, p)), root)}
    if not outside:
        return
    links.difference_update(outside)
    contents = [*generator.context.get("articles", ()), *generator.context.get("drafts", ())]
    contents += [*generator.context.get("pages", ()), *generator.context.get("hidden_pages", ())]
    contents += list(generator.context.get("draft_pages", ()))
    for obj in contents:
        for path in sorted(obj.get_static_links() & outside):
            diagnostics.error(
                obj.source_path,
                diagnostics.line_of(obj.source_path, os.path.basename(path)),
                f"the link to '{path}' leaves the content folder: a file linked with {{static}} or "
                "{attach} is published with the site, so it must be inside content/; copy it there "
                "and link to the copy",
                CHECK,
            )


# --- output paths ----------------------------------------------------------------------------


def _describe(key: str) -> str:
    name = key.removesuffix("_SAVE_AS").lower().replace("_", " ")
    return f"{name} pages ({key})"


def _reserved(settings) -> dict[str, str]:
    patterns = {
        _describe(key): value
        for key, value in settings.items()
        if key.endswith("_SAVE_AS") and key not in _CONTENT_PATTERNS and isinstance(value, str)
    }
    for key, value in settings.items():
        if key.endswith(("_ATOM", "_RSS")) and "FEED" in key and isinstance(value, str):
            patterns[f"feeds ({key})"] = value
    patterns[f"the theme's files (THEME_STATIC_DIR = {settings['THEME_STATIC_DIR']!r})"] = (
        f"{settings['THEME_STATIC_DIR']}/x"
    )
    for folder in settings.get("STATIC_PATHS") or ():
        patterns[f"static files (STATIC_PATHS {folder!r})"] = f"{folder}/x"
    content = {key: settings.get(key) for key in _CONTENT_PATTERNS if isinstance(settings.get(key), str)}
    return reserved_folders(patterns, content)


def _theme_files(settings) -> list[Output]:
    outs = []
    theme = Path(settings["THEME"])
    for path in settings.get("THEME_STATIC_PATHS") or ():
        source = theme / path
        files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
        for file in files:
            rel = file.name if file == source else file.relative_to(source).as_posix()
            what = f"the theme file {diagnostics.relpath(file)}"
            outs.append(Output(f"{settings['THEME_STATIC_DIR']}/{rel}", what))
    return outs


def _pages(template: str, save_as: str, articles: list, settings) -> list[str]:
    """Where pages 2, 3 ... of a paginated template go (index2.html with Pelican's default)."""
    paginated = settings.get("PAGINATED_TEMPLATES") or {}
    if template not in paginated:
        return []
    per_page = paginated[template] or settings.get("DEFAULT_PAGINATION")
    if not per_page or not articles:
        return []
    paginator = Paginator(save_as, save_as, articles, settings, per_page)
    return [paginator.page(number).save_as for number in range(2, paginator.num_pages + 1)]


def _other_outputs(generators, settings) -> list[Output]:
    outs = []
    articles = next((g.articles for g in generators if hasattr(g, "articles") and hasattr(g, "dates")), [])
    for template in settings.get("DIRECT_TEMPLATES") or ():
        save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
        if save_as:
            what = "the home page" if template == "index" else f"the {template} page"
            outs.append(Output(save_as, f"{what} (DIRECT_TEMPLATES '{template}')"))
            for number, page in enumerate(_pages(template, save_as, articles, settings), 2):
                outs.append(Output(page, f"page {number} of {what} (DIRECT_TEMPLATES '{template}')"))
    for key in _FEEDS:
        if settings.get(key):
            outs.append(Output(str(settings[key]), f"the feed {key}"))
    for generator in generators:
        for attr, prefix in _TAXONOMY_FEEDS.items():
            items = getattr(generator, attr, None) or ()
            for item in items.items() if isinstance(items, dict) else items:
                taxon = item[0] if isinstance(item, tuple) else item
                if getattr(taxon, "save_as", None):
                    outs.append(Output(taxon.save_as, f"the {prefix.lower()} page of '{taxon}'"))
                for kind in ("ATOM", "RSS"):
                    if pattern := settings.get(f"{prefix}_FEED_{kind}"):
                        slug = getattr(taxon, "slug", "")
                        outs.append(
                            Output(str(pattern).format(slug=slug), f"the {prefix.lower()} feed of '{taxon}'")
                        )
        for static in getattr(generator, "staticfiles", None) or ():
            outs.append(Output(static.save_as, f"the static file {diagnostics.relpath(static.source_path)}"))
    if any("sitemap" in str(p) for p in settings.get("PLUGINS") or ()):
        outs.append(Output("sitemap.xml", "the sitemap (pelican.plugins.sitemap)"))
    return outs + _theme_files(settings)


#: (source path, working folder) -> the path as people see it: diagnostics.relpath resolves symlinks
#: (a few system calls per file), and the live preview checks every output again on each rebuild.
_RELPATHS: dict[tuple[str, str], str] = {}


def _relpath(source: str) -> str:
    key = (source, os.getcwd())
    if key not in _RELPATHS:
        _RELPATHS[key] = diagnostics.relpath(source)
    return _RELPATHS[key]


def _content_output(obj, save_as: str, named=str) -> Output:
    rel = named(obj.source_path)
    for key, label in (("save_as", "'Save_as:'"), ("slug", "'Slug:'")):
        if key in obj.metadata:
            cause = f"'{key}: {obj.metadata[key]}'"
            return Output(save_as, rel, obj.source_path, key, cause, label, obj.slug)
    cause = f"the slug '{obj.slug}' (made from the title)" if obj.slug else "the title"
    return Output(save_as, rel, obj.source_path, "title", cause, "the title, or set 'Slug:'", obj.slug)


def _check_outputs(generators) -> None:
    generators = list(generators)
    settings = generators[0].settings
    # Pelican works save_as out from the settings on each use: once here
    objects = [(obj, save_as) for obj in all_contents(generators) if (save_as := getattr(obj, "save_as", ""))]
    others, reserved = _other_outputs(generators, settings), _reserved(settings)
    problems = check([_content_output(*each) for each in objects], others, reserved)
    if problems:  # again, with each file named as people see it (resolving 1,000 paths takes a while)
        problems = check([_content_output(*each, _relpath) for each in objects], others, reserved)
    for out, message in problems:
        diagnostics.error(out.source, field_line(out.source, out.field), message, CHECK)
    if problems:
        raise diagnostics.ReportedError(problems[0][0].source, "two sources would write one file")


# The live preview (sitetools/preview): a pure check over the whole site, safe to run again on every rebuild.
_check_outputs.live_reload_scope = "site"


# The live preview (sitetools/preview/changes.py): pure checks over the whole site, safe to repeat.
LIVE_RELOAD_SCOPE = "site"


def register() -> None:
    signals.get_generators.connect(_scan_content)
    signals.all_generators_finalized.connect(_check_outputs)


__all__ = ["DEFAULTS", "register"]
