"""The clinic's people (authors and reviewers): defined once in the PEOPLE setting, named by key.

    PEOPLE = {
        "alex-example": {
            "name": "Alex Example",
            "role": "Physiotherapist",
            "credentials": ["MCSP"],
            "registration": {"body": "HCPC", "number": "PH000000 (demo)"},
            "bio": "One or two plain sentences.",
            "demo": True,
        },
    }

Pure Python (no Pelican import): load and check the setting, resolve keys, list who did what.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from demo_values import is_demo_person

#: The fields a person may have, with what each is for (the README table reads the same words).
PERSON_FIELDS: dict[str, str] = {
    "name": "Full name as shown on the site (required).",
    "role": "Job title, e.g. Physiotherapist (required).",
    "credentials": "Post-nominal letters of professional bodies, e.g. ['MCSP'].",
    "registration": "Statutory registration: {'body': 'HCPC', 'number': 'PH123456'}.",
    "bio": "A short plain-text biography for the profile page.",
    "demo": "True for a fictional demo person (so is anyone with '(demo)' in their details); the "
    "production build refuses them.",
}
REQUIRED = ("name", "role")
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ConfigError(ValueError):
    """The PEOPLE setting is wrong; the message says what to change."""


@dataclass(frozen=True)
class Registration:
    body: str
    number: str


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    role: str
    credentials: tuple[str, ...] = ()
    registration: Registration | None = None
    bio: str = ""
    demo: bool = False
    url: str = ""  # the profile page, relative to the site root
    save_as: str = ""

    @property
    def display_name(self) -> str:
        """ "Alex Example, MCSP": the name with post-nominals, as a byline shows it."""
        return ", ".join((self.name, *self.credentials))


def _text(key: str, field: str, value, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ConfigError(f"PEOPLE['{key}']['{field}'] must be a non-empty text, not {value!r}")
    return value.strip()


def load_people(
    raw, url_pattern: str = "people/{key}/", save_as_pattern: str = "people/{key}/index.html"
) -> dict[str, Person]:
    """Check the PEOPLE setting and return Person records by key; ConfigError says what is wrong."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"PEOPLE must be a dict of person key -> details, not {type(raw).__name__}")
    people: dict[str, Person] = {}
    for key, entry in raw.items():
        if not isinstance(key, str) or not _KEY.match(key):
            raise ConfigError(
                f"PEOPLE key {key!r} must be lower-case words joined by hyphens, e.g. 'alex-example'"
                " (it becomes the URL of the profile page)"
            )
        if not isinstance(entry, dict):
            raise ConfigError(f"PEOPLE['{key}'] must be a dict with at least 'name' and 'role'")
        unknown = sorted(set(entry) - set(PERSON_FIELDS))
        if unknown:
            field = unknown[0]
            raise ConfigError(
                f"PEOPLE['{key}'] has an unknown field '{field}'{suggest(field, PERSON_FIELDS)}; "
                f"known fields: {', '.join(PERSON_FIELDS)}"
            )
        for field in REQUIRED:
            if field not in entry:
                raise ConfigError(f"PEOPLE['{key}'] has no '{field}': {PERSON_FIELDS[field]}")
        credentials = entry.get("credentials", ())
        if isinstance(credentials, str):
            credentials = [credentials]
        if not all(isinstance(c, str) and c.strip() for c in credentials):
            raise ConfigError(f"PEOPLE['{key}']['credentials'] must be a list of texts, e.g. ['MCSP']")
        registration = entry.get("registration")
        if registration is not None:
            if not isinstance(registration, dict) or set(registration) != {"body", "number"}:
                raise ConfigError(
                    f"PEOPLE['{key}']['registration'] must be {{'body': 'HCPC', 'number': 'PH123456'}}"
                )
            registration = Registration(
                _text(key, "registration body", registration["body"], True),
                _text(key, "registration number", registration["number"], True),
            )
        demo = entry.get("demo", False)
        if not isinstance(demo, bool):
            raise ConfigError(f"PEOPLE['{key}']['demo'] must be True or False, not {demo!r}")
        people[key] = Person(
            key=key,
            name=_text(key, "name", entry["name"], True),
            role=_text(key, "role", entry["role"], True),
            credentials=tuple(c.strip() for c in credentials),
            registration=registration,
            bio=_text(key, "bio", entry.get("bio")),
            demo=is_demo_person(entry),
            url=url_pattern.format(key=key),
            save_as=save_as_pattern.format(key=key),
        )
    return people


def suggest(value: str, known) -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def unknown_person_message(field: str, value: str, people: dict[str, Person]) -> str:
    """What to say when `author:`/`reviewed_by:` names nobody in PEOPLE."""
    by_name = {p.name.lower(): p.key for p in people.values()}
    if value.lower() in by_name:
        hint = f" (write the person's key: '{by_name[value.lower()]}')"
    else:
        hint = suggest(value, people)
    known = ", ".join(people) or "none yet"
    return (
        f"'{field}: {value}' names nobody in PEOPLE{hint}; people are defined once in pelicanconf.py "
        f"(keys: {known})"
    )


def match_authors(names: list[str], people: dict[str, Person]) -> list[Person | str]:
    """Each `author:` name as its Person, or the name itself when PEOPLE has nobody by that key."""
    return [people.get(name, name) for name in names]
