"""The final HTML of citations and the reference list (pure string work on pandoc's escaped HTML).

* Each in-text link ``<a href="#ref-KEY">`` gets a unique id (``cite-KEY-1``, ``cite-KEY-2`` … per
  key), an ``aria-describedby`` preview holding the full reference (shown by CSS on :hover and
  :focus-within; see the theme's site.css), and each cluster an id (``citation-N``).
* The reference list::

      <section class="references" aria-labelledby="references-title">
        <h2 id="references-title">References</h2>
        <div id="refs" class="references csl-bib-body" role="list">
          <div id="ref-KEY" class="csl-entry" role="listitem">… PubMed/DOI links … ↩ 1, 2</div>

  with PubMed and DOI links the style did not print, and backlinks to every place the entry is
  cited (the link itself, or the whole cluster when a numeric range like [1–3] has no link for it).
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

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


def _extra_links(entry_html: str, item: dict) -> str:
    """PubMed and DOI links, unless the style already printed them."""
    shown = html.unescape(entry_html).lower()
    links = []
    pmid = str(item.get("PMID") or "").strip()
    if pmid and pmid.lower() not in shown:
        href = f"https://pubmed.ncbi.nlm.nih.gov/{quote(pmid, safe='')}/"
        links.append(f'<a href="{html.escape(href)}">PubMed: {html.escape(pmid)}</a>')
    doi = str(item.get("DOI") or "").strip()
    if doi and doi.lower() not in shown:
        href = "https://doi.org/" + quote(doi, safe="/:;()._-<>[]")
        links.append(f'<a href="{html.escape(href)}">{html.escape(href)}</a>')
    if not links:
        return ""
    return ' <span class="citation-links">' + " ".join(links) + "</span>"


def _backlinks(targets: list[str]) -> str:
    links = ", ".join(
        f'<a href="#{html.escape(target)}" aria-label="Back to citation {n}">{n}</a>'
        for n, target in enumerate(targets, 1)
    )
    return f' <span class="citation-backlinks"><span aria-hidden="true">↩</span> {links}</span>'


def _insert_before_last_div_end(entry_html: str, extra: str) -> str:
    """Numeric styles: keep additions inside ``csl-right-inline``."""
    if "csl-right-inline" in entry_html and entry_html.endswith("</div>"):
        return entry_html[: -len("</div>")] + extra + "</div>"
    return entry_html + extra


def citation_ref(cite_id: str, key: str, link_html: str, preview: str) -> str:
    """One in-text citation link with its preview: the markup of the theme's component
    ``components/citation.html`` (which a Pelican build uses instead: see ``citations/__init__.py``)."""
    cite_id, key = html.escape(cite_id), html.escape(key)
    return (
        f'<span class="citation-ref"><a id="{cite_id}" href="#ref-{key}" '
        f'role="doc-biblioref" aria-describedby="{cite_id}-preview">{link_html}</a>'
        f'<span class="citation-preview" id="{cite_id}-preview" role="tooltip" data-pagefind-ignore>'
        f"{preview}</span></span>"
    )


def render(
    content: str,
    clusters: list[dict],
    formatted_clusters: list[str],
    entries: list[tuple[str, str]],
    items: dict[str, dict],
    title: str = "References",
    cite_markup: Callable[[str, str, str, str], str] = citation_ref,
) -> Rendered:
    """Replace the placeholders in `content` and place the reference list.

    `clusters`: the syntax's clusters; `formatted_clusters`/`entries`: the engine's output;
    `items`: CSL items of the known keys (unknown keys are rendered unlinked); `cite_markup`: the
    markup of one citation and its preview, `cite_markup(cite_id, key, link_html, preview_html)`
    (trusted HTML in, trusted HTML out).
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
            return cite_markup(targets[key][-1], key, inner, previews[key])

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

    content = PLACEHOLDER_RE.sub(replace, content)
    if not entries:
        return Rendered(content.replace(REFS_MARKER, ""), [])

    rows, citations = [], []
    for key, inner in entries:
        item = items.get(key, {})
        full = _insert_before_last_div_end(inner, _extra_links(inner, item))
        rows.append(
            f'<div id="ref-{html.escape(key)}" class="csl-entry" role="listitem">'
            f"{_insert_before_last_div_end(full, _backlinks(targets[key]) if targets[key] else '')}</div>"
        )
        citations.append(
            {
                "key": key,
                "html": full,
                "text": plain_text(inner),
                "doi": item.get("DOI"),
                "pmid": item.get("PMID"),
                "url": item.get("URL"),
                "title": plain_text(str(item.get("title") or "")),
                "type": item.get("type"),
            }
        )
    section = (
        '<section class="references" aria-labelledby="references-title" data-pagefind-ignore>\n'
        f'<h2 id="references-title">{html.escape(title)}</h2>\n'
        '<div id="refs" class="references csl-bib-body" role="list">\n'
        + "\n".join(rows)
        + "\n</div>\n</section>"
    )
    if REFS_MARKER in content:
        content = content.replace(REFS_MARKER, section, 1).replace(REFS_MARKER, "")
    else:
        content = content.rstrip("\n") + "\n" + section + "\n"
    return Rendered(content, citations)


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
