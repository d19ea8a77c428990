"""Bad input the theme must survive: unknown templates, images without alt text, HTML in tags and
summaries, articles without a summary. Two builds of a throwaway copy of the project."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from PIL import Image

from tests.conftest import run_build

HEADER = (
    "Date: 2025-03-0{day}\nCategory: Back pain\nAuthor: alex-example\n"
    "Reviewed_by: sam-sample\nReviewed: 2026-11-02\n"
)


def write(project: Path, name: str, text: str) -> Path:
    path = project / "content" / "articles" / name
    path.write_text(text, encoding="utf-8")
    return path


def picture(project: Path) -> None:
    (project / "content" / "images").mkdir(exist_ok=True)
    Image.new("RGB", (1000, 600), "#0b6e4f").save(project / "content" / "images" / "green.png")


def test_unknown_template_and_missing_alt_fail_naming_file_and_line(project):
    picture(project)
    write(
        project,
        "2025-03-01-a.md",
        "Title: A\n" + HEADER.format(day=1) + "Template: artcle\nSummary: A.\n\nText.\n",
    )
    write(
        project,
        "2025-03-02-b.md",
        "Title: B\n" + HEADER.format(day=2) + "Summary: B.\n\nText.\n\n![](/images/green.png)\n",
    )
    result = run_build(project, project / "output")
    assert result.returncode == 1
    assert (
        "content/articles/2025-03-01-a.md:7: error: unknown template 'artcle' in 'template: artcle' "
        "(did you mean 'article'?)" in result.stderr
    )
    assert (
        "content/articles/2025-03-02-b.md:11: error: the image '/images/green.png' has no alt text"
        in result.stderr
    )


def test_html_in_tags_and_summaries_is_escaped_and_a_missing_summary_is_derived(project):
    picture(project)
    write(
        project,
        "2025-03-01-x.md",
        "Title: Tags\n" + HEADER.format(day=1) + "Tags: <script>alert(1)</script>, running\n"
        'Summary: Hello **bold** & <abbr title="National Health Service">NHS</abbr>\n\nText.\n',
    )
    write(
        project,
        "2025-03-02-y.md",
        "Title: No summary\n" + HEADER.format(day=2) + "Tags: running\n\n"
        "Running helps most people with back pain [@hartvigsen2018]. Start slowly.\n\n"
        "![A green rectangle](/images/green.png)\n\n## More\n\n"
        "![Another green rectangle](/images/green.png)\n\n"
        "[[book]]\n",
    )
    result = run_build(project, project / "output")
    assert result.returncode == 0, result.stderr
    out = project / "output"
    pages = [
        "index.html",
        "tag/running/index.html",
        "category/back-pain/index.html",
        "articles/tags/index.html",
    ]
    for rel in pages:
        html = (out / rel).read_text(encoding="utf-8")
        assert "<script>alert(" not in html, rel
    tags = BeautifulSoup((out / "articles/tags/index.html").read_text(), "html.parser").select(".tags a")
    assert tags[0].get_text() == "<script>alert(1)</script>"

    home = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    summaries = {c.h3.get_text(): c.select_one(".card__summary").get_text() for c in home.select(".card")}
    assert summaries["No summary"] == "Running helps most people with back pain. Start slowly."
    assert summaries["Tags"] == "Hello bold & NHS"  # markup stripped, the rest is text (a <script>
    # in a summary is refused by the build: tests/hostile/test_html.py)

    article = BeautifulSoup((out / "articles/no-summary/index.html").read_text(), "html.parser")
    assert article.find("meta", attrs={"name": "description"})["content"] == (
        "Running helps most people with back pain. Start slowly."
    )
    first, second = article.select(".prose img")
    assert (first["width"], first["height"], first["loading"]) == ("1000", "600", "eager")
    assert second["loading"] == "lazy" and second["alt"] == "Another green rectangle"
    assert first["srcset"].startswith("../../images/green-343w.png 343w, ../../images/green-686w.png 686w")
    assert Image.open(out / "images" / "green-686w.png").size == (686, 412)
    related = [a.get_text() for a in article.select(".related .card__title a")]
    assert related[:2] == ["Tags", "Back Pain: How Running Can Help, Not Harm"]  # shared tags, then topic
    assert article.find("a", rel="prev").get_text(" ", strip=True) == "Previous article Tags"
