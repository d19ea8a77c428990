"""Hostile input found by a review after the firewall was built: other page formats, files among the
pictures, a draft with its own address, a Markdown line that takes minutes, a {static} link out."""

from __future__ import annotations

from tests.hostile.harness import SECRET

HEAD = (
    "Title: Review case\nDate: 2025-03-01\nCategory: Back pain\nAuthor: alex-example\n"
    "Reviewed_by: sam-sample\nReviewed: 2026-11-02\n"
)


def test_a_restructuredtext_page_is_refused(box):
    # `.. include::` would publish any file the build can read (CI's environment, /etc/passwd).
    rel = box.write(
        "content/articles/x.rst",
        f"Leak\n####\n\n:date: 2025-03-01\n\n.. include:: {box.outside}/secret.txt\n   :literal:\n",
    )
    box.rejects(rel, None, "a '.rst' page: the site publishes articles and pages only from Markdown")


def test_an_html_page_is_refused(box):
    rel = box.write(
        "content/pages/x.html", "<html><head><title>X</title></head><body><script>alert(1)</script></body>"
    )
    box.rejects(rel, None, "a '.html' page")


def test_a_text_file_that_would_be_skipped_silently_is_named(box):
    rel = box.write("content/articles/knee-pain.txt", HEAD + "\nText.\n")
    box.rejects(rel, None, "not a Markdown file ('.txt'): the build would skip it without a word")


def test_a_web_page_or_script_among_the_pictures_is_refused(box):
    for name in ("evil.html", "sw.js"):
        rel = box.write(f"content/images/{name}", "<script>alert(1)</script>")
        box.rejects(rel, None, "among the pictures: everything here is published as it is")
        (box.project / rel).unlink()


def test_an_svg_with_script_is_refused_and_a_plain_one_builds(box):
    plain = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    )
    box.write("content/images/plain.svg", plain)
    box.accepts()
    rel = box.write("content/images/evil.svg", plain.replace("<rect", '<rect onclick="alert(1)"'))
    box.rejects(rel, 1, "an SVG picture with script or links in it ('onclick=')")


def test_a_draft_with_its_own_address_is_refused(box):
    rel = box.article(HEAD + "Status: draft\nSave_as: secret.html\n\nNot ready.\n")
    box.rejects(rel, 8, "'save_as:' on a draft would publish it at that address")


def test_a_line_that_takes_the_markdown_reader_minutes_is_stopped(box):
    rel = box.article(HEAD + "\n" + "[x](" * 10_000 + "\n")
    box.rejects(
        rel, None, "took more than 1 s (CONTENT_MAX_READ_SECONDS)", "-e", "CONTENT_MAX_READ_SECONDS=1"
    )


def test_a_static_link_out_of_the_content_folder_is_refused(box):
    (box.outside / "notes.pdf").write_text(SECRET, encoding="utf-8")
    rel = box.article(HEAD + "\n[Notes]({static}/../../outside/notes.pdf)\n")
    box.rejects(rel, 8, "the link to '../../outside/notes.pdf' leaves the content folder")


def test_a_tag_without_letters_names_its_line(box):
    rel = box.article(HEAD + "Tags: running, ?\n\nText.\n")
    box.rejects(rel, 7, "'tags: running, ?': '?' has no letters or digits")


def test_a_language_that_is_a_path_is_refused(box):
    rel = box.article(HEAD + "Lang: ../../x\n\nText.\n")
    box.rejects(rel, 7, "'lang: ../../x' is not a language code")


def test_an_address_with_a_scheme_is_refused(box):
    rel = box.article(HEAD + "Url: javascript:alert(1)\nSave_as: x/index.html\n\nText.\n")
    box.rejects(rel, 7, "'url: javascript:alert(1)' is a web address with a scheme")


def test_a_blank_line_inside_the_header_is_named(box):
    rel = box.article(HEAD.replace("Author:", "\nAuthor:") + "\nText.\n")
    box.rejects(rel, 5, "'Author:' comes after a blank line, which ends the header")


def test_an_html_comment_never_closed_is_refused_but_one_in_code_is_text(box):
    rel = box.article(HEAD + "\nText `<!-- in code` here.\n\n<!-- TODO check this with Sam\n\nMore text.\n")
    box.rejects(rel, 10, "an HTML comment starts here ('<!--') and is never closed with '-->'")
