"""A second review of the media features (issue 16) as a writer and as an attacker: file names that a
link cannot carry, a photo name with an apostrophe in an exercise card and as a video poster.
Each case is one sandbox build (``box``)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.hostile.harness import png_bytes

HEADER = (
    "Title: Media\nDate: 2025-03-01\nCategory: Back pain\nAuthor: alex-example\n"
    "Reviewed_by: sam-sample\nReviewed: 2026-11-02\nSummary: Media.\n\n"
)
ARTICLE = "content/articles/2025-03-01-hostile.md"


def test_a_picture_whose_name_a_link_cannot_carry_is_named_with_the_fix(box):
    """'Bridge & calf.png' linked from Markdown: Pelican's {static} link reads 'Bridge &amp' and failed
    with 'Cannot get modification stamp for content/images/Bridge &amp' (no line, no fix)."""
    box.write("content/images/Bridge & calf.png", png_bytes(64, 48))
    box.article(HEADER + "Text.\n\n![A bridge]({static}/images/Bridge & calf.png)\n")
    result = box.rejects("content/images/Bridge & calf.png", None, "rename the file")
    assert "'Bridge and calf.png'" in result.stderr and "modification stamp" not in result.stderr


def test_an_apostrophe_in_a_photo_name_works_in_a_card_and_as_a_poster(box):
    """ "Sam's calf.png" works in Markdown; in an exercise card and as a video poster the theme wrote
    &#39;, which Pelican's {static} link cut at '#': the build failed with 'Cannot get modification
    stamp for content/images/Sam&' and no line."""
    box.write("content/images/Sam's calf.png", png_bytes(640, 480))
    card = (
        "```exercise\nname: Calf raise\nphoto: images/Sam's calf.png | Sam rising onto his toes\n"
        "video: https://youtu.be/aqz-KE-bpKQ | poster: images/Sam's calf.png | title: Calf raise\n"
        "steps:\n1. Rise onto your toes.\n2. Lower slowly (see [the warning signs](#warning-signs)).\n"
        "3. Not [this](javascript:alert(1)) <b>bold</b>.\nstop: Stop if it hurts.\n```\n"
    )
    box.article(HEADER + "Text.\n\n" + card)
    result = box.accepts()
    pages = [p for p in box.output.glob("**/index.html") if "Calf raise" in p.read_text(encoding="utf-8")]
    assert pages, result.stderr[-2000:]
    soup = BeautifulSoup(pages[0].read_text(encoding="utf-8"), "html.parser")
    card_img = soup.select_one(".exercise-card__photo img")
    facade_img = soup.select_one(".video__facade img")
    assert card_img["src"].endswith(".png") and "Sam" in card_img["src"] and "{static}" not in card_img["src"]
    assert "Sam" in facade_img["src"] and "{static}" not in facade_img["src"]
    # a link in a step is a link, as in 'feel' and 'stop' (it was shown as '[the warning signs](#...)')
    steps = soup.select(".exercise-card__steps li")
    assert [a["href"] for a in steps[1].find_all("a")] == ["#warning-signs"], steps[1]
    assert "[the warning signs]" not in steps[1].get_text() and not steps[2].find_all(["a", "b"])
