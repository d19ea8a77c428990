"""Pelican glue for clinical content: people, review dates, care cards, structured data, reading age.

The rules live in the pure modules (people, review, cards, jsonld, readability, citelint); this file
only connects them to Pelican's signals and reports through the shared diagnostics.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from markupsafe import Markup
from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import Generator
from pelican.urlwrappers import Author

import diagnostics
from frontmatter.core import field_line
from pelican_content import all_contents, forget_memoized

from . import cards, citelint, jsonld, readability
from .people import ConfigError, load_people, unknown_person_message
from .review import ADVISORY, review
from .settings import DEFAULTS

CHECK = "clinical"


_STATE: dict = {"people": {}, "readability": readability.MeasureCache()}
#: Reading ages measured by earlier builds, in Pelican's cache folder (only when it caches content).
READABILITY_CACHE = "clinical-readability.json"


def _settings_file() -> str:
    return "pelicanconf.py"


def _config_error(message: str, pattern: str = "") -> None:
    path = _settings_file()
    diagnostics.error(path, diagnostics.line_of(path, pattern) if pattern else None, message, CHECK)
    raise diagnostics.ReportedError(path, message)


def initialized(pelican) -> None:
    settings = pelican.settings
    for name, default in DEFAULTS.items():  # values checked at start-up: see clinical.settings
        settings.setdefault(name, default)
    try:
        people = load_people(
            settings["PEOPLE"], settings["CLINICAL_PERSON_URL"], settings["CLINICAL_PERSON_SAVE_AS"]
        )
    except ConfigError as exc:
        _config_error(str(exc), "PEOPLE")
    _STATE["people"] = people
    cache_path = None
    if settings.get("CACHE_CONTENT") and settings.get("CACHE_PATH"):
        cache_path = str(Path(settings["CACHE_PATH"]) / READABILITY_CACHE)
    _STATE["readability"] = readability.MeasureCache(cache_path)
    # Demo people (person.demo) are refused in production with every other demo value, in one error
    # (plugins/demo_values.py, reported by the booking plugin, which starts first).
    extensions = settings.setdefault("MARKDOWN", {}).setdefault("extensions", [])
    if not any(isinstance(e, cards.CareCardExtension) for e in extensions):
        extensions.append(cards.CareCardExtension())
    settings["JINJA_FILTERS"] = {**settings.get("JINJA_FILTERS", {}), "jsonld": jsonld.script_json}


# --- reading each file ----------------------------------------------------------------------


def _production(settings: dict, content) -> bool:
    return settings.get("SITE_ENV") == "production" and getattr(content, "status", "") != "draft"


def _resolve_authors(content, people, settings) -> tuple:
    """Turn `author:`/`authors:` person keys into Authors named and slugged like the person."""
    if "author" not in content.metadata and "authors" not in content.metadata:
        return ()  # Pelican's default AUTHOR
    field = "authors" if "authors" in content.metadata else "author"
    persons, authors = [], []
    for author in content.authors:
        person = people.get(author.name)
        if person is None:
            diagnostics.error(
                content.source_path,
                field_line(content.source_path, field),
                unknown_person_message(field, author.name, people),
                CHECK,
            )
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
    people = _STATE["people"]
    persons = _resolve_authors(content, people, settings)
    info, problems = review(
        content.metadata,
        authors=persons,
        people=people,
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
    _lint_citations(content, settings)


def _lint_citations(content, settings) -> None:
    folder = Path(settings["PATH"]) / settings["CLINICAL_BIBLIOGRAPHY_PATH"]
    entries = citelint.load_bibliography(folder) if folder.is_dir() else []
    if not entries:
        return
    text = Path(content.source_path).read_text(encoding="utf-8-sig")
    for finding in citelint.lint(text, entries):
        diagnostics.warning(content.source_path, finding.line, finding.message, CHECK)


# --- after reading: care cards and reading age -----------------------------------------------


def _booking_urls(settings) -> list[str]:
    """Every booking page the site links to (the booking plugin's targets, or a single BOOKING_URL)."""
    urls = [settings.get("BOOKING_URL") or ""]
    targets = settings.get("BOOKING_TARGETS") or {}
    urls += [t.get("url", "") for t in targets.values() if isinstance(t, dict)]
    return [u for u in urls if u]


def _fill_cards(generator, content) -> None:
    html = content._content or ""
    if "clinical:care-card" not in html:
        return
    macro = generator.env.get_template("components/care_card.html").module.care_card

    def render(card_type: str, heading: str, level: int, body: str) -> str:
        return str(macro(card_type, heading, html=Markup(body), heading_level=level))

    html, found = cards.fill(html, render)
    booking_urls = _booking_urls(generator.settings)
    for card in found:
        if card["type"] in cards.NO_BOOKING and cards.booking_links(card["body"], booking_urls):
            diagnostics.error(
                content.source_path,
                diagnostics.line_of(content.source_path, card["heading"]) if card["heading"] else None,
                f"a booking link inside the {card['type']} care card '{card['heading']}'; people who need "
                "urgent care must not be sent to book a routine appointment: move the link out of the card",
                CHECK,
            )
    content._content = html
    forget_memoized(content)


def _reading_age(generator, content) -> None:
    settings = generator.settings
    result = _STATE["readability"].measure(content._content or "")
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
            _reading_age(generator, content)


# --- writing: structured data and profile pages -----------------------------------------------


def _structured_data(generator, content) -> None:
    settings = generator.settings
    siteurl = settings.get("SITEURL", "")
    info = getattr(content, "review", None)
    if info is None:
        content.structured_data = None
        return
    category = getattr(content, "category", None)
    is_article = isinstance(content, Article)
    facts = jsonld.PageFacts(
        kind="article" if is_article else "page",
        url=jsonld.absolute(siteurl, content.url),
        title=_plain(content.title),
        description=_plain(getattr(content, "summary", "") or ""),
        language=settings.get("DEFAULT_LANG", "en"),
        review=info,
        about=str(category) if category else "",
        date_published=content.date.isoformat() if is_article else "",
        date_modified=content.modified.isoformat() if is_article and hasattr(content, "modified") else "",
        fallback_author=str(content.author) if not info.authors and hasattr(content, "author") else "",
        citations=list(getattr(content, "citations", None) or ()),
    )
    content.structured_data = jsonld.build(facts, settings.get("CLINIC", {}), siteurl)


def _plain(html: str) -> str:
    return " ".join(Markup(str(html)).striptags().split())


def write_article(generator, content) -> None:
    _structured_data(generator, content)


class PeopleGenerator(Generator):
    """Writes a profile page (person.html) for every person in PEOPLE."""

    def generate_context(self) -> None:
        self.context["PEOPLE_LIST"] = list(_STATE["people"].values())

    def generate_output(self, writer) -> None:
        articles = self.context.get("articles", [])
        pages = self.context.get("pages", [])
        template = self.get_template("person")
        for person in _STATE["people"].values():
            written = [a for a in articles if person in getattr(a.review, "authors", ())]
            reviewed = [c for c in (*articles, *pages) if getattr(c.review, "reviewer", None) == person]
            writer.write_file(
                person.save_as,
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                person=person,
                written=written,
                reviewed=reviewed,
            )


def get_generators(pelican):
    return PeopleGenerator


def finalized(pelican) -> None:
    _STATE["readability"].save()


# The live preview (sitetools/preview/changes.py): cards, reviews and reading age: each page on its own.
LIVE_RELOAD_SCOPE = "object"


def register() -> None:
    signals.initialized.connect(initialized)
    signals.finalized.connect(finalized)
    signals.content_object_init.connect(content_object_init)
    signals.article_generator_finalized.connect(generator_finalized)
    signals.page_generator_finalized.connect(generator_finalized)
    signals.article_generator_write_article.connect(write_article)
    signals.page_generator_write_page.connect(write_article)
    signals.get_generators.connect(get_generators)
