"""Review dates and the rules for clinical pages (pure: no Pelican)."""

from __future__ import annotations

import datetime as dt

import pytest

from clinical.people import load_people
from clinical.review import ADVISORY, ERROR, add_months, review

PEOPLE = load_people(
    {
        "sam-sample": {"name": "Sam Sample", "role": "Physiotherapist", "credentials": ["MCSP"]},
        "pat-plain": {"name": "Pat Plain", "role": "Physiotherapist"},  # no credentials
    }
)
TODAY = dt.date(2026, 11, 26)


def check(metadata, months=12):
    """Review `metadata` of a page written by a person (an `author:` that resolved)."""
    return review(
        {"author": "sam-sample", **metadata},
        authors=(PEOPLE["sam-sample"],),
        people=PEOPLE,
        months=months,
        today=TODAY,
    )


def messages(problems, severity=None):
    return [p.message for p in problems if severity is None or p.severity == severity]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 11, 2), 12, dt.date(2027, 11, 2)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2026, 12, 15), 6, dt.date(2027, 6, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_review_due_defaults_to_reviewed_plus_the_setting():
    info, problems = check({"category": "Back pain", "reviewed_by": "sam-sample", "reviewed": "2026-11-02"})
    assert problems == []
    assert info.is_clinical and info.reviewer.name == "Sam Sample"
    assert (info.reviewed.text, info.review_due.iso, info.review_due.text) == (
        "2 November 2026",
        "2027-11-02",
        "2 November 2027",
    )
    info, _ = check(
        {"category": "Back pain", "reviewed_by": "sam-sample", "reviewed": "2026-11-02"}, months=6
    )
    assert info.review_due.iso == "2027-05-02"


def test_an_explicit_review_due_wins():
    meta = {
        "clinical": "true",
        "reviewed_by": "sam-sample",
        "reviewed": "2026-11-02",
        "review_due": "2027-02-01",
    }
    info, problems = check(meta)
    assert problems == [] and info.review_due.iso == "2027-02-01"


@pytest.mark.parametrize("category", ["Back pain", "Knee pain", "News", None])
def test_every_page_is_clinical_unless_it_says_clinical_no(category):
    info, problems = check({"category": category} if category else {})
    assert info.is_clinical and len(messages(problems, ADVISORY)) == 2
    for flag in ("no", "No", "false"):
        info, problems = check({"category": category, "clinical": flag})
        assert not info.is_clinical and problems == []


def test_clinical_page_without_an_author_is_advisory():
    _, problems = review({"reviewed_by": "sam-sample", "reviewed": "2026-11-02"}, authors=(), people=PEOPLE,
                         months=12, today=TODAY)  # fmt: skip
    assert messages(problems, ADVISORY) == [
        "clinical page without an author; add 'Author: <person key>' (who wrote it, from PEOPLE in "
        "pelicanconf.py), or 'Clinical: no' if the page gives no health advice"
    ]


def test_a_reviewer_without_credentials_is_advisory():
    _, problems = check({"reviewed_by": "pat-plain", "reviewed": "2026-11-02"})
    assert messages(problems, ADVISORY) == [
        "'reviewed_by: pat-plain' (Pat Plain) has no credentials in PEOPLE; a clinical reviewer needs their "
        "professional credentials, e.g. 'credentials': ['MCSP'], in pelicanconf.py"
    ]
    assert problems[0].field == "reviewed_by"


def test_clinical_page_without_reviewer_or_date_is_advisory():
    _, problems = check({"category": "Back pain"})
    assert messages(problems, ADVISORY) == [
        "clinical page without a reviewer; add 'Reviewed_by: <person key>' (a clinician from PEOPLE in "
        "pelicanconf.py)",
        "clinical page without a review date; add 'Reviewed: YYYY-MM-DD'",
    ]


def test_overdue_review_is_advisory_and_names_the_date():
    _, problems = check({"category": "back pain", "reviewed_by": "sam-sample", "reviewed": "2024-01-15"})
    assert messages(problems, ADVISORY) == [
        "clinical review was due on 2025-01-15; have it reviewed again and update 'Reviewed:' "
        "(and 'Review_due:' if set)"
    ]
    assert problems[0].field == "reviewed"


def test_non_clinical_pages_need_no_review_but_a_named_reviewer_must_exist():
    assert check({"category": "News", "clinical": "no"})[1] == []
    assert check({"clinical": "false", "category": "Back pain"})[1] == []
    _, problems = check({"category": "News", "clinical": "no", "reviewed_by": "sam-sampel"})
    assert messages(problems, ERROR) == [
        "'reviewed_by: sam-sampel' names nobody in PEOPLE (did you mean 'sam-sample'?); people are defined "
        "once in pelicanconf.py (keys: sam-sample, pat-plain)"
    ]


def test_bad_values_are_errors():
    _, problems = check({"clinical": "maybe"})
    assert messages(problems, ERROR) == ["'clinical: maybe' must be yes or no (true or false)"]
    meta = {
        "clinical": "true",
        "reviewed_by": "sam-sample",
        "reviewed": "2026-11-02",
        "review_due": "2026-01-01",
    }
    _, problems = check(meta)
    assert messages(problems, ERROR) == ["'review_due: 2026-01-01' is not after 'reviewed: 2026-11-02'"]
