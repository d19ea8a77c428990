"""Bad input, built for real: each rule's bad example and the message a writer sees.

One project copy holds all the bad articles; it is built twice (development, and production with
real-looking clinic details so the build gets past the demo-value refusal), plus a few builds that
stop at start-up.
"""

from __future__ import annotations

import pytest

from tests.clinical.real_values import REAL, write_realconf
from tests.conftest import copy_project, run_build

A = "content/articles"
BAD = {
    # Not in any list of clinical categories: every article is clinical unless it says `Clinical: no`.
    "knee-pain.md": (
        "Title: Knee Pain: Where To Start?\nDate: 2025-03-01\nCategory: Knee pain\n\n"
        "Most knee pain settles.\n\n"
        '!!! urgent "Contact your GP or NHS 111 today if:"\n'
        "    your knee is hot and swollen.\n"
    ),
    "clinic-news.md": (
        "Title: New opening hours\nDate: 2025-03-02\nCategory: News\nClinical: no\n\n"
        "We now open on Saturday mornings. Come and see us.\n"
    ),
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
    return run_build(bad_project, bad_project / "output-prod", settings=write_realconf(bad_project))


def test_an_unreviewed_knee_pain_article_warns_while_writing(dev):
    for problem in (
        "clinical page without an author; add 'Author: <person key>' (who wrote it, from PEOPLE in "
        "pelicanconf.py), or 'Clinical: no' if the page gives no health advice",
        "clinical page without a reviewer; add 'Reviewed_by: <person key>' (a clinician from PEOPLE in "
        "pelicanconf.py)",
        "clinical page without a review date; add 'Reviewed: YYYY-MM-DD'",
    ):
        assert f"{A}/knee-pain.md:1: warning: {problem}" in dev.stderr


def test_an_unreviewed_knee_pain_article_fails_production(prod):
    assert prod.returncode != 0
    for problem in ("without an author", "without a reviewer", "without a review date"):
        assert f"{A}/knee-pain.md:1: error: clinical page {problem}" in prod.stderr
    assert "Build FAILED" in prod.stderr


def test_clinical_no_opts_a_page_out_of_the_review_rules(dev, prod):
    for result in (dev, prod):
        assert not [
            line for line in result.stderr.splitlines() if "clinic-news.md" in line and "clinical" in line
        ]


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


def test_the_real_site_with_real_details_passes_production(tmp_path):
    """Every existing page is either reviewed or marked `Clinical: no`; no demo value is left."""
    project = copy_project(tmp_path / "project")
    result = run_build(project, project / "output", settings=write_realconf(project))
    assert result.returncode == 0, result.stderr
    assert "clinical page without" not in result.stderr and "demo value" not in result.stderr
    assert "Riverside Physio Clinic" in result.page("index.html")


def test_the_production_build_lists_every_demo_value_in_one_error(tmp_path):
    project = copy_project(tmp_path / "project")
    result = run_build(project, project / "output", settings="publishconf.py")
    assert result.returncode != 0
    assert "1 error(s)" in result.stderr
    assert "pelicanconf.py: error: the site still has 15 demo value(s)" in result.stderr
    for line in (
        "CLINIC['name'] = 'Example Physio Clinic'",
        "CLINIC['street'] = '1 Example Street'",
        "CLINIC['locality'] = 'Exampleton'",
        "CLINIC['postcode'] = 'EX1 1AA'",
        "CLINIC['phone_display'] = '01632 960000'",
        "CLINIC['phone_tel'] = 'tel:+441632960000'",
        "CLINIC['email'] = 'mailto:hello@example.com'",
        "PEOPLE['alex-example'] = 'Alex Example' (a fictional demo person)",
        "PEOPLE['sam-sample'] = 'Sam Sample' (a fictional demo person)",
        "BOOKING_TARGETS['assessment']['url'] = 'https://booking.example.com/physio-clinic/initial-assessment'",
        "BOOKING_TARGETS['classes-intermediate']['url'] = "
        "'https://booking.example.com/physio-clinic/strength-conditioning-intermediate'",
        "SITEURL = 'https://www.example.com'",
        "content/timetable.yaml:6 demo = 'true' (fictional class times",
    ):
        assert f"\n  {line}" in result.stderr


def test_the_demo_report_shrinks_as_values_are_replaced(tmp_path):
    """A real build per step: replace one setting at a time; the one error lists only what is left."""
    project = copy_project(tmp_path / "project")
    left = {"CLINIC": 7, "PEOPLE": 2, "BOOKING_TARGETS": 4, "SITEURL": 1, "content/timetable.yaml": 1}
    demo = {name: "__demo__" for name in REAL}  # "__demo__": keep the shipped value
    for name in ("BOOKING_TARGETS", "PEOPLE", "CLINIC"):
        demo[name] = REAL[name]
        del left[name]
        lines = [f"{k} = {v!r}" for k, v in demo.items() if v != "__demo__"]
        (project / "stepconf.py").write_text(
            "import os, sys\nsys.path.append(os.curdir)\nfrom publishconf import *  # noqa: F403\n"
            + "\n".join(lines)
            + '\nSITENAME = AUTHOR = CLINIC["name"]\n',
            encoding="utf-8",
        )
        result = run_build(project, project / "output", settings="stepconf.py")
        assert result.returncode != 0
        assert f"the site still has {sum(left.values())} demo value(s)" in result.stderr
        assert f"\n  {name}" not in result.stderr
        assert all(f"\n  {other}" in result.stderr for other in left)


def test_a_leftover_clinical_categories_setting_says_what_replaced_it(tmp_path):
    project = copy_project(tmp_path / "project")
    conf = project / "pelicanconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8") + 'CLINICAL_CATEGORIES = ["Back pain"]\n', encoding="utf-8"
    )
    line = len(conf.read_text(encoding="utf-8").splitlines())
    result = run_build(project, project / "output")
    assert result.returncode != 0
    assert (
        f"pelicanconf.py:{line}: error: CLINICAL_CATEGORIES is no longer used: every article and education "
        "page is clinical unless its header says 'Clinical: no'"
    ) in result.stderr


def test_sitename_cannot_disagree_with_the_clinic_name(tmp_path):
    project = copy_project(tmp_path / "project")
    result = run_build(project, project / "output", "-e", "SITENAME='Other Clinic'")
    assert result.returncode != 0
    assert (
        "-e SITENAME: error: SITENAME = 'Other Clinic' is not CLINIC['name'] = 'Example Physio Clinic'; the "
        "clinic's name is set once, in CLINIC['name']"
    ) in result.stderr


def test_bad_people_setting_stops_the_build_naming_the_setting(tmp_path):
    project = copy_project(tmp_path / "project")
    result = run_build(project, project / "output", "-e", 'PEOPLE={"alex-example": {"name": "Alex Example"}}')
    assert result.returncode != 0
    assert (
        "error: PEOPLE['alex-example'] has no 'role': Job title, e.g. Physiotherapist (required)."
        in result.stderr
    )
