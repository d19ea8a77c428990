"""Writer safety (issue #14): what a physiotherapist types wrong never reaches a patient.

Production cases build with `realconf.py` (publishconf.py with real-looking clinic details, from
tests/clinical/real_values.py) so the demo-value refusal does not hide the case under test.
"""

from __future__ import annotations

from tests.clinical.real_values import REAL, write_realconf

KNEE = (
    "Title: Knee Pain: Where To Start?\nDate: 2025-03-01\nCategory: Knee pain\nAuthor: alex-example\n\n"
    "Most knee pain settles.\n\n"
    '!!! urgent "Contact your GP or NHS 111 today if:"\n'
    "    your knee is hot and swollen.\n"
)


def test_an_unreviewed_article_in_a_new_category_cannot_be_published(box):
    path = box.article(KNEE)
    conf = write_realconf(box.project)
    box.rejects(path, 1, "clinical page without a reviewer; add 'Reviewed_by: <person key>'", settings=conf)


def test_a_reviewer_without_credentials_cannot_sign_off_a_published_page(box):
    people = {key: {k: v for k, v in p.items() if k != "credentials"} for key, p in REAL["PEOPLE"].items()}
    reviewed = "Author: alex-example\nReviewed_by: sam-sample\nReviewed: 2026-11-02\n"
    path = box.article(KNEE.replace("Author: alex-example\n", reviewed))
    conf = write_realconf(box.project, PEOPLE=people)
    box.rejects(path, 5, "'reviewed_by: sam-sample' (Sam Sample) has no credentials in PEOPLE", settings=conf)


def test_a_leftover_clinical_categories_setting_is_refused(box):
    conf = box.project / "pelicanconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8") + 'CLINICAL_CATEGORIES = ["Back pain"]\n', encoding="utf-8"
    )
    line = len(conf.read_text(encoding="utf-8").splitlines())
    box.rejects("pelicanconf.py", line, "CLINICAL_CATEGORIES is no longer used")


def test_one_demo_value_left_is_refused_by_name(box):
    clinic = {**REAL["CLINIC"], "postcode": "EX1 1AA"}
    conf = write_realconf(box.project, CLINIC=clinic)
    result = box.rejects("pelicanconf.py", None, "the site still has 1 demo value(s)", settings=conf)
    assert "\n  CLINIC['postcode'] = 'EX1 1AA' (the demo postcode)" in result.stderr


def test_a_site_name_that_disagrees_with_the_clinic_is_refused(box):
    conf = box.project / "pelicanconf.py"
    text = conf.read_text(encoding="utf-8")
    text = text.replace('SITENAME = CLINIC["name"]', 'SITENAME = "Another Clinic"')
    conf.write_text(text, encoding="utf-8")
    line = next(n for n, ln in enumerate(conf.read_text(encoding="utf-8").splitlines(), 1) if "Another" in ln)
    box.rejects("pelicanconf.py", line, "SITENAME = 'Another Clinic' is not CLINIC['name']")


def test_a_draft_never_reaches_the_published_site(box):
    box.article(KNEE.replace("Author:", "Status: draft\nAuthor:"), name="2025-03-01-knee-draft.md")
    conf = write_realconf(box.project)
    result = box.accepts(settings=conf)
    assert not (box.output / "drafts").exists() and not (box.output / "category" / "knee-pain").exists()
    assert "Knee Pain: Where To Start?" not in (box.output / "feeds" / "all.atom.xml").read_text()
    assert "knee" not in (box.output / "sitemap.xml").read_text()
    assert result.returncode == 0
