"""Pandoc's citation syntax as a Python-Markdown extension (syntax only: no bibliography, no style).

Forms (as in pandoc's Markdown reader)::

    [@hartvigsen2018]                          normal citation
    [@belavy2017; @mitchell2020]               several keys in one cluster
    [see @maselli2020, p. 343; also @belavy2017]   prefix, suffix, locator
    [-@horga2022]                              suppress author
    @neason2024    @neason2024 [p. 33]         narrative (author in text), with an optional locator
    @{braced:key}                              keys with unusual characters

    ::: {#refs}
    :::                                        where the reference list goes (default: the end)

Each citation cluster becomes a placeholder that reads well even if nothing resolves it::

    <span class="citation" data-cites="k1 k2" data-cluster="0">[@k1; @k2]</span>

and the clusters go to ``md.Meta["citation_clusters"]`` as one JSON string, so Pelican stores them as
the ``citation_clusters`` metadata (and in its content cache, with the placeholder HTML). The plugin
core formats them later, after the cache. Cluster shape::

    {"raw": "[see @a, p. 3]", "cites": [{"id": "a", "prefix": "see", "suffix": ", p. 3",
                                         "mode": "NormalCitation"}]}

Linear time: Python-Markdown calls a processor once for every "[" and "@" of a paragraph. Each call
looks its answer up in :class:`_Facts` (matching brackets, the last top-level ";" of each bracket,
where keys are, where "<" and ">" are), found in one pass over the paragraph and kept while
Python-Markdown replaces the citations it finds with placeholders; the text of a cluster is parsed
only once the look-ups say it is one. So a line of 20,000 "[" costs a few milliseconds, not minutes.
Keys are found in the text as Python-Markdown holds it (code spans and escapes stashed), so a key
inside a code span inside brackets is not a citation.
"""

from __future__ import annotations

import bisect
import json
import re
import xml.etree.ElementTree as etree

from markdown import inlinepatterns, util
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

NORMAL = "NormalCitation"
AUTHOR_IN_TEXT = "AuthorInText"
SUPPRESS_AUTHOR = "SuppressAuthor"

#: Metadata name (``md.Meta`` key, Pelican metadata) that carries the clusters.
META_KEY = "citation_clusters"
#: What the ``::: {#refs}`` block becomes; the plugin core puts the reference list there.
REFS_MARKER = "<!-- citations:references -->"

# pandoc's simpleCiteIdentifier: starts with a letter, digit or _; internal punctuation :.#$%&-+?<>~/
# only when followed by a letter/digit/_ (and ":" or "/" before another "/", for URLs).
_KEY = r"(?:\w(?:\w|[:.#$%&\-+?<>~/](?=\w)|[:/](?=/))*|\{[^\s{}]+\})"
# pandoc's notAfterString: the @ must not follow a word character (e-mail addresses stay text).
KEY_RE = re.compile(r"(?<![\w.\\])(?P<suppress>-?)@(?P<key>" + _KEY + ")")
_REFS_RE = re.compile(
    r"^ {0,3}:{3,}[ \t]*\{[ \t]*#refs[ \t]*\}[ \t]*\n(?:[ \t]*\n)*^ {0,3}:{3,}[ \t]*$", re.M
)
_ESCAPED_RE = re.compile(util.STX + r"([0-9]+)" + util.ETX)
_TAG_START_RE = re.compile(r"<[A-Za-z/!]")
_CLUSTER_ATTR_RE = re.compile(r'(<span class="citation" data-cites="[^"<>]*" data-cluster=")([0-9]+)"')


def _key(match: re.Match) -> str:
    key = match.group("key")
    return key[1:-1] if key.startswith("{") else key


def _split_top_level(text: str, sep: str = ";") -> list[str]:
    """`text` split at `sep` outside brackets and braces (``@{Ladyman;ea}`` is one key)."""
    parts, depth, current = [], 0, []
    for char in text:
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        if char == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _suffix(text: str) -> str:
    """pandoc's suffix: trimmed, with one leading space kept if there was any."""
    stripped = " ".join(text.split())
    if stripped and text[:1].isspace():
        return " " + stripped
    return stripped


def parse_cite_list(content: str) -> list[dict] | None:
    """The citations of a bracketed cluster's content (between "[" and "]"), or None if not one."""
    if content.startswith("^"):
        return None
    cites, pending_prefix = [], ""
    segments = _split_top_level(content)
    for number, segment in enumerate(segments):
        match = KEY_RE.search(segment)
        if match is None:
            if number == len(segments) - 1:
                return None  # pandoc: every part needs a key, or the brackets are just text
            pending_prefix += segment + ";"
            continue
        prefix = " ".join((pending_prefix + segment[: match.start()]).split())
        pending_prefix = ""
        cites.append(
            {
                "id": _key(match),
                "prefix": prefix,
                "suffix": _suffix(segment[match.end() :]),
                "mode": SUPPRESS_AUTHOR if match.group("suppress") else NORMAL,
            }
        )
    return cites or None


class _Document:
    """Per-document state (one per Markdown instance; cleared by ``md.reset()``)."""

    def __init__(self) -> None:
        self.clusters: list[dict] = []

    def reset(self) -> None:
        self.clusters = []


_BRACKETS_RE = re.compile(r"[\[\];{}]")
_NARRATIVE_KEY_RE = re.compile(r"(?<![\w.\\])-?@(?:" + _KEY + ")")
_LOCATOR_START_RE = re.compile(r"[ \t]*\n?[ \t]*\[")
_WORD_BEFORE = frozenset(" \t\n\r@[]")


class _Facts:
    """What the processors ask about one inline text, found in one pass (positions in `text`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.close: dict[int, int] = {}  # "[" → its "]"
        self.semi: dict[int, int] = {}  # "[" → its last top-level ";"
        stack: list[int] = []
        braces = 0  # a ";" inside braces (a braced key) is not a separator
        for match in _BRACKETS_RE.finditer(text):
            char, at = match.group(), match.start()
            if char == "[":
                stack.append(at)
                braces = 0
            elif char == "]":
                if stack:
                    self.close[stack.pop()] = at
                braces = 0
            elif char == "{":
                braces += 1
            elif char == "}":
                braces = max(0, braces - 1)
            elif stack and not braces:
                self.semi[stack[-1]] = at
        self.key_starts: list[int] = []
        self.key_ends: list[int] = []
        for match in KEY_RE.finditer(text):
            self.key_starts.append(match.start())
            self.key_ends.append(match.end())
        self.lt = [m.start() for m in re.finditer("<", text)]
        self.gt = [m.start() for m in re.finditer(">", text)]

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


class _CitationProcessor(_FactsCache, InlineProcessor):
    def __init__(self, pattern: str, md, doc: _Document) -> None:
        super().__init__(pattern, md)
        self.doc = doc

    def _raw(self, text: str) -> str:
        """Source text of a span of inline data: stashed code etc. back to text, escapes restored."""
        text = self.unescape(text)
        return _ESCAPED_RE.sub(lambda m: "\\" + chr(int(m.group(1))), text)

    def _cites(self, content: str) -> list[dict] | None:
        """parse_cite_list on inline data, with the affixes given back as their source text."""
        cites = parse_cite_list(content)
        for cite in cites or ():
            cite["prefix"] = " ".join(self._raw(cite["prefix"]).split())
            cite["suffix"] = _suffix(self._raw(cite["suffix"]))
        return cites

    def _placeholder(self, cites: list[dict], raw: str) -> etree.Element:
        number = len(self.doc.clusters)
        self.doc.clusters.append({"raw": raw, "cites": cites})
        span = etree.Element("span")
        span.set("class", "citation")
        span.set("data-cites", " ".join(c["id"] for c in cites))
        span.set("data-cluster", str(number))
        span.text = util.AtomicString(raw)
        return span


def _after_key(data: str, start: int) -> bool:
    """Whether `data[:start]` ends with a key and blanks ("@key [p. 33]" is a narrative citation).

    Walks back over the blanks and the word before `start` only, never further than a bracket,
    so the walks of all the brackets of a text add up to its length."""
    end = start
    while end > 0 and data[end - 1] in " \t\n\r":
        end -= 1
    begin = end
    while begin > 0 and data[begin - 1] not in _WORD_BEFORE:
        begin -= 1
    if begin == end or begin == 0 or data[begin - 1] != "@":
        return False
    return _NARRATIVE_KEY_RE.fullmatch(data, begin - 1, end) is not None


class BracketedCitationProcessor(_CitationProcessor):
    """``[prefix @key suffix; ...]`` and ``[-@key]``."""

    def handleMatch(self, m: re.Match, data: str):
        start = m.start(0)
        end = self.closing(data, start)
        if end is None or data[end + 1 : end + 2] == "(" or data[start + 1 : start + 2] == "^":
            return None, None, None
        # pandoc: every part needs a key, so the last top-level part must have one
        facts, shift = self.facts(data)
        last_part = facts.semi.get(start - shift, start - shift) + 1
        if not facts.has_key(last_part, end - shift):
            return None, None, None
        # "@key [p. 33]" is a narrative citation with a locator: the narrative processor takes it.
        if _after_key(data, start):
            return None, None, None
        cites = self._cites(data[start + 1 : end])
        if cites is None:
            return None, None, None
        self.matched(data, start, end + 1)
        return self._placeholder(cites, self._raw(data[start : end + 1])), start, end + 1


class NarrativeCitationProcessor(_CitationProcessor):
    """``@key``, ``-@key``, ``@key [locator]`` and ``@key [locator; @other]``."""

    def handleMatch(self, m: re.Match, data: str):
        start = m.start(0)
        facts, shift = self.facts(data)
        if facts.in_tag(start - shift):
            return None, None, None  # inside an HTML tag or an autolink
        first = {
            "id": _key(m),
            "prefix": "",
            "suffix": "",
            "mode": SUPPRESS_AUTHOR if m.group(1) else AUTHOR_IN_TEXT,
        }
        cites, end = [first], m.end(0)
        bracket = _LOCATOR_START_RE.match(data, end)
        if bracket:
            open_at = bracket.end() - 1
            close_at = self.closing(data, open_at)
            facts, shift = self.facts(data)
            semi = facts.semi.get(open_at - shift)
            if (
                close_at is not None
                and data[close_at + 1 : close_at + 2] not in ("[", "(")
                and data[open_at + 1 : open_at + 2] != "^"
                and (semi is None or facts.has_key(semi + 1, close_at - shift))
            ):
                content = data[open_at + 1 : close_at]
                parts = _split_top_level(content)
                head, rest = parts[0], ";".join(parts[1:])
                if KEY_RE.search(head):  # "@c [@d]", "@e [see @f]": more citations, as pandoc reads it
                    head, rest = "", content
                more = self._cites(rest) if rest else []
                if more is not None:
                    first["suffix"] = _suffix(self._raw(head))
                    cites += more
                    end = close_at + 1
        self.matched(data, start, end)
        return self._placeholder(cites, self._raw(data[start:end])), start, end


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


class RefsMarkerPreprocessor(Preprocessor):
    """``::: {#refs}`` / ``:::`` → a marker where the reference list goes."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "#refs" not in text:
            return lines
        text = _REFS_RE.sub(lambda _m: "\n" + self.md.htmlStash.store(REFS_MARKER) + "\n", text)
        return text.split("\n")


class ClustersPostprocessor(Postprocessor):
    """Hands the clusters to Pelican through ``md.Meta``."""

    def __init__(self, md, doc: _Document) -> None:
        super().__init__(md)
        self.doc = doc

    def run(self, text: str) -> str:
        if not self.doc.clusters:
            if isinstance(getattr(self.md, "Meta", None), dict):
                self.md.Meta.pop(META_KEY, None)  # from an earlier document of this Markdown instance
            return text
        # Number the clusters in document order (the processors met them pattern by pattern),
        # which is what numeric styles number by.
        order: dict[str, str] = {}
        for match in _CLUSTER_ATTR_RE.finditer(text):
            order.setdefault(match.group(2), str(len(order)))
        text = _CLUSTER_ATTR_RE.sub(lambda m: f'{m.group(1)}{order[m.group(2)]}"', text)
        clusters = [self.doc.clusters[int(old)] for old in order]
        if not isinstance(getattr(self.md, "Meta", None), dict):
            self.md.Meta = {}
        self.md.Meta[META_KEY] = [json.dumps(clusters, ensure_ascii=False)]
        return text


class CitationExtension(Extension):
    """Register with ``Markdown(extensions=[CitationExtension()])``; one instance may serve many
    Markdown instances (Pelican makes one per file): the per-document state lives with each one."""

    def extendMarkdown(self, md) -> None:
        doc = _Document()
        md.registerExtension(doc)  # md.reset() calls doc.reset()
        _linear_links(md)
        # After code spans (190) and escapes (180), before footnote refs (175), links (160), emphasis.
        md.inlinePatterns.register(BracketedCitationProcessor(r"\[", md, doc), "citation", 174)
        md.inlinePatterns.register(
            NarrativeCitationProcessor(KEY_RE.pattern, md, doc), "citation_narrative", 173
        )
        # After fenced code blocks (25) are stashed, so a marker in a code block stays text.
        md.preprocessors.register(RefsMarkerPreprocessor(md), "citation_refs", 24)
        md.postprocessors.register(ClustersPostprocessor(md, doc), "citation_clusters", 5)


def makeExtension(**kwargs):
    return CitationExtension(**kwargs)


def clusters_from_meta(value) -> list[dict]:
    """The clusters stored by :class:`ClustersPostprocessor`, from Pelican metadata."""
    if not value:
        return []
    if isinstance(value, list):
        value = value[0]
    return json.loads(value)
