"""Reading age: the Flesch–Kincaid grade of a page's text, plus 5 (UK reading age in years).

    grade = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59

Offline and dependency-free: syllables are counted with the usual vowel-group rules (silent final
"e", "-es", "-ed"), which is what readability tools do for words missing from a dictionary. Like every
readability formula it is a prompt to edit, not a verdict, so the checks flag pages, never fail them.

Text comes from the rendered HTML: each block element (paragraph, list item, heading, table cell)
ends a sentence; code, citations, reference lists and visually hidden text are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_BLOCKS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "blockquote", "figcaption",
    "div", "section", "ul", "ol", "table", "tr", "br", "hr",
}  # fmt: skip
_SKIP_TAGS = {"pre", "code", "script", "style", "svg", "kbd", "samp", "math"}
_SKIP_CLASSES = {"citation", "citations", "references", "csl-bib-body", "visually-hidden", "footnote"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "col", "embed", "track"}
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|et al|etc|vs|approx|Dr|Mr|Mrs|Ms|Prof|No)\.", re.I)
_SENTENCE_END = re.compile(r"[.!?]+(?=[\s\"'”’)]|$)")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


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


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._skip: list[str] = []  # tag names of the open elements being skipped, innermost last

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(text)
        self._current = []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag in _BLOCKS and not self._skip:
                self._flush()
            return
        classes = set((dict(attrs).get("class") or "").split())
        if self._skip or tag in _SKIP_TAGS or classes & _SKIP_CLASSES:
            self._skip.append(tag)
            return
        if tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if self._skip:
            if tag in self._skip:
                while self._skip and self._skip.pop() != tag:
                    pass
            return
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self._skip:
            self._current.append(data)

    def close(self):
        super().close()
        self._flush()


def text_blocks(html: str) -> list[str]:
    """The readable text of an HTML fragment, one string per block."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.blocks


def measure(html: str) -> Readability:
    words = sentences = syllable_count = 0
    for block in text_blocks(html):
        block_words = _WORD.findall(block)
        if not block_words:
            continue
        words += len(block_words)
        syllable_count += sum(syllables(w) for w in block_words)
        stripped = _ABBREVIATIONS.sub("", block).rstrip()
        # a block is at least one sentence, even without a full stop (a heading, a list item)
        sentences += max(1, sum(1 for part in _SENTENCE_END.split(stripped) if _WORD.search(part)))
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
