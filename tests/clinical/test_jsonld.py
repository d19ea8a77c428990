"""Structured data: MedicalWebPage + BlogPosting, and JSON that cannot break out of its script tag."""

from __future__ import annotations

import datetime as dt
import json
import re

from clinical.jsonld import PageFacts, build, script_json
from clinical.people import load_people
from clinical.review import Review, ReviewDate

PEOPLE = load_people(
    {
        "alex-example": {"name": "Alex Example", "role": "Physiotherapist", "credentials": ["MCSP"],
                         "registration": {"body": "HCPC", "number": "PH000000 (demo)"}},
        "sam-sample": {"name": "Sam Sample", "role": "Physiotherapist", "demo": True},
    }
)  # fmt: skip
CLINIC = {"name": "Example Physio Clinic", "phone_tel": "tel:+441632960000", "street": "1 Example Street"}
REVIEW = Review(
    True,
    (PEOPLE["alex-example"],),
    PEOPLE["sam-sample"],
    ReviewDate(dt.date(2026, 11, 2), "2 November 2026"),
    ReviewDate(dt.date(2027, 11, 2), "2 November 2027"),
)
CITATIONS = [
    {"key": "hartvigsen2018", "title": "What low back pain is", "doi": "10.1016/S0140-6736(18)30480-X",
     "pmid": "29573870", "url": "", "text": "Hartvigsen, J. et al. (2018) ..."},
    {"key": "nodoi", "title": "A book", "doi": None, "pmid": None, "url": "https://example.com/book",
     "text": ""},
]  # fmt: skip


def facts(**overrides):
    values = dict(
        kind="article", url="https://www.example.com/articles/x/", title="Back pain", description="About it.",
        language="en-GB", review=REVIEW, about="Back pain", date_published="2025-01-31T00:00:00+00:00",
        citations=CITATIONS,
    )  # fmt: skip
    values.update(overrides)
    return PageFacts(**values)


def test_article_has_medical_web_page_and_blog_posting():
    data = build(facts(), CLINIC, "https://www.example.com")
    page, posting = data["@graph"]
    assert data["@context"] == "https://schema.org"
    assert page["@type"] == "MedicalWebPage" and posting["@type"] == "BlogPosting"
    assert page["lastReviewed"] == "2026-11-02"
    assert page["reviewedBy"]["name"] == "Sam Sample"
    assert page["audience"] == "https://schema.org/Patient"
    assert page["about"] == {"@type": "Thing", "name": "Back pain"}
    assert page["citation"][0]["sameAs"] == "https://doi.org/10.1016/S0140-6736(18)30480-X"
    assert {"@type": "PropertyValue", "propertyID": "PMID", "value": "29573870"} in page["citation"][0][
        "identifier"
    ]
    assert page["citation"][1] == {
        "@type": "ScholarlyArticle",
        "name": "A book",
        "url": "https://example.com/book",
    }
    author = posting["author"][0]
    assert (author["name"], author["honorificSuffix"], author["url"]) == (
        "Alex Example",
        "MCSP",
        "https://www.example.com/people/alex-example/",
    )
    assert author["hasCredential"][1]["identifier"] == "PH000000 (demo)"
    assert posting["publisher"]["name"] == "Example Physio Clinic"
    assert posting["publisher"]["telephone"] == "+441632960000"
    assert posting["dateModified"] == posting["datePublished"] == "2025-01-31T00:00:00+00:00"
    assert posting["mainEntityOfPage"] == {"@id": "https://www.example.com/articles/x/#webpage"}


def test_citations_are_optional():
    page = build(facts(citations=[]), CLINIC, "https://www.example.com")["@graph"][0]
    assert "citation" not in page


def test_non_clinical_page_has_no_structured_data_and_non_clinical_article_only_a_posting():
    plain = Review(False)
    assert build(facts(kind="page", review=plain), CLINIC, "https://www.example.com") is None
    data = build(
        facts(review=plain, fallback_author="Example Physio Clinic"), CLINIC, "https://www.example.com"
    )
    assert [n["@type"] for n in data["@graph"]] == ["BlogPosting"]
    assert data["@graph"][0]["author"] == [{"@type": "Organization", "name": "Example Physio Clinic"}]


def test_script_json_cannot_end_the_script_element():
    hostile = facts(title="</script><script>alert(1)</script> & <!-- \u2028")
    text = str(script_json(build(hostile, CLINIC, "https://www.example.com")))
    assert not re.search(r"[<>&\u2028]", text)
    assert json.loads(text)["@graph"][0]["name"] == "</script><script>alert(1)</script> & <!-- \u2028"


def test_medical_jsonld_component(theme_env):
    macro = theme_env.get_template("components/medical_jsonld/medical_jsonld.html").module.medical_jsonld
    html = str(macro(build(facts(title="a </script> b"), CLINIC, "https://www.example.com")))
    body = re.fullmatch(r'\s*<script type="application/ld\+json">(.*)</script>\s*', html, re.S).group(1)
    assert json.loads(body)["@graph"][1]["headline"] == "a </script> b"
    assert str(macro(None)).strip() == ""
