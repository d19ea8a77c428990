"""Bad booking input fails the build with a message naming the setting, or the file and line."""

from __future__ import annotations

import json
import textwrap

import pytest
from bs4 import BeautifulSoup

import pelicanconf
from tests.conftest import ROOT, copy_project, run_build

TARGETS = pelicanconf.BOOKING_TARGETS


def build_with(tmp_path, *extra, settings="pelicanconf.py"):
    return run_build(ROOT, tmp_path / "output", "--ignore-cache", *extra, settings=settings)


def targets_with(name: str, url) -> str:
    targets = {key: dict(value) for key, value in TARGETS.items()}
    targets[name]["url"] = url
    return f"BOOKING_TARGETS={targets!r}"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("javascript:alert(1)", "uses 'javascript:'"),
        ("http://booking.example.com/physio-clinic", "uses 'http:'"),
        ("", "is empty"),
    ],
    ids=["javascript", "http", "empty"],
)
def test_a_booking_url_that_is_not_https_fails_the_build(tmp_path, url, expected):
    result = build_with(tmp_path, "-e", targets_with("classes", url))
    assert result.returncode == 1
    (line,) = [line for line in result.stderr.splitlines() if "BOOKING_TARGETS['classes']['url']" in line]
    assert line.startswith("-e BOOKING_TARGETS: error: BOOKING_TARGETS['classes']['url']")
    assert expected in line
    assert not (tmp_path / "output").exists()


def test_a_phone_that_is_not_tel_fails_the_build(tmp_path):
    clinic = dict(pelicanconf.CLINIC, phone_tel="01632 960000")
    result = build_with(tmp_path, "-e", f"CLINIC={clinic!r}")
    assert result.returncode == 1
    assert "-e CLINIC: error: CLINIC['phone_tel'] = '01632 960000' is not a tel: link" in result.stderr


def test_an_email_that_is_not_mailto_fails_the_build(tmp_path):
    clinic = dict(pelicanconf.CLINIC, email="javascript:alert(1)")
    result = build_with(tmp_path, "-e", f"CLINIC={clinic!r}")
    assert result.returncode == 1
    assert "-e CLINIC: error: CLINIC['email'] = 'javascript:alert(1)' is not a mailto: link" in result.stderr


def test_publishing_with_the_demo_booking_url_fails(tmp_path):
    result = build_with(tmp_path, settings="publishconf.py")
    assert result.returncode == 1
    assert (
        "\n  BOOKING_TARGETS['assessment']['url'] = "
        "'https://booking.example.com/physio-clinic/initial-assessment' (a demo booking page)"
    ) in result.stderr


# --- Bad content: one broken copy of the project, built once, one test per problem ---------------

BROKEN = {
    "2025-02-01-unknown-target.md": """
        Title: Unknown target in metadata
        Date: 2025-02-01
        Booking: clases

        Text.
        """,
    "2025-02-02-unknown-inline.md": """
        Title: Unknown target in a marker
        Date: 2025-02-02

        Text.

        [[book: physio]]
        """,
    "2025-02-03-urgent.md": """
        Title: Marker in an urgent care card
        Date: 2025-02-03

        Text.

        !!! urgent "Get advice from NHS 111 now"
            If your symptoms are getting worse, call NHS 111.

            [[book]]
        """,
    "2025-02-04-immediate.md": """
        Title: Marker in an immediate care card
        Date: 2025-02-04

        !!! immediate "Call 999"
            [[book: classes]]
        """,
}


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("broken") / "project")
    for name, text in BROKEN.items():
        (project / "content" / "articles" / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    (project / "output").mkdir()
    (project / "output" / "index.html").write_text("previous site", encoding="utf-8")
    return run_build(project, project / "output")


def test_the_broken_build_fails_and_keeps_the_previous_site(broken):
    assert broken.returncode == 1
    assert broken.page("index.html") == "previous site"


def test_an_unknown_metadata_target_names_file_line_and_targets(broken):
    assert (
        "content/articles/2025-02-01-unknown-target.md:3: error: unknown booking target 'clases' in "
        "'booking: clases' (did you mean 'classes'?); the targets in BOOKING_TARGETS are: "
        f"{', '.join(TARGETS)} (or 'none': no block)"
    ) in broken.stderr


def test_an_unknown_inline_target_names_file_line_and_targets(broken):
    assert (
        "content/articles/2025-02-02-unknown-inline.md:6: error: unknown booking target 'physio' "
        f"in the marker '[[book: physio]]'; the targets in BOOKING_TARGETS are: {', '.join(TARGETS)}"
    ) in broken.stderr


def test_a_marker_in_an_urgent_care_card_fails(broken):
    assert (
        "content/articles/2025-02-03-urgent.md:9: error: a Book Now marker inside the 'urgent' care card "
        "opened on line 6"
    ) in broken.stderr


def test_a_marker_in_an_immediate_care_card_fails(broken):
    assert (
        "content/articles/2025-02-04-immediate.md:5: error: a Book Now marker inside the 'immediate' "
        "care card opened on line 4"
    ) in broken.stderr


# --- JSON-LD escaping, end to end ------------------------------------------------------------------

HOSTILE = "Example </script><script>alert(1)</script><!-- Physio"


def test_jsonld_survives_a_hostile_clinic_name(tmp_path):
    clinic = dict(pelicanconf.CLINIC, name=HOSTILE, street="1 <!-- Street")
    # SITENAME and AUTHOR follow CLINIC['name'] (pelicanconf.py derives them; an override must too)
    names = ("-e", f"SITENAME={HOSTILE!r}", "-e", f"AUTHOR={HOSTILE!r}")
    result = build_with(tmp_path, "-e", f"CLINIC={clinic!r}", *names)
    assert result.returncode == 0, result.stderr
    html = result.page("index.html")
    soup = BeautifulSoup(html, "html.parser")
    scripts = soup.find_all("script")
    assert html.count("</script>") == len(scripts)  # nothing closed a script early, nothing opened one
    assert "<!--" not in html.split("</head>")[0]
    (data,) = [json.loads(s.string) for s in scripts if s.get("type") == "application/ld+json"][:1]
    assert data["name"] == HOSTILE
    assert data["address"]["streetAddress"] == "1 <!-- Street"
