"""Reading age: Flesch–Kincaid grade + 5, offline, flagged (never failed)."""

from __future__ import annotations

import pytest

from clinical.readability import Readability, assess, measure, syllables
from reading.text import read


@pytest.mark.parametrize(
    ("word", "count"),
    [("the", 1), ("spine", 1), ("running", 2), ("people", 2), ("marathons", 3), ("encouraging", 4),
     ("degeneration", 5), ("intervertebral", 5), ("radiculopathy", 6)],
)  # fmt: skip
def test_syllables(word, count):
    assert syllables(word) == count


def test_text_leaves_out_code_citations_references_and_hidden_text():
    html = (
        '<h2>Heading</h2><p>Run <span class="citation">(Horga et al., 2022)</span> slowly.</p>'
        '<pre><code>print("x")</code></pre><span class="visually-hidden">Urgent advice: </span>'
        '<section class="references"><p>Long reference text.</p></section><ul><li>One</li><li>Two</li></ul>'
    )
    assert read(html).blocks == ["Heading", "Run slowly.", "One", "Two"]


def test_measure_counts_words_sentences_and_syllables():
    result = measure(read("<p>The cat sat on the mat. The dog ran off!</p><h2>Next steps</h2>"))
    assert (result.words, result.sentences, result.syllables) == (12, 3, 12)
    assert round(result.grade, 2) == round(0.39 * 12 / 3 + 11.8 * 12 / 12 - 15.59, 2)
    assert result.reading_age == round(result.grade + 5, 1)


def test_plain_text_is_within_target_and_dense_text_is_flagged():
    plain = Readability(words=100, sentences=10, syllables=130)  # grade ≈ 3.6, age ≈ 8.6
    assert assess(plain, clinical=False, target=11, limit=14) is None
    dense = Readability(words=100, sentences=4, syllables=170)  # grade ≈ 14.2, age ≈ 19.2
    finding = assess(dense, clinical=True, target=11, limit=14)
    assert finding.severity == "warning"
    assert finding.message.startswith("reading age 19.2 (Flesch–Kincaid grade 14.2, 100 words) is above 14")


def test_clinical_pages_within_the_tolerance_get_a_note_others_a_warning():
    medium = Readability(words=100, sentences=6, syllables=150)  # age ≈ 13.6
    assert assess(medium, clinical=True, target=11, limit=14).severity == "note"
    finding = assess(medium, clinical=False, target=11, limit=14)
    assert finding.severity == "warning" and "is above 11;" in finding.message
