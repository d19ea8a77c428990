"""Clinical review rules: who reviewed a page, when, and when the next review is due.

Pure Python (no Pelican import). The glue passes the page's metadata (strings, as written) and
gets back a :class:`Review` for the templates and a list of :class:`Problem` for the diagnostics.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .people import Person, unknown_person_message

TRUE = {"true", "yes", "1"}
FALSE = {"false", "no", "0"}

#: Severity of a problem that is advisory while writing and fatal when publishing.
ADVISORY = "advisory"
ERROR = "error"


@dataclass(frozen=True)
class Problem:
    field: str  # the metadata field to point at ("" for the file as a whole)
    message: str
    severity: str = ERROR  # ERROR always fails; ADVISORY is a warning in development, an error in production


@dataclass(frozen=True)
class ReviewDate:
    date: dt.date
    text: str  # formatted with the site's date format, e.g. "2 November 2026"

    @property
    def iso(self) -> str:
        return self.date.isoformat()


@dataclass(frozen=True)
class Review:
    """Everything the byline and the structured data need about a page's clinical review."""

    is_clinical: bool
    authors: tuple[Person, ...] = ()
    reviewer: Person | None = None
    reviewed: ReviewDate | None = None
    review_due: ReviewDate | None = None
    overdue: bool = False


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def parse_date(value) -> dt.date | None:
    """A metadata date (YYYY-MM-DD, maybe with a time) or None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def is_clinical(metadata: dict) -> tuple[bool, Problem | None]:
    """Whether the review rules apply: every article and page is clinical unless it says `clinical: no`."""
    flag = metadata.get("clinical")
    if flag is None:
        return True, None
    text = str(flag).strip().lower()
    if text in TRUE:
        return True, None
    if text in FALSE:
        return False, None
    return True, Problem("clinical", f"'clinical: {flag}' must be yes or no (true or false)")


def review(
    metadata: dict,
    *,
    authors: tuple[Person, ...],
    people: dict[str, Person],
    months: int,
    today: dt.date,
    date_format: str = "%-d %B %Y",
) -> tuple[Review, list[Problem]]:
    """Resolve the reviewer and review dates of one page and say what is missing or out of date."""
    problems: list[Problem] = []
    clinical, problem = is_clinical(metadata)
    if problem:
        problems.append(problem)

    reviewer = None
    reviewer_key = str(metadata.get("reviewed_by") or "").strip()
    if reviewer_key:
        reviewer = people.get(reviewer_key)
        if reviewer is None:
            problems.append(
                Problem("reviewed_by", unknown_person_message("reviewed_by", reviewer_key, people))
            )

    def as_review_date(field: str) -> ReviewDate | None:
        raw = metadata.get(field)
        if raw in (None, ""):
            return None
        day = parse_date(raw)
        if day is None:
            problems.append(Problem(field, f"'{field}: {raw}' is not a date; write it as YYYY-MM-DD"))
            return None
        return ReviewDate(day, day.strftime(date_format))

    reviewed = as_review_date("reviewed")
    review_due = as_review_date("review_due")
    if review_due is None and reviewed is not None:
        due = add_months(reviewed.date, months)
        review_due = ReviewDate(due, due.strftime(date_format))
    if reviewed and review_due and review_due.date <= reviewed.date:
        problems.append(
            Problem("review_due", f"'review_due: {review_due.iso}' is not after 'reviewed: {reviewed.iso}'")
        )
    if reviewed and reviewed.date > today:
        problems.append(Problem("reviewed", f"'reviewed: {reviewed.iso}' is in the future", ADVISORY))
    overdue = bool(review_due and review_due.date < today)

    if clinical:
        if not authors and "author" not in metadata and "authors" not in metadata:
            problems.append(
                Problem(
                    "",
                    "clinical page without an author; add 'Author: <person key>' (who wrote it, from "
                    "PEOPLE in pelicanconf.py), or 'Clinical: no' if the page gives no health advice",
                    ADVISORY,
                )
            )
        if reviewer is not None and not reviewer.credentials:
            problems.append(
                Problem(
                    "reviewed_by",
                    f"'reviewed_by: {reviewer.key}' ({reviewer.name}) has no credentials in PEOPLE; a "
                    "clinical reviewer needs their professional credentials, e.g. 'credentials': ['MCSP'], "
                    "in pelicanconf.py",
                    ADVISORY,
                )
            )
        if not reviewer_key:
            problems.append(
                Problem(
                    "",
                    "clinical page without a reviewer; add 'Reviewed_by: <person key>' "
                    "(a clinician from PEOPLE in pelicanconf.py)",
                    ADVISORY,
                )
            )
        if "reviewed" not in metadata:
            problems.append(
                Problem("", "clinical page without a review date; add 'Reviewed: YYYY-MM-DD'", ADVISORY)
            )
        if overdue:
            problems.append(
                Problem(
                    "review_due" if "review_due" in metadata else "reviewed",
                    f"clinical review was due on {review_due.iso}; have it reviewed again and update "
                    "'Reviewed:' (and 'Review_due:' if set)",
                    ADVISORY,
                )
            )
    info = Review(clinical, authors, reviewer, reviewed, review_due, overdue)
    return info, problems
