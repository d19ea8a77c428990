"""Header checks of the frontmatter plugin (pure: text in, problems out)."""

from __future__ import annotations

import pytest

from frontmatter.core import check_header, date_problem


def problems(text, kind="article"):
    return [(p.line, p.message) for p in check_header(text, kind)]


GOOD = "Title: Knee pain\nDate: 2025-01-31\n"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2025-02-28", None),
        ("2024-02-29", None),
        ("2025-01-31 23:59:59", None),
        ("2025-02-29", "February 2025 has 28 days"),
        ("2025-04-31", "April 2025 has 30 days"),
        ("2026-13-01", "there is no month 13; months are 01 to 12"),
        ("2025-00-10", "there is no month 00; months are 01 to 12"),
        ("2025-01-00", "January 2025 has 31 days"),
        ("0000-00-00", "the year 0000 is not between 1900 and 2100"),
        ("9999-12-31", "the year 9999 is not between 1900 and 2100"),
        ("2025-01-31 24:00", "there is no time 24:00 in a day"),
    ],
)
def test_date_problem(value, why):
    assert date_problem(value) == why


@pytest.mark.parametrize("field", ["date", "modified", "reviewed", "review_due"])
def test_every_date_field_is_checked_with_its_line(field):
    text = f"Title: A\nDate: 2025-01-31\n{field.title()}: 2025-02-30\n\nText.\n"
    if field == "date":
        text = "Title: A\nDate: 2025-02-30\n\nText.\n"
    [(line, message)] = problems(text)
    assert line == (2 if field == "date" else 3)
    assert message.startswith(f"'{field}: 2025-02-30' is not a real date (February 2025 has 28 days)")


def test_status():
    assert problems(GOOD + "Status: Published\n") == []
    assert problems(GOOD + "Status: draft\n") == []
    assert problems(GOOD + "Status: publised\n") == [
        (
            3,
            "'status: publised' is not a status (did you mean 'published'?); "
            "use one of: draft, published, hidden",
        )
    ]


def test_invisible_and_reordering_titles():
    assert problems("Title: \u200b\u2060\ufeff\nDate: 2025-01-31\n")[0][1].startswith(
        "the title has only invisible characters"
    )
    [(line, message)] = problems("Title: A \u202eB\nDate: 2025-01-31\n")
    assert line == 1 and "(U+202E)" in message
    assert problems("Title: Caf\u00e9 \u2014 ok\nDate: 2025-01-31\n") == []


@pytest.mark.parametrize(
    "slug", ["../about", "../theme/css", "a/b", "a\\b", "..", ".hidden", "two words", "\u200b"]
)
def test_slugs_that_are_not_plain_names(slug):
    [(line, message)] = problems(f"{GOOD}Slug: {slug}\n")
    assert line == 3 and message.startswith(f"'slug: {slug}'")


@pytest.mark.parametrize("slug", ["knee-pain", "404", "Knee_Pain"])
def test_plain_slugs_pass(slug):
    assert problems(f"{GOOD}Slug: {slug}\n") == []


@pytest.mark.parametrize("value", ["/etc/x.html", "../x.html", "a/../../x.html", "C:\\x.html", "\\\\srv\\x"])
def test_save_as_and_url_must_stay_inside_the_site(value):
    for field in ("Save_as", "Url"):
        [(line, message)] = problems(f"Title: A\n{field}: {value}\n", "page")
        assert line == 2 and "leaves the site's folder" in message


def test_save_as_plain_paths_pass():
    assert problems("Title: A\nSave_as: 404.html\nUrl: 404.html\n", "page") == []
