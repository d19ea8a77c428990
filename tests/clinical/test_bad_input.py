"""Bad input, built for real: each rule's bad example and the message a writer sees.

One project copy holds all the bad articles; it is built twice (development, production), so the
whole module costs three small builds.
"""

from __future__ import annotations

import pytest

from tests.conftest import copy_project, run_build

A = "content/articles"
BAD = {
    "no-review.md": (
        "Title: No review\nDate: 2025-02-01\nCategory: Back pain\nAuthor: alex-example\n\n"
        "Running can help back pain. Keep moving.\n"
    ),
    "overdue.md": (
        "Title: Overdue\nDate: 2024-01-01\nCategory: Back pain\nAuthor: alex-example\n"
        "Reviewed_by: sam-sample\nReviewed: 2024-01-15\n\nRunning can help back pain.\n"
    ),
    "unknown-person.md": (
        "Title: Unknown person\nDate: 2025-02-02\nCategory: News\nAuthor: Alex Example\n"
        "Reviewed_by: sam-sampel\n\nNews from the clinic.\n"
    ),
    "booking-in-urgent.md": (
        "Title: Booking in urgent\nDate: 2025-02-03\nCategory: News\n\n"
        '!!! urgent "Contact your GP or NHS 111 today if:"\n'
        "    you are unwell. [Book now](https://booking.example.com/physio-clinic/initial-assessment)\n"
    ),
    "typed-citation.md": (
        "Title: Typed citation\nDate: 2025-02-04\nCategory: News\n\n"
        "Back pain is common.\n\nAs Hartvigsen et al. 2018 showed, and others (Belavy et al., 2017).\n"
    ),
}
# The booking plugin stops a production build at start-up on its demo booking pages; these stand-ins
# (never fetched) let the build get as far as the clinical checks.
REAL_BOOKING = "BOOKING_TARGETS=" + repr(
    {
        name: {
            "label": f"Book {name}",
            "url": f"https://example-clinic.cliniko.com/bookings?business_id=1&t={name}",
        }
        for name in ("assessment", "classes", "classes-beginners", "classes-intermediate")
    }
)
REAL_PEOPLE = (
    'PEOPLE={"alex-example": {"name": "Alex Example", "role": "Physiotherapist"}, '
    '"sam-sample": {"name": "Sam Sample", "role": "Physiotherapist"}}'
)


@pytest.fixture(scope="module")
def bad_project(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("clinical") / "project")
    for name, text in BAD.items():
        (project / A / name).write_text(text, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def dev(bad_project):
    return run_build(bad_project, bad_project / "output")


@pytest.fixture(scope="module")
def prod(bad_project):
    return run_build(bad_project, bad_project / "output-prod", "-e", REAL_BOOKING, settings="publishconf.py")


def test_clinical_page_without_reviewer_or_date_warns_in_development(dev):
    assert (
        f"{A}/no-review.md:1: warning: clinical page without a reviewer; add 'Reviewed_by: <person key>'"
        in dev.stderr
    )
    assert (
        f"{A}/no-review.md:1: warning: clinical page without a review date; add 'Reviewed: YYYY-MM-DD'"
        in dev.stderr
    )


def test_clinical_page_without_reviewer_or_date_fails_production(prod):
    assert prod.returncode != 0
    assert f"{A}/no-review.md:1: error: clinical page without a reviewer" in prod.stderr
    assert f"{A}/no-review.md:1: error: clinical page without a review date" in prod.stderr


def test_overdue_review_warns_in_development_and_fails_production(dev, prod):
    message = "clinical review was due on 2025-01-15; have it reviewed again and update 'Reviewed:'"
    assert f"{A}/overdue.md:6: warning: {message}" in dev.stderr
    assert f"{A}/overdue.md:6: error: {message}" in prod.stderr


def test_unknown_people_are_errors_with_a_suggestion(dev):
    assert dev.returncode != 0
    assert (
        f"{A}/unknown-person.md:4: error: 'author: Alex Example' names nobody in PEOPLE "
        "(write the person's key: 'alex-example')"
    ) in dev.stderr
    assert (
        f"{A}/unknown-person.md:5: error: 'reviewed_by: sam-sampel' names nobody in PEOPLE "
        "(did you mean 'sam-sample'?)"
    ) in dev.stderr


def test_no_booking_link_inside_an_urgent_care_card(dev):
    assert (
        f"{A}/booking-in-urgent.md:5: error: a booking link inside the urgent care card "
        "'Contact your GP or NHS 111 today if:'"
    ) in dev.stderr


def test_plain_text_citation_names_the_key_to_use(dev):
    assert (
        f"{A}/typed-citation.md:7: warning: 'Hartvigsen et al. 2018' is a citation typed as plain text; "
        "cite it as [@hartvigsen2018]"
    ) in dev.stderr
    assert (
        f"{A}/typed-citation.md:7: warning: '(Belavy et al., 2017)' is a citation typed as plain text"
        in dev.stderr
    )


def test_production_refuses_demo_people(prod):
    assert "pelicanconf.py:" in prod.stderr
    assert (
        "error: PEOPLE['alex-example'] (Alex Example) is a fictional demo person; replace them with a real "
        "member of staff and their real credentials before publishing"
    ) in prod.stderr


def test_real_people_pass_the_demo_check(tmp_path):
    project = copy_project(tmp_path / "project")
    result = run_build(
        project, project / "output", "-e", REAL_PEOPLE, "-e", REAL_BOOKING, settings="publishconf.py"
    )
    assert "clinical page without" not in result.stderr  # the seed content passes the review rules
    assert "is a fictional demo person" not in result.stderr


def test_bad_people_setting_stops_the_build_naming_the_setting(tmp_path):
    project = copy_project(tmp_path / "project")
    result = run_build(project, project / "output", "-e", 'PEOPLE={"alex-example": {"name": "Alex Example"}}')
    assert result.returncode != 0
    assert (
        "error: PEOPLE['alex-example'] has no 'role': Job title, e.g. Physiotherapist (required)."
        in result.stderr
    )
