"""Bad settings: each one stops the build at start-up with the file and line that set it.

Every case edits the sandbox's own pelicanconf.py (or publishconf.py), so the line is real, and
asserts the whole message a person reads: `pelicanconf.py:LINE: error: ...`, a non-zero exit, no
traceback, output/ untouched (``box.rejects``).
"""

from __future__ import annotations

import pytest

STYLES = "apa, harvard-cite-them-right, vancouver"
TARGETS = "assessment, classes, classes-beginners, classes-intermediate"


def append(box, rel: str, line: str) -> int:
    """Add `line` at the end of a settings file of the sandbox; return its line number."""
    path = box.project / rel
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def replace(box, rel: str, old: str, new: str) -> int:
    """Replace the one line of a settings file that starts with `old`; return its line number."""
    path = box.project / rel
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    (index,) = [i for i, text in enumerate(lines) if text.startswith(old)]
    lines[index] = new + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return index + 1


def exact(box, path: str, line: int | None, message: str, *extra: str, settings: str = "pelicanconf.py"):
    """The build is refused (box.rejects) and prints exactly this error line."""
    result = box.rejects(path, line, message, *extra, settings=settings)
    where = f"{path}:{line}" if line else path
    assert f"{where}: error: {message}" in result.stderr.splitlines(), result.stderr[-2000:]
    return result


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        (
            'CITATIONS_STYLE = "harvad"',
            "CITATIONS_STYLE = 'harvad' is not a citation style (did you mean 'harvard-cite-them-right'?); "
            f"choose one of: {STYLES}, or give a path to a .csl file",
        ),
        (
            'RELATED_MAX_ARTICLES = "three"',
            "RELATED_MAX_ARTICLES = 'three' is not a whole number; write one without quotes, e.g. 3",
        ),
        (
            "READING_WORDS_PER_MINUTE = 0",
            "READING_WORDS_PER_MINUTE = 0 is too small: it must be 1 or more, e.g. 200",
        ),
        (
            'IMAGES_WIDTHS = "x"',
            "IMAGES_WIDTHS = 'x' is not a list of whole numbers (1 or more); "
            "write e.g. [343, 686, 1008, 1344]",
        ),
        (
            "CLINICAL_READING_AGE_LIMIT = 9",
            "CLINICAL_READING_AGE_LIMIT = 9 is less than CLINICAL_READING_AGE_TARGET (11); "
            "make it 11 or more",
        ),
        (
            'CITATION_STYLE = "apa"',
            "CITATION_STYLE is not a setting of any plugin (did you mean CITATIONS_STYLE?); "
            "as written it is ignored",
        ),
        (
            'BOOKING_URL = "https://booking.example.com/"',
            "BOOKING_URL is no longer used: move the address into BOOKING_TARGETS (see README.md, section "
            "Book Now) and delete BOOKING_URL",
        ),
        ("MISSING = undefined_name", "NameError: name 'undefined_name' is not defined"),
    ],
    ids=["style", "related", "reading", "images", "reading-age", "unknown", "retired", "name-error"],
)
def test_a_bad_setting_is_refused_at_its_line(box, assignment, message):
    line = append(box, "pelicanconf.py", assignment)
    exact(box, "pelicanconf.py", line, message)


def test_a_default_that_is_not_a_target(box):
    line = replace(box, "pelicanconf.py", "BOOKING_DEFAULT = ", 'BOOKING_DEFAULT = "asessment"')
    exact(
        box,
        "pelicanconf.py",
        line,
        "BOOKING_DEFAULT = 'asessment' is not a booking target (did you mean 'assessment'?); "
        f"choose one of: {TARGETS}",
    )


def test_a_booking_url_inside_a_target_is_named_at_its_own_line(box):
    old = '        "url": "https://booking.example.com/physio-clinic/strength-conditioning",'
    line = replace(box, "pelicanconf.py", old, '        "url": "javascript:alert(1)",')
    exact(
        box,
        "pelicanconf.py",
        line,
        "BOOKING_TARGETS['classes']['url'] = 'javascript:alert(1)' uses 'javascript:'; a booking URL must "
        "start with https:// (e.g. 'https://your-clinic.cliniko.com/bookings')",
    )


def test_a_missing_comma_in_people(box):
    line = replace(
        box, "pelicanconf.py", '        "role": "Physiotherapist",', '        "role": "Physiotherapist"'
    )
    exact(
        box,
        "pelicanconf.py",
        line,
        "invalid syntax (a missing comma between two entries?): add a comma at the end of this line, "
        "after '\"Physiotherapist\"'",
    )


def test_a_missing_comma_between_two_people(box):
    path = box.project / "pelicanconf.py"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("PEOPLE = {\n")
    index = lines.index("    },\n", start)  # the end of the first person
    lines[index] = "    }\n"
    path.write_text("".join(lines), encoding="utf-8")
    exact(
        box,
        "pelicanconf.py",
        index + 1,
        "invalid syntax (a missing comma between two entries?): add a comma at the end of this line, "
        "after '}'",
    )


def test_a_setting_changed_in_publishconf_is_named_there(box):
    line = append(box, "publishconf.py", "RELATED_MAX_ARTICLES = -1")
    exact(
        box,
        "publishconf.py",
        line,
        "RELATED_MAX_ARTICLES = -1 is too small: it must be 0 or more, e.g. 3",
        settings="publishconf.py",
    )


def test_a_setting_given_on_the_command_line_is_named_as_such(box):
    exact(
        box,
        "-e RELATED_MAX_ARTICLES",
        None,
        "RELATED_MAX_ARTICLES = 'three' is not a whole number; write one without quotes, e.g. 3",
        "-e",
        'RELATED_MAX_ARTICLES="three"',
    )


def test_a_person_without_a_role_is_named_at_the_line_of_the_role(box):
    line = replace(box, "pelicanconf.py", '        "role": "Physiotherapist",', '        "role": "",')
    exact(box, "pelicanconf.py", line, "PEOPLE['alex-example']['role'] must be a non-empty text, not ''")
