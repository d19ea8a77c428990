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
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as etree

from markdown import util
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


def _matching_bracket(data: str, start: int) -> int | None:
    """Index of the "]" closing the "[" at `start` (nested brackets allowed), or None."""
    depth = 0
    for i in range(start, len(data)):
        char = data[i]
        if char == "\\":
            continue
        if char == "[" and (i == 0 or data[i - 1] != "\\"):
            depth += 1
        elif char == "]" and (i == 0 or data[i - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return i
    return None


def _split_top_level(text: str, sep: str = ";") -> list[str]:
    parts, depth, current = [], 0, []
    for char in text:
        if char == "[":
            depth += 1
        elif char == "]":
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


class _CitationProcessor(InlineProcessor):
    def __init__(self, pattern: str, md, doc: _Document) -> None:
        super().__init__(pattern, md)
        self.doc = doc

    def _raw(self, text: str) -> str:
        """Source text of a span of inline data: stashed code etc. back to text, escapes restored."""
        text = self.unescape(text)
        return _ESCAPED_RE.sub(lambda m: "\\" + chr(int(m.group(1))), text)

    def _placeholder(self, cites: list[dict], raw: str) -> etree.Element:
        number = len(self.doc.clusters)
        self.doc.clusters.append({"raw": raw, "cites": cites})
        span = etree.Element("span")
        span.set("class", "citation")
        span.set("data-cites", " ".join(c["id"] for c in cites))
        span.set("data-cluster", str(number))
        span.text = util.AtomicString(raw)
        return span


class BracketedCitationProcessor(_CitationProcessor):
    """``[prefix @key suffix; ...]`` and ``[-@key]``."""

    def handleMatch(self, m: re.Match, data: str):
        start = m.start(0)
        end = _matching_bracket(data, start)
        if end is None or data[end + 1 : end + 2] == "(":
            return None, None, None
        # "@key [p. 33]" is a narrative citation with a locator: the narrative processor takes it.
        before = data[:start].rstrip()
        if re.search(r"(?<![\w.\\])-?@" + _KEY + r"$", before):
            return None, None, None
        cites = parse_cite_list(self._raw(data[start + 1 : end]))
        if cites is None:
            return None, None, None
        return self._placeholder(cites, self._raw(data[start : end + 1])), start, end + 1


class NarrativeCitationProcessor(_CitationProcessor):
    """``@key``, ``-@key``, ``@key [locator]`` and ``@key [locator; @other]``."""

    def handleMatch(self, m: re.Match, data: str):
        start = m.start(0)
        last_lt = data.rfind("<", 0, start)
        if last_lt > data.rfind(">", 0, start) and _TAG_START_RE.match(data, last_lt):
            return None, None, None  # inside an HTML tag or an autolink
        first = {
            "id": _key(m),
            "prefix": "",
            "suffix": "",
            "mode": SUPPRESS_AUTHOR if m.group(1) else AUTHOR_IN_TEXT,
        }
        cites, end = [first], m.end(0)
        bracket = re.compile(r"[ \t]*\n?[ \t]*\[").match(data, end)
        if bracket:
            open_at = bracket.end() - 1
            close_at = _matching_bracket(data, open_at)
            if close_at is not None and data[close_at + 1 : close_at + 2] not in ("[", "("):
                content = self._raw(data[open_at + 1 : close_at])
                head, _, rest = content.partition(";")
                if KEY_RE.search(head):  # "@c [@d]", "@e [see @f]": more citations, as pandoc reads it
                    head, rest = "", content
                more = parse_cite_list(rest) if rest else []
                if not content.startswith("^") and more is not None:
                    first["suffix"] = _suffix(head)
                    cites += more
                    end = close_at + 1
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
