"""Settings of the clinical plugin, each declared once (checked at start-up by settings_schema).

What a person in PEOPLE must have is checked by :func:`clinical.people.load_people`, run here as
:func:`check` so that a problem names the line of the person's entry.
"""

from __future__ import annotations

from settings_schema import Retired, Setting, mapping, number, text, whole_number

from .people import ConfigError, load_people

SETTINGS = (
    Setting("PEOPLE", {}, "authors and reviewers by key (see People)", mapping()),
    Retired(
        "CLINICAL_CATEGORIES",
        "every article and education page is clinical unless its header says 'Clinical: no' (e.g. clinic "
        "news, About, Contact); delete the setting and add 'Clinical: no' to the pages that give no "
        "health advice",
    ),
    Setting(
        "CLINICAL_REVIEW_MONTHS",
        12,
        "`review_due` = `reviewed` + this many months when not given",
        whole_number(1),
    ),
    Setting("CLINICAL_READING_AGE_TARGET", 11, "reading age above this is flagged", number(0)),
    Setting(
        "CLINICAL_READING_AGE_LIMIT",
        14,
        "clinical pages up to this get a note, above it a warning",
        number(0, at_least="CLINICAL_READING_AGE_TARGET"),
    ),
    Setting("CLINICAL_PERSON_URL", "people/{key}/", "URL of a profile page", text(contains="{key}")),
    Setting(
        "CLINICAL_PERSON_SAVE_AS",
        "people/{key}/index.html",
        "where a profile page is written",
        text(contains="{key}"),
    ),
    Retired(
        "CLINICAL_BIBLIOGRAPHY_PATH",
        "the citation lint reads the citations plugin's bibliography (CITATIONS_BIBLIOGRAPHY_PATH and each "
        "article's 'bibliography:'); delete the setting",
    ),
)
DEFAULTS = {s.name: s.default for s in SETTINGS if isinstance(s, Setting)}


def check(settings) -> list[str]:
    """What is wrong inside PEOPLE (the first problem; each message starts with the setting)."""
    try:
        load_people(settings["PEOPLE"], settings["CLINICAL_PERSON_URL"], settings["CLINICAL_PERSON_SAVE_AS"])
    except ConfigError as exc:
        return [str(exc)]
    return []
