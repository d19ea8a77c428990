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

from markdown import util
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from .brackets import _KEY, KEY_RE, _FactsCache, _linear_links

NORMAL = "NormalCitation"
AUTHOR_IN_TEXT = "AuthorInText"
SUPPRESS_AUTHOR = "SuppressAuthor"

#: Metadata name (``md.Meta`` key, Pelican metadata) that carries the clusters.
META_KEY = "citation_clusters"
#: Metadata name for pandoc citation syntax Python-Markdown cannot express: [{"raw", "message"}]
#: (the plugin reports each as an error at its line, never leaves it as text on the page).
UNSUPPORTED_KEY = "citation_unsupported"
INLINE_NOTE = (
    "a citation in an inline footnote ^[...]: Python-Markdown has no inline footnotes; write a "
    "footnote reference [^1] here and the note on its own line below the paragraph ([^1]: ...)"
)
SPAN_ATTRIBUTES = (
    "a citation followed by {...} attributes: pandoc reads '[@key]{.class}' as a span around the "
    "citation, which Python-Markdown cannot express; remove the {...}"
)
#: What the ``::: {#refs}`` block becomes; the plugin core puts the reference list there.
REFS_MARKER = "<!-- citations:references -->"

_REFS_RE = re.compile(
    r"^ {0,3}:{3,}[ \t]*\{[ \t]*#refs[ \t]*\}[ \t]*\n(?:[ \t]*\n)*^ {0,3}:{3,}[ \t]*$", re.M
)
_FOOTNOTE_REF_RE = re.compile(r'<sup id="fnref\d*([:-][^"]+)"')
_FOOTNOTE_RE = re.compile(r'<li id="fn([:-][^"]+)"')
_ESCAPED_RE = re.compile(util.STX + r"([0-9]+)" + util.ETX)
_CLUSTER_ATTR_RE = re.compile(r'(<span class="citation" data-cites="[^"<>]*" data-cluster=")([0-9]+)"')


def _key(match: re.Match) -> str:
    key = match.group("key")
    return key[1:-1] if key.startswith("{") else key


def _split_top_level(text: str, sep: str = ";") -> list[str]:
    """`text` split at `sep` outside brackets, braces (``@{Ladyman;ea}`` is one key) and *emphasis*."""
    parts, depth, current, emphasis, previous = [], 0, [], False, ""
    for char in text:
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "*" and previous != "*":
            emphasis = not emphasis
        previous = char
        if char == sep and depth == 0 and not emphasis:
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
        self.unsupported: list[dict] = []

    def reset(self) -> None:
        self.clusters = []
        self.unsupported = []


_NARRATIVE_KEY_RE = re.compile(r"(?<![\w.\\])-?@(?:" + _KEY + ")")
_LOCATOR_START_RE = re.compile(r"[ \t]*\n?[ \t]*\[")
_WORD_BEFORE = frozenset(" \t\n\r@[]")


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

    def _unsupported(self, raw: str, message: str) -> None:
        self.doc.unsupported.append({"raw": self._raw(raw), "message": message})

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
        # "[see [@a; @b]]": a "[" before the first key means these brackets are text around a cluster
        first = facts.first_key(start - shift)
        if first is not None and facts.opens_between(start - shift + 1, first):
            return None, None, None
        # "@key [p. 33]" is a narrative citation with a locator: the narrative processor takes it.
        if _after_key(data, start):
            return None, None, None
        if data[start - 1 : start] == "^":
            self._unsupported(data[start - 1 : end + 1], INLINE_NOTE)
            return None, None, None
        cites = self._cites(data[start + 1 : end])
        if cites is None:
            return None, None, None
        if data[end + 1 : end + 2] == "{":
            self._unsupported(data[start : data.find("}", end) + 1 or end + 2], SPAN_ATTRIBUTES)
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
        if not isinstance(getattr(self.md, "Meta", None), dict):
            self.md.Meta = {}
        self.md.Meta.pop(UNSUPPORTED_KEY, None)  # from an earlier document of this Markdown instance
        if self.doc.unsupported:
            self.md.Meta[UNSUPPORTED_KEY] = [json.dumps(self.doc.unsupported, ensure_ascii=False)]
        if not self.doc.clusters:
            self.md.Meta.pop(META_KEY, None)
            return text
        # Number the clusters in document order (the processors met them pattern by pattern),
        # which is what numeric styles number by; as in pandoc, a footnote's citations come where
        # its reference is in the text, not at the end where Python-Markdown puts the notes.
        notes_at = text.find('<div class="footnote">')
        refs = {m.group(1): m.start() for m in _FOOTNOTE_REF_RE.finditer(text)}
        notes = [(m.start(), m.group(1)) for m in _FOOTNOTE_RE.finditer(text)] if notes_at >= 0 else []
        starts = [start for start, _ in notes]
        found = []
        for match in _CLUSTER_ATTR_RE.finditer(text):
            at = match.start()
            i = bisect.bisect_left(starts, at)
            note = notes[i - 1][1] if i else None
            where = (refs[note], 1, at) if notes_at >= 0 and at > notes_at and note in refs else (at, 0, at)
            found.append((where, match.group(2)))
        order: dict[str, str] = {}
        for _, old in sorted(found):
            order.setdefault(old, str(len(order)))
        text = _CLUSTER_ATTR_RE.sub(lambda m: f'{m.group(1)}{order[m.group(2)]}"', text)
        clusters = [self.doc.clusters[int(old)] for old in order]
        self.md.Meta[META_KEY] = [json.dumps(clusters, ensure_ascii=False)]
        return text


class CitationExtension(Extension):
    """Register with ``Markdown(extensions=[CitationExtension()])``; one instance may serve many
    Markdown instances (Pelican makes one per file): the per-document state lives with each one."""

    def extendMarkdown(self, md) -> None:
        doc = _Document()
        md.registerExtension(doc)  # md.reset() calls doc.reset()
        if "@" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("@")  # pandoc: "\@key" is the text "@key", not a citation
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
    """The clusters (or, from UNSUPPORTED_KEY, the unsupported constructs) stored by
    :class:`ClustersPostprocessor`, from Pelican metadata."""
    if not value:
        return []
    if isinstance(value, list):
        value = value[0]
    return json.loads(value)
