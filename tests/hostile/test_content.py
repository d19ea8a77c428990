"""Hostile content files and names (issues #13, #14): what Pelican would open, read or overwrite.

Each case is refused before anything is written: `file[:line]: error: what it is; what to do`,
exit 1, output/ and the rest of the sandbox untouched (see harness.py).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.hostile.harness import Sandbox

HEAD = "Title: Hostile\nDate: 2025-03-01\nCategory: Back pain\n"
ARTICLE = "content/articles/2025-03-01-hostile.md"
PAGE = "content/pages/hostile.md"
SEED = "content/articles/2025-01-31-back-pain-how-running-can-help.md"


def link(box: Sandbox, rel: str, target: str) -> str:
    """A symlink in the project pointing at `target` (as written: absolute or relative)."""
    path = box.project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    return rel


def sparse(box: Sandbox, rel: str, size: int) -> str:
    """A file of `size` bytes that takes no disk space (a hole)."""
    with open(box.project / rel, "wb") as fh:
        fh.truncate(size)
    return rel


# --- the content tree: scanned before Pelican reads anything ------------------------------------


def test_symlink_to_a_file_outside_is_not_copied_into_the_site(box):
    rel = link(box, "content/images/passwd", str(box.outside / "secret.txt"))
    box.rejects(rel, None, "a symlink to")
    box.rejects(rel, None, "outside the content folder")


def test_symlink_to_etc_passwd_is_refused(box):
    box.rejects(link(box, "content/images/passwd", "/etc/passwd"), None, "outside the content folder")


def test_symlink_to_a_folder_outside_is_refused(box):
    rel = link(box, "content/images/elsewhere", "../../../outside/dir")
    box.rejects(rel, None, "outside the content folder")


def test_symlink_to_dev_zero_is_refused_without_reading_it(box):
    box.rejects(link(box, "content/articles/zero.md", "/dev/zero"), None, "outside the content folder")


def test_symlink_loop_is_refused(box):
    box.rejects(link(box, "content/articles/loop", ".."), None, "an endless loop")


def test_dangling_symlink_is_refused(box):
    box.rejects(link(box, "content/articles/gone.md", "nowhere.md"), None, "which does not exist")


def test_fifo_is_refused_without_opening_it(box):
    rel = "content/articles/pipe.md"
    os.mkfifo(box.project / rel)
    box.rejects(rel, None, "a named pipe (fifo)")


def test_socket_is_refused(box):
    rel = "content/images/listen.sock"
    # Bind from inside the folder: a socket path must be short (108 bytes).
    code = "import socket; socket.socket(socket.AF_UNIX).bind('listen.sock')"
    subprocess.run([sys.executable, "-c", code], cwd=box.project / "content/images", check=True)
    box.rejects(rel, None, "a socket")


@pytest.mark.skipif(os.geteuid() != 0, reason="creating a device node needs root")
def test_device_is_refused_without_opening_it(box):
    rel = "content/images/zero.png"
    os.mknod(box.project / rel, 0o600 | 0o020000, os.makedev(1, 5))  # S_IFCHR: /dev/zero
    box.rejects(rel, None, "a device")


def test_huge_image_is_refused(box):
    rel = sparse(box, "content/images/huge.png", 30 * 1024 * 1024)
    box.rejects(rel, None, "over the limit of 20.0 MiB (CONTENT_MAX_STATIC_BYTES)")


def test_huge_markdown_file_is_refused(box):
    rel = sparse(box, "content/articles/2025-03-02-huge.md", 3 * 1024 * 1024)
    box.rejects(rel, None, "over the limit of 2.0 MiB (CONTENT_MAX_FILE_BYTES)")


def test_the_size_limit_is_a_setting(box):
    box.rejects(
        SEED,
        None,
        "over the limit of 1,000 bytes (CONTENT_MAX_FILE_BYTES)",
        "-e",
        "CONTENT_MAX_FILE_BYTES=1000",
    )


def test_a_bad_limit_setting_is_refused(box):
    box.rejects(
        "-e CONTENT_MAX_NESTING", None, "CONTENT_MAX_NESTING = 0 is too small", "-e", "CONTENT_MAX_NESTING=0"
    )


# --- text hygiene ------------------------------------------------------------------------------------


def test_utf8_bom_from_notepad_builds_normally(box):
    box.write(ARTICLE, b"\xef\xbb\xbf" + f"{HEAD}\nSaved by Notepad.\n".encode())
    result = box.accepts()
    assert "<h1>Hostile</h1>" in result.page("articles/hostile/index.html").replace("\n", "")


@pytest.mark.parametrize(
    ("data", "line", "says"),
    [
        (
            f"{HEAD}\nCaf\xe9 au lait.\n".encode("latin-1"),
            5,
            "this line is not UTF-8 text: byte 0xE9 at column 4",
        ),
        (f"{HEAD}\nText.\n".encode("utf-16"), 1, "saved as UTF-16, not UTF-8"),
        (f"{HEAD}\nText.\nA NUL \x00 here.\n".encode(), 6, "a control character U+0000"),
        (f"{HEAD}\nAn escape \x1b[31m here.\n".encode(), 5, "a control character U+001B ESCAPE"),
        (f"{HEAD}\nA C1 \u0085 control.\n".encode(), 5, "a control character U+0085"),
    ],
    ids=["latin-1", "utf-16", "nul", "escape", "c1"],
)
def test_text_that_is_not_clean_utf8_names_the_line(box, data, line, says):
    box.write(ARTICLE, data)
    box.rejects(ARTICLE, line, says)


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_bidi_control_in_a_title_is_refused(box, char):
    box.article(f"Title: Safe {char}txet desrever\nDate: 2025-03-01\nCategory: Back pain\n\nText.\n")
    box.rejects(ARTICLE, 1, f"U+{ord(char):04X}")


# --- names and dates in the header ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "line", "says"),
    [
        ("Date: 2025-02-30", 2, "'date: 2025-02-30' is not a real date (February 2025 has 28 days)"),
        ("Date: 0000-00-00", 2, "'date: 0000-00-00' is not a real date (the year 0000"),
        ("Date: 2026-13-01", 2, "'date: 2026-13-01' is not a real date (there is no month 13"),
        ("Date: 2025-03-01 25:00", 2, "is not a real date (there is no time 25:00"),
        ("Modified: 2025-04-31", 4, "'modified: 2025-04-31' is not a real date (April 2025 has 30 days)"),
        ("Reviewed: 9999-12-31", 4, "'reviewed: 9999-12-31' is not a real date (the year 9999"),
        (
            "Review_due: 2024-02-30",
            4,
            "'review_due: 2024-02-30' is not a real date (February 2024 has 29 days)",
        ),
    ],
)
def test_impossible_date_names_the_field_and_line(box, field, line, says):
    if field.startswith("Date:"):
        box.article(f"Title: Hostile\n{field}\nCategory: Back pain\n\nText.\n")
    else:
        box.article(f"{HEAD}{field}\n\nText.\n")
    box.rejects(ARTICLE, line, says)


def test_misspelt_status_suggests_the_right_one(box):
    box.article(f"{HEAD}Status: publised\n\nText.\n")
    result = box.rejects(ARTICLE, 4, "'status: publised' is not a status (did you mean 'published'?)")
    assert "draft, published, hidden" in result.stderr


def test_title_of_only_zero_width_characters_is_refused(box):
    box.article("Title: \u200b\u200c\u2060\nDate: 2025-03-01\nCategory: Back pain\n\nText.\n")
    box.rejects(ARTICLE, 1, "the title has only invisible characters")


def test_title_without_letters_or_digits_is_refused(box):
    box.article("Title: ???\nDate: 2025-03-01\nCategory: Back pain\n\nText.\n")
    box.rejects(ARTICLE, 1, "no letters or digits to make the page's address (slug) from")


@pytest.mark.parametrize("slug", ["../about", "../theme/css", "a/b", "..", "../../../outside"])
def test_slug_that_climbs_or_nests_is_refused(box, slug):
    box.article(f"{HEAD}Slug: {slug}\n\nText.\n")
    box.rejects(ARTICLE, 4, f"'slug: {slug}' contains '/', '\\' or '..'")


@pytest.mark.parametrize(
    ("slug", "owner"),
    [
        ("theme", "the theme's files"),
        ("images", "static files"),
        ("feeds", "feeds"),
        ("pagefind", "the search index"),
        ("category", "category pages"),
        ("tag", "tag pages"),
        ("author", "author pages"),
        ("people", "clinical person pages"),
    ],
)
def test_page_slug_in_a_folder_the_site_fills_is_refused(box, slug, owner):
    box.write(PAGE, f"Title: Hostile\nSlug: {slug}\n\nText.\n")
    box.rejects(PAGE, 2, f"'slug: {slug}' writes into '{slug}/', the site's folder for {owner}")


# --- output collisions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("save_as", "other"),
    [
        ("index.html", "the home page (DIRECT_TEMPLATES 'index')"),
        ("robots.txt", "the robots page (DIRECT_TEMPLATES 'robots')"),
        ("sitemap.xml", "the sitemap (pelican.plugins.sitemap)"),
        ("archives/index.html", "the archives page (DIRECT_TEMPLATES 'archives')"),
        ("404.html", "content/pages/404.md"),
        ("search/index.html", "the search page (DIRECT_TEMPLATES 'search')"),
        ("feeds/all.atom.xml", "the feed FEED_ALL_ATOM"),
        ("theme/css/site.css", "the theme file theme/static/css/site.css"),
        ("articles/back-pain-how-running-can-help-not-harm/index.html", SEED),
    ],
)
def test_page_save_as_that_replaces_another_output_names_both(box, save_as, other):
    box.write(PAGE, f"Title: Hostile\nSave_as: {save_as}\n\nText.\n")
    box.rejects(PAGE, 2, f"'save_as: {save_as}' writes '{save_as}', which {other} also writes")


def test_page_slug_of_the_search_page_names_both(box):
    box.write(PAGE, "Title: Hostile\nSlug: search\n\nText.\n")
    box.rejects(PAGE, 2, "'slug: search' writes 'search/index.html', which the search page")


def test_page_save_as_over_page_two_of_the_home_page_is_refused(box):
    for number in range(1, 11):  # 11 articles with the seed: the home page has a page 2 (10 a page)
        box.article(
            f"Title: Filler {number}\nDate: 2025-03-01\nCategory: Running\n\nText.\n",
            f"2025-03-01-f{number}.md",
        )
    box.write(PAGE, "Title: Hostile\nSave_as: index2.html\n\nText.\n")
    box.rejects(PAGE, 2, "which page 2 of the home page (DIRECT_TEMPLATES 'index') also writes")


def test_two_pages_with_one_save_as_fail_naming_each_other(box):
    box.write(PAGE, "Title: One\nSave_as: same.html\n\nText.\n")
    other = box.write("content/pages/hostile-two.md", "Title: Two\nSave_as: same.html\n\nText.\n")
    result = box.rejects(PAGE, 2, f"which {other} also writes")
    assert (
        f"{other}:2: error: 'save_as: same.html' writes 'same.html', which {PAGE} also writes"
        in result.stderr
    )


@pytest.mark.parametrize(
    ("save_as", "says"),
    [
        ("theme/x.html", "writes into 'theme/', the site's folder for the theme's files"),
        ("feeds/x.xml", "writes into 'feeds/', the site's folder for feeds"),
        ("images/x.png", "writes into 'images/', the site's folder for static files"),
        ("search/x.html", "writes into 'search/', the site's folder for search pages"),
        ("/tmp/hostile.html", "leaves the site's folder (an absolute path or '..')"),
        ("../../outside/x.html", "leaves the site's folder (an absolute path or '..')"),
        ("a/../../x.html", "leaves the site's folder (an absolute path or '..')"),
    ],
)
def test_page_save_as_into_the_sites_own_folders_or_outside_is_refused(box, save_as, says):
    box.write(PAGE, f"Title: Hostile\nSave_as: {save_as}\n\nText.\n")
    box.rejects(PAGE, 2, says)


# --- deep nesting ----------------------------------------------------------------------------------------


def test_deep_blockquotes_are_refused_naming_the_line(box):
    box.article(f"{HEAD}\n" + ">" * 2000 + " deep\n")
    box.rejects(
        ARTICLE, 5, "blockquotes ('>') nested 2000 deep, over the limit of 20 levels (CONTENT_MAX_NESTING)"
    )


def test_deep_lists_are_refused_naming_the_line(box):
    box.article(f"{HEAD}\n" + "\n".join("    " * i + "- item" for i in range(300)) + "\n")
    box.rejects(ARTICLE, 5 + 21, "indented 84 spaces (21 levels), over the limit of 20 levels")


def test_deep_emphasis_is_one_error_not_a_recursion_error(box):
    box.article(f"{HEAD}\n" + "*" * 5000 + "x" + "*" * 5000 + "\n")
    result = box.rejects(ARTICLE, None, "the text is nested too deeply for the Markdown reader")
    assert "RecursionError" not in result.stderr
