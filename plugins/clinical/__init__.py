"""Pelican glue for clinical content: people, review dates, care cards, structured data, reading age.

The rules live in the pure modules (people, review, card_types, cards, card_checks, jsonld,
readability, citelint) and the profile pages in ``profiles``; this file only connects them to
Pelican's signals and reports through the shared diagnostics.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from markupsafe import Markup
from pelican import signals
from pelican.contents import Article, Page
from pelican.urlwrappers import Author

import diagnostics
import pipeline
import settings_schema
from citations import bibliography as citations_bibliography
from citations import settings as citations_settings
from frontmatter.core import field_line
from pelican_content import all_contents, forget_memoized
from reading import text as prose

from . import cards, citelint, jsonld, profiles, readability
from .card_types import CARD_TYPES
from .people import ConfigError, load_people, match_authors, unknown_person_message
from .review import ADVISORY, review
from .settings import DEFAULTS

CHECK = "clinical"
#: The plugins whose output this one reads: the bibliography and reference lists (the citation lint,
#: JSON-LD `citation`), the booking links (none in urgent cards).
AFTER = ("citations", "booking")

#: What templates get from this plugin (also the test suite's theme environment: tests/theme_env.py).
JINJA_FILTERS = {"jsonld": jsonld.script_json}
JINJA_GLOBALS = {"CARE_CARD_TYPES": CARD_TYPES}

#: The Markdown syntax this plugin adds (plugins/pipeline.py).
MARKDOWN_EXTENSIONS = (cards.CareCardExtension,)

state = pipeline.BuildState(people={})  # the people of this build, loaded and checked at start-up


def initialized(pelican) -> None:
    settings = pelican.settings
    state.reset()
    pipeline.check_order(settings)
    for name, default in DEFAULTS.items():  # values checked at start-up: see clinical.settings
        settings.setdefault(name, default)
    try:
        state.people = load_people(
            settings["PEOPLE"], settings["CLINICAL_PERSON_URL"], settings["CLINICAL_PERSON_SAVE_AS"]
        )
    except ConfigError as exc:
        settings_schema.report(str(exc))
        raise diagnostics.ReportedError("pelicanconf.py", str(exc)) from None
    # Demo people (person.demo) are refused in production with every other demo value, in one error
    # (plugins/demo_values.py, reported by the booking plugin, which starts first).
    pipeline.add_markdown_extensions(settings, MARKDOWN_EXTENSIONS)
    pipeline.add_jinja(settings, JINJA_FILTERS, JINJA_GLOBALS)


# --- reading each file ----------------------------------------------------------------------


def _production(settings: dict, content) -> bool:
    return settings.get("SITE_ENV") == "production" and getattr(content, "status", "") != "draft"


def _resolve_authors(content, settings) -> tuple:
    """Turn `author:`/`authors:` person keys into Authors named and slugged like the person."""
    if "author" not in content.metadata and "authors" not in content.metadata:
        return ()  # Pelican's default AUTHOR
    field = "authors" if "authors" in content.metadata else "author"
    persons, authors = [], []
    matched = match_authors([a.name for a in content.authors], state.people)
    for author, person in zip(content.authors, matched, strict=True):
        if isinstance(person, str):
            message = unknown_person_message(field, person, state.people)
            diagnostics.error(content.source_path, field_line(content.source_path, field), message, CHECK)
            authors.append(author)
            continue
        renamed = Author(person.name, settings)
        renamed.slug = person.key
        persons.append(person)
        authors.append(renamed)
    content.authors = authors
    content.author = authors[0] if authors else content.author
    return tuple(persons)


def content_object_init(content) -> None:
    if not isinstance(content, Article | Page) or not content.source_path:
        return
    settings = content.settings
    info, problems = review(
        content.metadata,
        authors=_resolve_authors(content, settings),
        people=state.people,
        months=settings["CLINICAL_REVIEW_MONTHS"],
        today=dt.date.today(),
        date_format=settings.get("DEFAULT_DATE_FORMAT", "%-d %B %Y"),
    )
    content.review = info
    for problem in problems:
        severity = problem.severity
        if severity == ADVISORY:
            severity = diagnostics.ERROR if _production(settings, content) else diagnostics.WARNING
        line = field_line(content.source_path, problem.field) if problem.field else 1
        diagnostics.report(content.source_path, line, severity, problem.message, CHECK)


# --- after reading: care cards; after all plugins' HTML: reading age, typed citations ------------


def _fill_cards(generator, content) -> None:
    html = content._content or ""
    if "clinical:care-card" not in html:
        return
    macro = generator.env.get_template("components/care_card/care_card.html").module.care_card

    def render(card_type: str, heading: str, level: int, body: str) -> str:
        return str(macro(card_type, heading, html=Markup(body), heading_level=level))

    html, found = cards.fill(html, render)
    targets = generator.settings.get("BOOKING_TARGETS") or {}
    booking_urls = [t.get("url", "") for t in targets.values() if isinstance(t, dict)]
    for heading, message in cards.booking_problems(found, booking_urls):
        line = diagnostics.line_of(content.source_path, heading) if heading else None
        diagnostics.error(content.source_path, line, message, CHECK)
    content._content = html
    forget_memoized(content)


def _measure(content) -> list[int]:
    result = readability.measure(prose.of(content))  # the pass reading time uses too
    return [result.words, result.sentences, result.syllables]


def _reading_age(content, settings, memo: pipeline.Memo) -> None:
    key = pipeline.digest(content._content or "")
    result = readability.Readability(*memo.get(key, lambda: _measure(content)))  # each HTML measured once
    content.readability = result
    content.reading_age = result.reading_age if result.words else None
    if getattr(content, "status", "published") != "published":
        return
    finding = readability.assess(
        result,
        content.review.is_clinical if hasattr(content, "review") else False,
        settings["CLINICAL_READING_AGE_TARGET"],
        settings["CLINICAL_READING_AGE_LIMIT"],
    )
    if finding:
        diagnostics.report(content.source_path, None, finding.severity, finding.message, CHECK)


def generator_finalized(generator) -> None:
    for content in all_contents([generator]):
        if content.source_path:
            _fill_cards(generator, content)


def _lint_citations(contents, settings) -> None:
    """Author–year citations typed as text, against the citations plugin's bibliography (its reader,
    and the .bib conversions it cached this build)."""
    config = citations_settings.read(settings)
    loader = citations_bibliography.Loader(
        config.cache_path,
        max_bytes=config.max_bytes,
        timeout=config.pandoc_timeout,
        memory=config.pandoc_memory,
    )
    site = citations_bibliography.folder_files(config.bibliography_path)
    read: dict[tuple, tuple[list, str]] = {}  # the same files (most articles: the site's folder) read once
    memo = _memo(settings, "citation-lint")
    for content in contents:
        named = content.metadata.get("bibliography")
        files = (*site, *citelint.article_files(content.source_path, named, config.content_path))
        if files not in read:
            found = citelint.entries(loader.load_many(list(files)).entries.values())
            read[files] = (found, pipeline.digest(*(f"{e.key} {e.surname} {e.year}" for e in found)))
        entries, entries_key = read[files]
        if not entries:
            continue
        text = Path(content.source_path).read_text(encoding="utf-8-sig")
        findings = memo.get(  # an unchanged source against the same entries is linted once
            pipeline.digest(text, entries_key),
            lambda text=text, found=entries: [[f.line, f.text, f.keys] for f in citelint.lint(text, found)],
        )
        for line, typed, keys in findings:
            message = citelint.Finding(line, typed, tuple(keys)).message
            diagnostics.warning(content.source_path, line, message, CHECK)
    memo.save()


def _memo(settings, name: str) -> pipeline.Memo:
    load = bool(settings.get("LOAD_CONTENT_CACHE", True))
    return pipeline.Memo(settings.get("CACHE_PATH"), name, VERSIONS[name], load=load)


def all_generators_finalized(generators) -> None:
    if generators:
        settings = generators[0].settings
        contents = [c for c in all_contents(generators) if c.source_path]
        memo = _memo(settings, "reading-age")
        for content in contents:  # after the reference lists are in place, as reading time
            _reading_age(content, settings, memo)
        memo.save()
        _lint_citations(contents, settings)


all_generators_finalized.live_reload_scope = "object"  # each content object on its own (sitetools/preview)


#: The code each memo's entries come from (pipeline.Memo): a change to it makes them all again.
VERSIONS = {
    "reading-age": pipeline.code_version(readability, prose, sys.modules[__name__]),
    "citation-lint": pipeline.code_version(citelint, sys.modules[__name__]),
}


# --- writing: structured data and profile pages -----------------------------------------------


def write_article(generator, content) -> None:
    if getattr(content, "review", None) is None:
        content.structured_data = None
        return
    kind = "article" if isinstance(content, Article) else "page"
    facts = jsonld.page_facts(content, generator.settings, kind)
    settings = generator.settings
    content.structured_data = jsonld.build(facts, settings.get("CLINIC", {}), settings.get("SITEURL", ""))


PeopleGenerator = profiles.make_generator(state)


def get_generators(pelican):
    return PeopleGenerator


# The live preview (sitetools/preview/changes.py): cards, reviews and reading age: each page on its own.
LIVE_RELOAD_SCOPE = "object"


def register() -> None:
    signals.initialized.connect(initialized)
    signals.content_object_init.connect(content_object_init)
    signals.article_generator_finalized.connect(generator_finalized)
    signals.page_generator_finalized.connect(generator_finalized)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.article_generator_write_article.connect(write_article)
    signals.page_generator_write_page.connect(write_article)
    signals.get_generators.connect(get_generators)
