"""Output paths of content objects against each other and the site's own outputs (pure)."""

from __future__ import annotations

from contentguard.outputs import Output, check, literal_folder, reserved_folders

RESERVED = reserved_folders(
    {
        "category pages (CATEGORY_SAVE_AS)": "category/{slug}/index.html",
        "feeds (FEED_ALL_ATOM)": "feeds/all.xml",
    },
    {"ARTICLE_SAVE_AS": "articles/{slug}/index.html", "PAGE_SAVE_AS": "{slug}/index.html"},
)
HOME = Output("index.html", "the home page (DIRECT_TEMPLATES 'index')")


def page(path, slug="x", cause="'save_as: {}'"):
    source = "content/pages/x.md"
    return Output(path, source, source, "save_as", cause.format(path), "'Save_as:'", slug)


def messages(contents, others=(HOME,)):
    return [message for _, message in check(list(contents), list(others), RESERVED)]


def test_literal_folder():
    assert literal_folder("category/{slug}/index.html") == "category"
    assert literal_folder("{slug}/index.html") is None
    assert literal_folder("index.html") is None
    assert literal_folder("/feeds/x.xml") == "feeds"


def test_reserved_folders_leave_content_folders_out():
    assert RESERVED == {
        "category": "category pages (CATEGORY_SAVE_AS)",
        "feeds": "feeds (FEED_ALL_ATOM)",
        "pagefind": "the search index (Pagefind)",
    }
    assert "articles" not in reserved_folders(
        {"x": "articles/x"}, {"ARTICLE_SAVE_AS": "articles/{slug}.html"}
    )


def test_plain_paths_pass():
    assert messages([page("about/index.html"), page("404.html")]) == []


def test_collision_with_the_home_page_names_it():
    assert messages([page("index.html")]) == [
        "'save_as: index.html' writes 'index.html', which the home page (DIRECT_TEMPLATES 'index') also "
        "writes; change 'Save_as:'"
    ]


def test_collision_is_found_after_normalising():
    assert "which the home page" in messages([page("./index.html")])[0]
    assert (
        "which the about page also writes"
        in messages([page("about/./index.html")], [Output("about/index.html", "the about page")])[0]
    )


def test_two_contents_name_each_other():
    a, b = (
        Output("same.html", src, src, "save_as", "'save_as: same.html'", "'Save_as:'")
        for src in ("content/pages/a.md", "content/pages/b.md")
    )
    problems = check([a, b], [], RESERVED)
    assert [(o.source, m.split("which ")[1].split(" also")[0]) for o, m in problems] == [
        ("content/pages/a.md", "content/pages/b.md"),
        ("content/pages/b.md", "content/pages/a.md"),
    ]


def test_reserved_folder_and_escapes():
    assert (
        "writes into 'category/', the site's folder for category pages"
        in messages([page("category/x.html")])[0]
    )
    assert "an absolute path" in messages([page("/etc/x.html")])[0]
    assert "outside its place in the site ('..')" in messages([page("articles/../../x.html")])[0]


def test_empty_slug_is_named_as_such():
    out = Output("articles//index.html", "a.md", "a.md", "title", "the title", "'Slug:'", slug="")
    assert "the title has no letters or digits" in messages([out])[0]
