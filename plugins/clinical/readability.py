"""Reading age: the Flesch–Kincaid grade of a page's text, plus 5 (UK reading age in years).

    grade = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59

Offline and dependency-free: syllables are counted with the usual vowel-group rules (silent final
"e", "-es", "-ed"), which is what readability tools do for words missing from a dictionary. Like every
readability formula it is a prompt to edit, not a verdict, so the checks flag pages, never fail them.

Text comes from the rendered HTML as ``reading.text`` reads it, once per page for both plugins: each
block (paragraph, list item, heading, table cell) ends a sentence; code, parenthetical citations,
reference lists and visually hidden text are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reading.text import WORD, Reading

_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|et al|etc|vs|approx|Dr|Mr|Mrs|Ms|Prof|No)\.", re.I)
_SENTENCE_END = re.compile(r"[.!?]+(?=[\s\"'”’)]|$)")


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        """Flesch–Kincaid grade level (US school grade)."""
        if not self.words:
            return 0.0
        return 0.39 * self.words / max(self.sentences, 1) + 11.8 * self.syllables / self.words - 15.59

    @property
    def reading_age(self) -> float:
        """UK reading age in years (grade + 5), one decimal."""
        return round(self.grade + 5, 1)


@lru_cache(maxsize=1 << 16)  # a site's vocabulary repeats: 1,000 articles have ~600k words, few distinct
def syllables(word: str) -> int:
    """Syllables in an English word by vowel groups (at least one)."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", w)))


def measure(prose: Reading) -> Readability:
    """The counts of a page's prose (``reading.text``: the words reading time counts too)."""
    words = sentences = syllable_count = 0
    for block in prose.blocks:
        block_words = WORD.findall(block)
        if not block_words:
            continue
        words += len(block_words)
        syllable_count += sum(syllables(w) for w in block_words)
        stripped = _ABBREVIATIONS.sub("", block).rstrip()
        # a block is at least one sentence, even without a full stop (a heading, a list item)
        sentences += max(1, sum(1 for part in _SENTENCE_END.split(stripped) if WORD.search(part)))
    return Readability(words, sentences, syllable_count)


@dataclass(frozen=True)
class Finding:
    severity: str  # "warning" or "note"
    message: str


def assess(result: Readability, clinical: bool, target: float, limit: float) -> Finding | None:
    """Flag a reading age above `target` (clinical pages may go up to `limit` for medical terms)."""
    if not result.words:
        return None
    age, grade = result.reading_age, round(result.grade, 1)
    measured = f"reading age {age:g} (Flesch–Kincaid grade {grade:g}, {result.words} words)"
    if age <= target:
        return None
    if clinical and age <= limit:
        return Finding(
            "note",
            f"{measured} is above the target of {target:g} but within {limit:g}, "
            "the tolerance for pages that need medical terms",
        )
    allowed = f"{limit:g} for clinical pages that need medical terms" if clinical else f"{target:g}"
    return Finding(
        "warning",
        f"{measured} is above {allowed}; shorter sentences and everyday words bring it down",
    )
