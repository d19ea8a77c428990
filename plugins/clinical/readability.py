"""Reading age: the Flesch–Kincaid grade of a page's text, plus 5 (UK reading age in years).

    grade = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59

Offline and dependency-free: syllables are counted with the usual vowel-group rules (silent final
"e", "-es", "-ed"), which is what readability tools do for words missing from a dictionary. Like every
readability formula it is a prompt to edit, not a verdict, so the checks flag pages, never fail them.

Text comes from the rendered HTML: each block element (paragraph, list item, heading, table cell)
ends a sentence; code, citations, reference lists and visually hidden text are left out.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import astuple, dataclass
from functools import lru_cache
from html import unescape as html_unescape

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


#: A tag, comment or declaration; attribute values may hold ">" inside quotes.
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<![^>]*>|<\?[^>]*>"
    r"|<(?P<end>/?)(?P<tag>[a-zA-Z][^\s/>]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)
_CLASS = re.compile(r"""(?:^|\s)class\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_RAW_TEXT = {"script", "style"}  # their content is text up to the closing tag, never markup


def _classes(attrs: str) -> set[str]:
    found = _CLASS.findall(attrs)
    if not found:
        return set()
    value = next((v for v in found[-1] if v), "")  # the last one wins, as in a dict of attributes
    return set(html_unescape(value).split())


def text_blocks(html: str) -> list[str]:
    """The readable text of an HTML fragment, one string per block.

    One pass of a regular expression over the tags (twice as fast as ``HTMLParser``, which it
    replaced with the same results: a block element ends a block, skipped elements and
    everything in them are left out, entities are decoded).
    """
    blocks: list[str] = []
    current: list[str] = []
    skip: list[str] = []  # tag names of the open elements being skipped, innermost last

    def flush() -> None:
        text = " ".join(html_unescape("".join(current)).split())
        if text:
            blocks.append(text)
        current.clear()

    def end(tag: str) -> None:
        if skip:
            if tag in skip:
                while skip and skip.pop() != tag:
                    pass
            return
        if tag in _BLOCKS:
            flush()

    pos = 0
    while (match := _TOKEN.search(html, pos)) is not None:
        if not skip:
            current.append(html[pos : match.start()])
        pos = match.end()
        tag = match.group("tag")
        if tag is None:
            continue  # a comment or declaration
        tag = tag.lower()
        if match.group("end"):
            end(tag)
            continue
        attrs = match.group("attrs")
        if tag in _VOID:
            if tag in _BLOCKS and not skip:
                flush()
        elif skip or tag in _SKIP_TAGS or _classes(attrs) & _SKIP_CLASSES:
            skip.append(tag)
        elif tag in _BLOCKS:
            flush()
        if attrs.rstrip().endswith("/"):
            end(tag)  # <x/>: a start and an end tag
        elif tag in _RAW_TEXT:
            closing = re.compile(rf"</{tag}\s*>", re.I).search(html, pos)
            if not skip:
                current.append(html[pos : closing.start() if closing else len(html)])
            pos = closing.start() if closing else len(html)
    if not skip:
        current.append(html[pos:])
    flush()
    return blocks


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


class MeasureCache:
    """Results of :func:`measure` by the hash of the HTML, kept across builds in one JSON file.

    A page's reading age depends on its HTML alone, so a rebuild measures only pages whose HTML
    changed. The file belongs in the build's fingerprinted cache folder (a change to this code
    starts a new one). An unreadable file is treated as empty.
    """

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = path
        self._results: dict[str, list[int]] = {}
        self._used: set[str] = set()  # what this build measured: all that is saved
        if path and os.path.isfile(path):
            try:
                with open(path, encoding="utf-8") as fh:
                    self._results = dict(json.load(fh))
            except (OSError, ValueError, TypeError):
                self._results = {}

    def measure(self, html: str) -> Readability:
        key = hashlib.blake2b(html.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        self._used.add(key)
        found = self._results.get(key)
        if found is None:
            result = measure(html)
            self._results[key] = list(astuple(result))
            return result
        return Readability(*found)

    def save(self) -> None:
        """Write the results of the pages this build measured (so old versions do not pile up)."""
        if not self.path or not self._used:
            return
        kept = {key: self._results[key] for key in sorted(self._used)}
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        tmp = f"{self.path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(kept, fh, separators=(",", ":"))
        os.replace(tmp, self.path)


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
