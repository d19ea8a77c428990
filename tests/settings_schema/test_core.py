"""settings_schema.core and .source: the line that set a setting, readable syntax errors, checks."""

from __future__ import annotations

import textwrap

import pytest

from settings_schema.core import (
    REQUIRED,
    Retired,
    Setting,
    check,
    did_you_mean,
    literal,
    number,
    one_of,
    subject,
    text,
    unknown,
    whole_number,
)
from settings_schema.source import Source, syntax_error


def write(folder, name: str, source: str):
    path = folder / name
    path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    return path


# --- where a setting is set -----------------------------------------------------------------------


def test_the_last_assignment_wins_and_star_imports_are_followed(tmp_path):
    base = write(
        tmp_path,
        "pelicanconf.py",
        """
        SITENAME = "A"
        RELATED_MAX_ARTICLES = 2
        if True:
            RELATED_MAX_ARTICLES = 3
        TARGETS = {
            "a": {
                "url": "https://a",
            },
            "b": {"url": "https://b"},
        }
        """,
    )
    publish = write(
        tmp_path,
        "publishconf.py",
        """
        import os
        from pelicanconf import *  # noqa
        SITENAME = os.environ.get("X", "B")
        """,
    )
    source = Source(publish)
    assert source.locate("SITENAME") == (publish.resolve(), 3)
    assert source.locate("RELATED_MAX_ARTICLES") == (base.resolve(), 4)
    assert source.locate("TARGETS", ("a", "url")) == (base.resolve(), 7)
    assert source.locate("TARGETS", ("b", "url")) == (base.resolve(), 9)  # same line as its key
    assert source.locate("TARGETS", ("c",)) == (base.resolve(), 5)  # not there: the assignment
    assert source.locate("NOWHERE") is None


def test_a_change_after_the_import_is_where_the_setting_was_last_set(tmp_path):
    write(tmp_path, "pelicanconf.py", 'CLINIC = {"name": "A"}\n')
    publish = write(tmp_path, "publishconf.py", 'from pelicanconf import *\nCLINIC["name"] = "B"\n')
    assert Source(publish).locate("CLINIC", ("name",)) == (publish.resolve(), 2)


# --- a settings file Python cannot read -----------------------------------------------------------


def error_of(source: str) -> tuple[int | None, str]:
    source = textwrap.dedent(source).lstrip("\n")
    with pytest.raises(SyntaxError) as caught:
        compile(source, "<settings>", "exec")
    return syntax_error(caught.value, source)


def test_a_missing_comma_between_two_entries_names_the_line_to_end_with_one():
    line, message = error_of(
        """
        PEOPLE = {
            "alex": {
                "name": "Alex",
            }
            "sam": {
                "name": "Sam",
            },
        }
        """
    )
    assert line == 4
    assert message == (
        "invalid syntax (a missing comma between two entries?): add a comma at the end of this line, "
        "after '}'"
    )


def test_a_missing_comma_between_two_texts_on_two_lines():
    # Python joins "Alex" "role" into one text and only stumbles on the ':' after it.
    line, message = error_of(
        """
        PEOPLE = {
            "alex": {
                "name": "Alex"
                "role": "Physiotherapist",
            },
        }
        """
    )
    assert line == 3
    assert message.endswith("add a comma at the end of this line, after '\"Alex\"'")


def test_a_missing_comma_on_one_line():
    line, message = error_of("WIDTHS = [480 800]\nOTHER = 1\n")
    assert line == 1
    assert message == "invalid syntax (a missing comma between two entries?): add a comma after '480'"


def test_other_syntax_errors_say_what_to_look_for():
    assert error_of('CLINIC = {"name": "A"\n') == (
        1,
        "'{' was never closed; every {, [ and ( needs its closing }, ] or )",
    )
    line, message = error_of('SITENAME = "Example\n')
    assert line == 1
    assert message.startswith("unterminated string literal")
    assert message.endswith("a text needs its closing quote on the same line")


# --- checks and messages --------------------------------------------------------------------------


def problems(settings, *declared):
    return [p.message for p in check(settings, declared)]


def test_whole_numbers_are_numbers_not_texts_or_booleans():
    declared = Setting("RELATED_MAX_ARTICLES", 3, "related articles", whole_number(0))
    assert problems({}, declared) == []
    assert problems({"RELATED_MAX_ARTICLES": 0}, declared) == []
    assert problems({"RELATED_MAX_ARTICLES": "3"}, declared) == [
        "RELATED_MAX_ARTICLES = '3' is not a whole number; write one without quotes, e.g. 3"
    ]
    assert problems({"RELATED_MAX_ARTICLES": True}, declared)
    assert problems({"RELATED_MAX_ARTICLES": -1}, declared) == [
        "RELATED_MAX_ARTICLES = -1 is too small: it must be 0 or more, e.g. 3"
    ]


def test_a_check_can_compare_with_another_setting():
    target = Setting("AGE_TARGET", 11, "target", number(0))
    limit = Setting("AGE_LIMIT", 14, "limit", number(0, at_least="AGE_TARGET"))
    assert problems({"AGE_TARGET": 12.5}, target, limit) == []
    assert problems({"AGE_LIMIT": 9}, target, limit) == [  # the target's default counts
        "AGE_LIMIT = 9 is less than AGE_TARGET (11); make it 11 or more"
    ]
    assert problems({"AGE_TARGET": 15}, target, limit) == [
        "AGE_LIMIT = 14 is less than AGE_TARGET (15); make it 15 or more"
    ]


def test_text_and_choices():
    url = Setting("PERSON_URL", "people/{key}/", "URL", text(contains="{key}"))
    assert problems({"PERSON_URL": "people/"}, url) == [
        "PERSON_URL = 'people/' does not contain {key}; e.g. \"people/{key}/\""
    ]
    pick = Setting("PICK", "b", "one", one_of(lambda settings: settings["CHOICES"], "a choice"))
    assert problems({"CHOICES": ["apple", "banana"], "PICK": "banan"}, pick) == [
        "PICK = 'banan' is not a choice (did you mean 'banana'?); choose one of: apple, banana"
    ]


def test_required_and_retired_settings():
    required = Setting("TARGETS", REQUIRED, "the booking pages")
    retired = Retired("OLD_URL", "use TARGETS")
    assert problems({}, required, retired) == ["TARGETS is not set; it is required: the booking pages"]
    assert problems({"TARGETS": {}, "OLD_URL": "x"}, required, retired) == [
        "OLD_URL is no longer used: use TARGETS"
    ]


def test_did_you_mean_looks_at_the_first_word_of_a_long_name_too():
    styles = ["apa", "harvard-cite-them-right", "vancouver"]
    assert did_you_mean("harvad", styles) == " (did you mean 'harvard-cite-them-right'?)"
    assert did_you_mean("vancover", styles) == " (did you mean 'vancouver'?)"
    assert did_you_mean("chicago", styles) == ""


def test_unknown_names_are_only_those_that_look_like_a_plugins():
    declared = [
        "CITATIONS_STYLE",
        "IMAGES_WIDTHS",
        "RELATED_MAX_ARTICLES",
        "CLINICAL_REVIEW_MONTHS",
        "PEOPLE",
    ]
    names = [
        "CITATION_STYLE",  # a plugin's prefix, misspelt
        "IMAGES_WIDTH",  # a plugin's prefix, a misspelt name
        "CITATIONS_STYLE",  # declared
        "RELATIVE_URLS",  # Pelican's: another first word
        "CLINIC",  # one word: no prefix
        "CLINIC_NOTE",  # CLINIC is not CLINICAL
        "SITE_ENV",
    ]
    found = {p.name: p.message for p in unknown(names, declared)}
    assert found == {
        "CITATION_STYLE": "CITATION_STYLE is not a setting of any plugin (did you mean CITATIONS_STYLE?); "
        "as written it is ignored",
        "IMAGES_WIDTH": "IMAGES_WIDTH is not a setting of any plugin (did you mean IMAGES_WIDTHS?); "
        "as written it is ignored",
    }


def test_the_setting_a_message_is_about():
    assert subject("BOOKING_TARGETS['classes']['url'] = 'x' uses 'javascript:'") == (
        "BOOKING_TARGETS",
        ("classes", "url"),
    )
    assert subject("CLINIC must be a dict") == ("CLINIC", ())
    assert subject("the settings are wrong") == ("", ())


def test_defaults_as_the_readme_writes_them():
    assert literal("apa") == '"apa"'
    assert literal([480, 800]) == "[480, 800]"
    assert literal({"source": "x"}) == '{"source": "x"}'
    assert literal(None) == "None"
    assert literal(REQUIRED) == "required"


def test_a_settings_module_imported_from_elsewhere_in_the_project(tmp_path, monkeypatch):
    """tests/publish/testconf.py imports publishconf from the project folder (on sys.path)."""
    base = write(tmp_path, "pelicanconf.py", "RELATED_MAX_ARTICLES = 2\n")
    (tmp_path / "tests").mkdir()
    other = write(tmp_path / "tests", "testconf.py", "from pelicanconf import *\nSITEURL = 'x'\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert Source(other).locate("RELATED_MAX_ARTICLES") == (base.resolve(), 1)
