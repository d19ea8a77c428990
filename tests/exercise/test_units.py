"""Exercise cards read and checked without Pelican."""

from __future__ import annotations

from exercise import core

CARD = """name: Calf raise
photo: images/calf.jpg | A person rising onto their toes | TODO replace-with-clinic-photo
steps:
1. Stand tall.
2. Rise onto your toes.
sets: 3
reps: TODO
feel: [Link](javascript:alert`1`) <b>bold</b>
stop: See [when to get help]({filename}/pages/x.md#red-flags)""".splitlines()


def test_a_card_is_read_with_its_todos_and_lines():
    card, problems = core.parse(CARD, 10)
    assert card.name == "Calf raise" and card.steps == ["Stand tall.", "Rise onto your toes."]
    assert [(p.src, p.alt) for p in card.photos] == [
        ("{static}/images/calf.jpg", "A person rising onto their toes")
    ]
    assert card.dosage == {"sets": "3", "reps": "TODO"}
    assert card.todos == [(12, "photo"), (17, "reps")]
    assert problems == [
        (
            18,
            "the link 'javascript:alert`1`' is not allowed in an exercise card: use https://, "
            "a path on this site, {filename}/... or a #fragment",
        )
    ]
    assert core.inline(card.feel) == "[Link](javascript:alert`1`) &lt;b&gt;bold&lt;/b&gt;"
    assert core.inline(card.stop) == 'See <a href="{filename}/pages/x.md#red-flags">when to get help</a>'
    assert core.howto(card)["step"][1] == {
        "@type": "HowToStep",
        "position": 2,
        "text": "Rise onto your toes.",
    }


def test_mistakes_name_their_line():
    lines = [
        "nme: Bridge",
        "steps:",
        "1. Lie down.",
        "3. Lift.",
        "photo: images/x.jpg",
        "photo: https://x.test/a.jpg | A",
    ]
    _card, problems = core.parse(lines, 1)
    said = {line: message for line, message in problems}
    assert "did you mean 'name:'" in said[2]
    assert "step 3 should be step 2" in said[5]
    assert "has no alt text" in said[6]
    assert "not an address" in said[7]
    at_start = " ".join(m for ln, m in problems if ln == 1)
    assert "no name" in at_start and "when to stop" in at_start


def test_a_link_in_a_step_is_checked_like_one_in_stop():
    _card, problems = core.parse(["name: A", "steps:", "1. Read [this](data:text/html,x).", "stop: S."], 1)
    assert [(line, "is not allowed in an exercise card" in m) for line, m in problems] == [(4, True)]
    card, _ = core.parse(["name: A", "steps:", "1. Read [the signs](#signs) first.", "stop: S."], 1)
    assert core.howto(card)["step"][0]["text"] == "Read the signs first."  # structured data: the words


def test_a_card_inside_a_note_or_a_list_item_is_a_card_not_code():
    """Indented under `!!! note` or a list item, the card was printed as code: 'exercise name: ...'."""
    import markdown

    from exercise.syntax import PLACEHOLDER_RE, Block, ExerciseExtension

    card = [
        "    ```exercise",
        "    name: Calf raise",
        "    steps:",
        "    1. Rise.",
        "    stop: S.",
        "    ```",
    ]
    text = "\n".join(["Text.", "", '!!! note "Try this"', *card, "", "1. First:", "", *card, ""])
    html = markdown.Markdown(extensions=[ExerciseExtension(), "admonition"]).convert(text)
    blocks = [Block.from_json(m.group(1)) for m in PLACEHOLDER_RE.finditer(html)]
    assert [(b.line, b.lines[0].strip()) for b in blocks] == [
        (4, "name: Calf raise"),
        (13, "name: Calf raise"),
    ]
    assert "<code>" not in html and html.index("admonition") < html.index("exercise:card")
    code = "\n".join(["Text.", "", *("        " + line.strip() for line in card)])
    assert "exercise:card" not in markdown.Markdown(extensions=[ExerciseExtension()]).convert(code)


def test_a_wrapped_step_is_one_error_that_says_join_the_lines():
    """A writer who wraps lines in the editor: one error, not one more for every later step."""
    lines = ["name: Bridge", "steps:", "1. Lie on your back and lift your", "hips.", "2. Lower.", "stop: S."]
    card, problems = core.parse(lines, 1)
    assert [(line, "join the two lines" in m) for line, m in problems] == [(5, True)]
    assert card.steps == ["Lie on your back and lift your", "Lower."]
