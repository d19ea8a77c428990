"""Bad input fails the build loudly, names the file and line, and keeps the previous output."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_build

SEED = "content/articles/2025-01-31-back-pain-how-running-can-help.md"


@pytest.fixture
def built(project: Path):
    """A project copy with one good build in place, as a writer would have before breaking it."""
    out = project / "output"
    first = run_build(project, out)
    assert first.returncode == 0, first.stderr
    return project, out, {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def assert_output_unchanged(out: Path, before: dict) -> None:
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before, "the failed build touched the previous output"


def write_article(project: Path, name: str, text: str) -> str:
    path = project / "content" / "articles" / name
    path.write_text(text, encoding="utf-8")
    return f"content/articles/{name}"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Date: 2025-02-01\n\nNo title here.\n", 1, "no 'title' in the header; add a line at the top"),
        (
            "Title: Bad date\nDate: 31st of Jan\n\nBody.\n",
            2,
            "'date: 31st of Jan' is not a date; write it as YYYY-MM-DD",
        ),
        (
            "Title: Typo\nDate: 2025-02-01\nTgas: running\n\nBody.\n",
            3,
            "unknown metadata field 'tgas' (did you mean 'tags'?)",
        ),
    ],
    ids=["no-title", "bad-date", "unknown-field"],
)
def test_bad_article_fails_naming_file_and_line(built, text, line, message):
    project, out, before = built
    rel = write_article(project, "2025-02-01-broken.md", text)
    result = run_build(project, out)
    assert result.returncode != 0
    assert f"{rel}:{line}: error: {message}" in result.stderr
    assert "Build FAILED" in result.stderr
    assert_output_unchanged(out, before)


def test_pelican_warning_fails_the_build(built):
    """Pelican only logs a duplicate slug; here it is an error naming the problem."""
    project, out, before = built
    seed = (project / SEED).read_text(encoding="utf-8")
    write_article(project, "2025-02-02-copy.md", seed)
    result = run_build(project, out)
    assert result.returncode != 0
    assert "back-pain-how-running-can-help-not-harm" in result.stderr
    assert_output_unchanged(out, before)


def test_plugin_that_fails_to_load_fails_the_build(built):
    project, out, before = built
    broken = project / "plugins" / "broken"
    broken.mkdir()
    (broken / "__init__.py").write_text("import does_not_exist\n", encoding="utf-8")
    result = run_build(project, out, "-e", 'PLUGINS=["frontmatter", "citations", "broken"]')
    assert result.returncode != 0
    assert "Cannot load plugin `broken`" in result.stderr
    assert_output_unchanged(out, before)


def test_template_error_names_the_template(built):
    project, out, before = built
    (project / "theme" / "templates" / "archives.html").write_text("{% if %}\n", encoding="utf-8")
    result = run_build(project, out)
    assert result.returncode != 0
    assert "archives.html" in result.stderr
    assert_output_unchanged(out, before)


def test_todo_left_in_a_draft_warns_but_builds(project):
    write_article(
        project,
        "2025-02-03-draft.md",
        "Title: Draft\nDate: 2025-02-03\nStatus: draft\nAuthor: TODO\n\nBody.\n",
    )
    result = run_build(project, project / "output")
    assert result.returncode == 0, result.stderr
    assert "content/articles/2025-02-03-draft.md:4: warning: 'author' still says TODO" in result.stderr


def test_html_in_a_title_is_escaped_everywhere(project):
    write_article(
        project,
        "2025-02-04-xss.md",
        "Title: Hello <script>alert(1)</script>\nDate: 2025-02-04\n"
        "Category: Back pain\nTags: running\n\nBody.\n",
    )
    result = run_build(project, project / "output")
    assert result.returncode == 0, result.stderr
    for rel in (
        "index.html",
        "category/back-pain/index.html",
        "tag/running/index.html",
        "archives/index.html",
    ):
        html = (project / "output" / rel).read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in html, rel
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, rel


def test_a_typo_in_the_settings_names_the_file_and_line(built):
    project, out, before = built
    settings = project / "pelicanconf.py"
    text = settings.read_text(encoding="utf-8") + "\nSITENAME = 'unclosed\n"
    settings.write_text(text, encoding="utf-8")
    line = text.count("\n")
    result = run_build(project, out)
    assert result.returncode != 0
    assert (
        f"pelicanconf.py:{line}: error: unterminated string literal (detected at line {line}); "
        "a text needs its closing quote on the same line"
    ) in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert_output_unchanged(out, before)
