"""PEOPLE: defined once, checked at start-up, demo people recognised."""

from __future__ import annotations

import pytest

from clinical.people import ConfigError, load_people, unknown_person_message

ALEX = {
    "name": "Alex Example",
    "role": "Physiotherapist",
    "credentials": ["MCSP"],
    "registration": {"body": "HCPC", "number": "PH000000 (demo)"},
    "bio": "A fictional demo physiotherapist.",
}


def test_a_person_has_a_display_name_with_post_nominals_and_a_profile_url():
    alex = load_people({"alex-example": ALEX})["alex-example"]
    assert alex.display_name == "Alex Example, MCSP"
    assert alex.url == "people/alex-example/"
    assert alex.save_as == "people/alex-example/index.html"
    assert alex.registration.body == "HCPC"


def test_demo_people_are_recognised_by_flag_or_by_a_demo_number():
    people = load_people(
        {
            "alex-example": ALEX,  # "(demo)" in the registration number
            "sam-sample": {"name": "Sam Sample", "role": "Physiotherapist", "demo": True},
            "real-person": {"name": "Pat Real", "role": "Physiotherapist"},
        }
    )
    assert [p.key for p in people.values() if p.demo] == ["alex-example", "sam-sample"]


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ({"Alex Example": ALEX}, "must be lower-case words joined by hyphens"),
        ({"alex-example": {"name": "Alex Example"}}, "PEOPLE['alex-example'] has no 'role'"),
        (
            {"alex-example": {**ALEX, "credential": "MCSP"}},
            "unknown field 'credential' (did you mean 'credentials'?)",
        ),
        ({"alex-example": {**ALEX, "registration": "PH000000"}}, "['registration'] must be {'body': 'HCPC'"),
        ({"alex-example": {**ALEX, "demo": "yes"}}, "['demo'] must be True or False"),
        (["alex-example"], "PEOPLE must be a dict"),
    ],
)
def test_bad_people_settings_say_what_to_change(people, expected):
    with pytest.raises(ConfigError) as error:
        load_people(people)
    assert expected in str(error.value)


def test_an_unknown_key_suggests_the_right_one():
    people = load_people({"alex-example": ALEX})
    assert "(did you mean 'alex-example'?)" in unknown_person_message("author", "alex-exmaple", people)
    by_name = unknown_person_message("author", "Alex Example", people)
    assert "write the person's key: 'alex-example'" in by_name
