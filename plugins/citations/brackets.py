"""Bracket facts for the citation syntax: where each "[" closes, its last top-level ";", where keys
and tags are, found in one pass over a paragraph's text and kept while Python-Markdown replaces what
it matches (so every look-up is cheap and a paragraph costs linear time); and Python-Markdown's own
link processors given the same look-ups (see ``syntax`` for the why).
"""

from __future__ import annotations

import bisect
import re

from markdown import inlinepatterns, util

# pandoc's simpleCiteIdentifier: starts with a letter, digit or _; internal punctuation :.#$%&-+?<>~/
# only when followed by a letter/digit/_ (and ":" or "/" before another "/", for URLs).
_KEY = r"(?:\w(?:\w|[:.#$%&\-+?<>~/](?=\w)|[:/](?=/))*|\{[^\s{}]+\})"
# pandoc's notAfterString: the @ must not follow a word character (e-mail addresses stay text).
KEY_RE = re.compile(r"(?<![\w.\\])(?P<suppress>-?)@(?P<key>" + _KEY + ")")
_BRACKETS_RE = re.compile(r"[\[\];{}]|\*+")
_TAG_START_RE = re.compile(r"<[A-Za-z/!]")


class _Facts:
    """What the processors ask about one inline text, found in one pass (positions in `text`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.close: dict[int, int] = {}  # "[" → its "]"
        self.opens: list[int] = []  # every "[", in order
        self.semi: dict[int, int] = {}  # "[" → its last top-level ";"
        stack: list[int] = []
        braces = 0  # a ";" inside braces (a braced key) is not a separator
        emphasis = False  # nor one inside *emphasis* (pandoc reads the emphasis whole)
        for match in _BRACKETS_RE.finditer(text):
            char, at = match.group(), match.start()
            if char == "[":
                stack.append(at)
                self.opens.append(at)
                braces, emphasis = 0, False
            elif char == "]":
                if stack:
                    self.close[stack.pop()] = at
                braces, emphasis = 0, False
            elif char == "{":
                braces += 1
            elif char == "}":
                braces = max(0, braces - 1)
            elif char[0] == "*":
                emphasis = not emphasis
            elif stack and not braces and not emphasis:
                self.semi[stack[-1]] = at
        self.key_starts: list[int] = []
        self.key_ends: list[int] = []
        for match in KEY_RE.finditer(text):
            self.key_starts.append(match.start())
            self.key_ends.append(match.end())
        self.lt = [m.start() for m in re.finditer("<", text)]
        self.gt = [m.start() for m in re.finditer(">", text)]

    def opens_between(self, start: int, end: int) -> bool:
        """Whether a "[" lies within text[start:end]."""
        i = bisect.bisect_left(self.opens, start)
        return i < len(self.opens) and self.opens[i] < end

    def first_key(self, start: int) -> int | None:
        """Where the first key at or after `start` begins."""
        i = bisect.bisect_left(self.key_starts, start)
        return self.key_starts[i] if i < len(self.key_starts) else None

    def has_key(self, start: int, end: int) -> bool:
        """Whether a key lies wholly within text[start:end]."""
        i = bisect.bisect_left(self.key_starts, start)
        return i < len(self.key_starts) and self.key_ends[i] <= end

    def in_tag(self, at: int) -> bool:
        """Whether `at` is inside an HTML tag or an autolink ("<" opened and not closed before it)."""
        i, j = bisect.bisect_left(self.lt, at), bisect.bisect_left(self.gt, at)
        last_lt = self.lt[i - 1] if i else -1
        last_gt = self.gt[j - 1] if j else -1
        return last_lt > last_gt and bool(_TAG_START_RE.match(self.text, last_lt))


class _FactsCache:
    """Keeps the :class:`_Facts` of the text an inline processor is working through."""

    _data: str | None = None  # the text the facts were last mapped onto
    _facts: _Facts | None = None
    _shift = 0  # position in data - position in facts.text, for the tail not yet looked at
    _replaced: tuple[str, int, int] | None = None  # (data, start, end) of the last match

    def facts(self, data: str) -> tuple[_Facts, int]:
        """The facts of `data` and the shift to add to their positions (valid from the last match on).

        After a match Python-Markdown calls again with a new text: the old one with [start:end)
        replaced by a placeholder (STX klzzwxh:N ETX). When that is so, the old facts still hold
        for the tail. The check is O(1) (the placeholder, the lengths, 64 characters either side),
        as comparing whole texts after every match would make a paragraph of n citations O(n²);
        :meth:`closing` double-checks every bracket it hands out."""
        if data is self._data and self._facts is not None:
            return self._facts, self._shift
        replaced, self._replaced = self._replaced, None
        if replaced is not None and self._facts is not None:
            old, start, end = replaced
            stop = data.find(util.ETX, start, start + 40)
            if (
                data.startswith(util.INLINE_PLACEHOLDER_PREFIX, start)
                and stop != -1
                and len(data) - stop - 1 == len(old) - end
                and data[stop + 1 : stop + 65] == old[end : end + 64]
                and data[max(0, start - 64) : start] == old[max(0, start - 64) : start]
            ):
                self._shift += len(data) - len(old)
                self._data = data
                return self._facts, self._shift
        self._data, self._facts, self._shift = data, _Facts(data), 0
        return self._facts, 0

    def closing(self, data: str, at: int) -> int | None:
        """Index in `data` of the "]" closing the "[" at `at`, or None."""
        facts, shift = self.facts(data)
        close = facts.close.get(at - shift)
        if close is not None and data[close + shift : close + shift + 1] != "]":
            self._data, self._facts, self._shift = data, _Facts(data), 0  # never seen; be safe
            close = self._facts.close.get(at)
        return None if close is None else close + self._shift

    def matched(self, data: str, start: int, end: int) -> None:
        self._replaced = (data, start, end)


class _LinearBrackets(_FactsCache):
    """Python-Markdown's link and reference processors, with the bracket matching of ``getText``
    looked up instead of rescanning to the end of the text for every "[" (the same quadratic scan
    as ours was: 20,000 "[" on a line took minutes). Same results, so links are unchanged."""

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        close = self.closing(data, index - 1)  # data[index - 1] is the "["
        if close is None:
            return data[index:], len(data), False
        return data[index:close], close + 1, True

    def handleMatch(self, m: re.Match, data: str):
        node, start, end = super().handleMatch(m, data)
        if node is not None and start is not None:
            self.matched(data, start, end)
        return node, start, end


#: Python-Markdown's processors that call getText: registry name → (class, priority).
_LINK_PROCESSORS = {
    "reference": (inlinepatterns.ReferenceInlineProcessor, 170),
    "link": (inlinepatterns.LinkInlineProcessor, 160),
    "image_link": (inlinepatterns.ImageInlineProcessor, 150),
    "image_reference": (inlinepatterns.ImageReferenceInlineProcessor, 140),
    "short_reference": (inlinepatterns.ShortReferenceInlineProcessor, 130),
    "short_image_ref": (inlinepatterns.ShortImageReferenceInlineProcessor, 125),
}


def _linear_links(md) -> None:
    """Swap each of Python-Markdown's link processors for a :class:`_LinearBrackets` twin."""
    for name, (base, priority) in _LINK_PROCESSORS.items():
        if name not in md.inlinePatterns:
            continue
        old = md.inlinePatterns[name]
        if type(old) is not base:  # another extension replaced it: leave it alone
            continue
        twin = type(f"Linear{base.__name__}", (_LinearBrackets, base), {})
        md.inlinePatterns.register(twin(old.pattern, md), name, priority)
