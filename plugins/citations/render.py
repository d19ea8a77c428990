"""The final HTML of citations and the reference list: the data for the theme's components.

* Each in-text link ``<a href="#ref-KEY">`` of pandoc's output becomes the theme's ``citation``
  component (theme/templates/components/citation/): a unique id (``cite-KEY-1``, ``cite-KEY-2`` …
  per key) and a preview of the full reference; each cluster gets an id (``citation-N``).
* The reference list is the theme's ``references`` component (components/references/), fed with
  each entry as the style formatted it, the PubMed and DOI links the style did not print, and the
  places the entry is cited (the link itself, or the whole cluster when a numeric range like [1–3]
  has no link for it).

Pure string work on pandoc's escaped HTML; the markup is the templates' (:class:`Templates`).
"""

from __future__ import annotations

import bisect
import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from markupsafe import Markup

from .syntax import REFS_MARKER

PLACEHOLDER_RE = re.compile(
    r'<span class="citation" data-cites="[^"<>]*" data-cluster="([0-9]+)">[^<]*</span>'
)
_LINK_RE = re.compile(r'<a href="#ref-([^"]*)" role="doc-biblioref">(.*?)</a>', re.S)
_TAG_RE = re.compile(r"<[^>]+>")
_ANCHOR_TAG_RE = re.compile(r"</?a\b[^>]*>")
_A_OPEN_RE = re.compile(r"<a\b")
_A_CLOSE_RE = re.compile(r"</a>")
_PREVIEW_START = '<span class="citation-preview"'
_LOCAL_HREF_RE = re.compile(r'href="#((?:ref|cite|citation)-[^"]*)"')


@dataclass
class Rendered:
    content: str
    citations: list[dict] = field(default_factory=list)  # for templates and JSON-LD


def plain_text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG_RE.sub("", fragment)).split())


def preview_html(entry_html: str) -> str:
    """An entry as phrasing content without links (it sits inside a span, next to a link)."""
    text = _ANCHOR_TAG_RE.sub("", entry_html)
    return text.replace("<div ", "<span ").replace("<div>", "<span>").replace("</div>", "</span>")


def _links(entry_html: str, item: dict) -> dict:
    """PubMed and DOI links, unless the style already printed them (the component shows them)."""
    shown = html.unescape(entry_html).lower()
    pmid = str(item.get("PMID") or "").strip()
    doi = str(item.get("DOI") or "").strip()
    pmid = pmid if pmid and pmid.lower() not in shown else None
    doi = doi if doi and doi.lower() not in shown else None
    return {
        "pmid": pmid,
        "pubmed_url": f"https://pubmed.ncbi.nlm.nih.gov/{quote(pmid, safe='')}/" if pmid else None,
        "doi_url": "https://doi.org/" + quote(doi, safe="/:;()._-<>[]") if doi else None,
    }


@dataclass(frozen=True)
class Templates:
    """The theme's markup for what this module places (trusted HTML in, trusted HTML out):
    ``cite(cite_id, key, link_html, preview_html)``: one in-text citation and its preview;
    ``references(title, entries)``: the reference list (entries: see :func:`render`)."""

    cite: Callable[[str, str, str, str], str]
    references: Callable[[str, list[dict]], str]
    version: str = ""  # a digest of the components' source (a key for keeping renderings); "": keep none


#: The theme's components (theme/templates/components/<name>/<name>.html, macro <name>).
CITATION_COMPONENT = "components/citation/citation.html"
REFERENCES_COMPONENT = "components/references/references.html"


def theme_templates(env) -> Templates:
    """The components of the theme a Jinja environment `env` loads."""
    cite = env.get_template(CITATION_COMPONENT).module.citation
    references = env.get_template(REFERENCES_COMPONENT).module.references

    def one(cite_id: str, key: str, link_html: str, preview: str) -> str:
        return str(cite(cite_id, key, Markup(link_html), Markup(preview)))

    sources = [env.loader.get_source(env, name)[0] for name in (CITATION_COMPONENT, REFERENCES_COMPONENT)]
    version = hashlib.sha256("\0".join([*sources, repr(env.autoescape)]).encode()).hexdigest()[:16]
    return Templates(one, lambda title, entries: str(references(title, entries)), version)


@dataclass
class Pieces:
    """What :func:`render` puts into a page: the HTML of each placeholder, in order, the reference
    list (None: no entries) and the citations; :func:`place` puts them in. (Kept between builds:
    far smaller than the page.)"""

    placeholders: list[str]
    references: str | None
    citations: list[dict]


def render(
    content: str,
    clusters: list[dict],
    formatted_clusters: list[str],
    entries: list[tuple[str, str]],
    items: dict[str, dict],
    title: str,
    templates: Templates,
) -> Rendered:
    """Replace the placeholders in `content` and place the reference list (see :func:`pieces`)."""
    made = pieces(content, clusters, formatted_clusters, entries, items, title, templates)
    return Rendered(place(content, made), made.citations)


def place(content: str, made: Pieces) -> str:
    """`content` with the placeholders and the reference list of :func:`pieces` put in."""
    placeholders = iter(made.placeholders)
    content = PLACEHOLDER_RE.sub(lambda match: next(placeholders), content)
    if made.references is None:
        return content.replace(REFS_MARKER, "")
    if REFS_MARKER in content:
        return content.replace(REFS_MARKER, made.references, 1).replace(REFS_MARKER, "")
    return content.rstrip("\n") + "\n" + made.references + "\n"


def pieces(
    content: str,
    clusters: list[dict],
    formatted_clusters: list[str],
    entries: list[tuple[str, str]],
    items: dict[str, dict],
    title: str,
    templates: Templates,
) -> Pieces:
    """The HTML of each placeholder in `content` and the reference list.

    `clusters`: the syntax's clusters; `formatted_clusters`/`entries`: the engine's output;
    `items`: CSL items of the known keys (unknown keys are rendered unlinked); `templates`: the
    theme's markup. Each reference-list entry goes to ``templates.references`` as ``key``, ``html``
    (the style's entry, Markup), ``pmid``/``pubmed_url``/``doi_url`` (links the style did not print,
    or None) and ``backlinks`` (the ids of the places citing it).
    """
    entry_html = dict(entries)
    previews = {key: preview_html(value) for key, value in entry_html.items()}
    targets: dict[str, list[str]] = {key: [] for key in entry_html}

    # A citation inside a link's text gets no link of its own (HTML has no nested <a>; pandoc too
    # writes <span> there).
    opens = [m.start() for m in _A_OPEN_RE.finditer(content)]
    closes = [m.start() for m in _A_CLOSE_RE.finditer(content)]

    def in_link(at: int) -> bool:
        i, j = bisect.bisect_left(opens, at), bisect.bisect_left(closes, at)
        return (opens[i - 1] if i else -1) > (closes[j - 1] if j else -1)

    def cluster_html(number: int, inside_link: bool = False) -> str:
        formatted = formatted_clusters[number]
        cluster_id = f"citation-{number + 1}"
        linked = set()

        def link(match: re.Match) -> str:
            key, inner = html.unescape(match.group(1)), match.group(2)
            if key not in entry_html:
                return inner  # unknown key: pandoc's "(key?)" without a dangling link
            if inside_link:
                return f"<span>{inner}</span>"
            linked.add(key)
            targets[key].append(f"cite-{key}-{len(targets[key]) + 1}")
            return templates.cite(targets[key][-1], key, inner, previews[key])

        body = _LINK_RE.sub(link, formatted)
        for cite in clusters[number]["cites"]:
            if cite["id"] in entry_html and cite["id"] not in linked:
                linked.add(cite["id"])
                targets[cite["id"]].append(cluster_id)
        return body.replace('<span class="citation" ', f'<span id="{cluster_id}" class="citation" ', 1)

    def replace(match: re.Match) -> str:
        number = int(match.group(1))
        if number >= len(formatted_clusters):
            return match.group(0)
        return cluster_html(number, in_link(match.start()))

    placeholders = [replace(match) for match in PLACEHOLDER_RE.finditer(content)]
    if not entries:
        return Pieces(placeholders, None, [])

    rows, citations = [], []
    for key, inner in entries:
        item = items.get(key, {})
        rows.append({"key": key, "html": Markup(inner), **_links(inner, item), "backlinks": targets[key]})
        citations.append(_citation(key, inner, item))
    return Pieces(placeholders, templates.references(title, rows), citations)


#: One record per distinct cited entry, shared by every page citing it (a 1,000-article site cites the
#: same few hundred entries 14,000 times: separate copies were ≈9 MiB of the build's peak). Emptied by
#: :func:`forget_shared` after each batch; the pages keep the records they were given.
_SHARED: dict[tuple, dict] = {}
_FIELDS = ("DOI", "PMID", "URL", "title", "type")


def _citation(key: str, inner: str, item: dict) -> dict:
    """The record of one reference-list entry for templates and JSON-LD (treat as read-only: shared)."""
    values = [item.get(name) for name in _FIELDS]
    try:  # the value's type too: 1 and 1.0 are equal keys but serialise differently
        memo = (key, inner, *((type(value), value) for value in values))
        record = _SHARED.get(memo)
    except TypeError:  # a list or dict in the item (unusual CSL-JSON): not shared
        memo, record = None, None
    if record is None:
        doi, pmid, url, title, kind = values
        record = {
            "key": key,
            "html": inner,
            "text": plain_text(inner),
            "doi": doi,
            "pmid": pmid,
            "url": url,
            "title": plain_text(str(title or "")),
            "type": kind,
        }
        if memo is not None:
            _SHARED[memo] = record
    return record


def forget_shared() -> None:
    """Drop the table of shared records (the pages keep theirs)."""
    _SHARED.clear()


def strip_previews(fragment: str) -> str:
    """Remove the hover previews (for feeds: no CSS there, so they would show inline)."""
    out, at = [], 0
    while (start := fragment.find(_PREVIEW_START, at)) != -1:
        out.append(fragment[at:start])
        depth, pos = 0, start
        for tag in re.finditer(r"<(/?)span\b[^>]*>", fragment[start:]):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                pos = start + tag.end()
                break
        else:
            pos = len(fragment)
        at = pos
    out.append(fragment[at:])
    return "".join(out)


def absolutise_fragments(fragment: str, page_url: str) -> str:
    """``href="#ref-…"`` → ``href="PAGE#ref-…"`` (and ``#cite-…``, ``#citation-…``)."""
    base = html.escape(page_url.split("#", 1)[0])
    return _LOCAL_HREF_RE.sub(lambda m: f'href="{base}#{m.group(1)}"', fragment)
