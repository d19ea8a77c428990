"""Structured data (schema.org JSON-LD): MedicalWebPage for clinical pages, BlogPosting for articles.

Pure Python: the glue hands over plain facts, :func:`build` returns the dict, and the Jinja filter
:func:`script_json` serialises it for ``<script type="application/ld+json">`` so that no text from
content (a title containing ``</script>``, say) can end the script element early.
"""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass, field

from markupsafe import Markup

from .people import Person
from .review import Review

PATIENT = "https://schema.org/Patient"


@dataclass(frozen=True)
class PageFacts:
    """What the structured data says about one article or page (all text plain, URLs absolute)."""

    kind: str  # "article" or "page"
    url: str
    title: str
    description: str
    language: str
    review: Review
    about: str = ""  # the category, else the title
    date_published: str = ""  # ISO 8601
    date_modified: str = ""
    fallback_author: str = ""  # the site's default AUTHOR when the article names no person
    citations: list[dict] = field(default_factory=list)


def page_facts(content, settings: dict, kind: str) -> PageFacts:
    """The facts of a Pelican article or page (`kind`: "article" or "page") that has a review."""
    info = content.review
    category = getattr(content, "category", None)
    is_article = kind == "article"
    return PageFacts(
        kind=kind,
        url=absolute(settings.get("SITEURL", ""), content.url),
        title=plain(content.title),
        description=plain(getattr(content, "summary", "") or ""),
        language=settings.get("DEFAULT_LANG", "en"),
        review=info,
        about=str(category) if category else "",
        date_published=content.date.isoformat() if is_article else "",
        date_modified=content.modified.isoformat() if is_article and hasattr(content, "modified") else "",
        fallback_author=str(content.author) if not info.authors and hasattr(content, "author") else "",
        citations=list(getattr(content, "citations", None) or ()),
    )


def plain(html: str) -> str:
    """Text without tags or runs of white space (JSON-LD values are plain text)."""
    return " ".join(Markup(str(html)).striptags().split())


def absolute(siteurl: str, path: str) -> str:
    return f"{siteurl.rstrip('/')}/{path.lstrip('/')}"


# Pages share the nodes of the same person, clinic and cited work (read-only): each page's own copies
# were ≈6 MiB of a 1,000-article build's peak memory (every page's JSON-LD is kept until the end).


def _shared(make):
    """`make(*args)`, memoised where the arguments are hashable (one node object for equal arguments)."""
    cached = functools.lru_cache(maxsize=4096)(make)

    @functools.wraps(make)
    def node(*args):
        try:
            return cached(*args)
        except TypeError:  # an unhashable value (a list in unusual data): a node of its own
            return make(*args)

    return node


@_shared
def person_node(person: Person, siteurl: str) -> dict:
    node = {
        "@type": "Person",
        "name": person.name,
        "jobTitle": person.role,
        "url": absolute(siteurl, person.url),
    }
    if person.credentials:
        node["honorificSuffix"] = ", ".join(person.credentials)
        node["hasCredential"] = [
            {"@type": "EducationalOccupationalCredential", "credentialCategory": "Professional membership",
             "name": credential}
            for credential in person.credentials
        ]  # fmt: skip
    if person.registration:
        node.setdefault("hasCredential", []).append(
            {
                "@type": "EducationalOccupationalCredential",
                "credentialCategory": "Professional registration",
                "recognizedBy": {"@type": "Organization", "name": person.registration.body},
                "identifier": person.registration.number,
            }
        )
    if person.bio:
        node["description"] = person.bio
    return node


_LAST_CLINIC: list = []  # [(clinic copy, siteurl, node)]: the one clinic of a build, its node made once


def clinic_node(clinic: dict, siteurl: str) -> dict:
    if _LAST_CLINIC and _LAST_CLINIC[0][:2] == (clinic, siteurl):
        return _LAST_CLINIC[0][2]
    node = _clinic_node(clinic, siteurl)
    _LAST_CLINIC[:] = [(copy.deepcopy(clinic), siteurl, node)]
    return node


def _clinic_node(clinic: dict, siteurl: str) -> dict:
    node = {"@type": "MedicalClinic", "name": clinic.get("name", ""), "url": absolute(siteurl, "")}
    phone = clinic.get("phone_tel", "")
    if phone.startswith("tel:"):
        node["telephone"] = phone[len("tel:") :]
    if clinic.get("street"):
        node["address"] = {
            "@type": "PostalAddress",
            "streetAddress": clinic.get("street", ""),
            "addressLocality": clinic.get("locality", ""),
            "postalCode": clinic.get("postcode", ""),
            "addressCountry": clinic.get("country", ""),
        }
    return node


def citation_node(citation: dict) -> dict:
    """A cited work from the citations plugin's record (key, title, doi, pmid, url; `text` is not needed)."""
    values = (citation.get("title"), citation.get("doi"), citation.get("pmid"), citation.get("url"))
    return _citation_node(*((type(value), value) for value in values))  # 1 == 1.0, but not in JSON


@_shared
def _citation_node(*typed) -> dict:
    title, doi, pmid, url = (value for _, value in typed)
    node: dict = {"@type": "ScholarlyArticle"}
    if title:
        node["name"] = title
    identifiers = []
    if doi:
        node["sameAs"] = f"https://doi.org/{doi}"
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": doi})
    if pmid:
        identifiers.append({"@type": "PropertyValue", "propertyID": "PMID", "value": str(pmid)})
    if identifiers:
        node["identifier"] = identifiers
    if url:
        node["url"] = url
    return node


def build(facts: PageFacts, clinic: dict, siteurl: str) -> dict | None:
    """The JSON-LD document for one page, or None when there is nothing to say."""
    review = facts.review
    graph = []
    publisher = clinic_node(clinic, siteurl)
    authors = [person_node(p, siteurl) for p in review.authors]
    if not authors and facts.fallback_author:
        authors = [{"@type": "Organization", "name": facts.fallback_author}]
    if review.is_clinical:
        page = {
            "@type": "MedicalWebPage",
            "@id": f"{facts.url}#webpage",
            "url": facts.url,
            "name": facts.title,
            "description": facts.description,
            "inLanguage": facts.language,
            "about": {"@type": "Thing", "name": facts.about or facts.title},
            "audience": PATIENT,
            "publisher": publisher,
        }
        if review.reviewed:
            page["lastReviewed"] = review.reviewed.iso
        if review.reviewer:
            page["reviewedBy"] = person_node(review.reviewer, siteurl)
        if facts.kind == "page" and authors:
            page["author"] = authors
        citations = [citation_node(c) for c in facts.citations or ()]
        if citations:
            page["citation"] = citations
        graph.append(page)
    if facts.kind == "article":
        posting = {
            "@type": "BlogPosting",
            "@id": f"{facts.url}#article",
            "url": facts.url,
            "headline": facts.title,
            "description": facts.description,
            "inLanguage": facts.language,
            "datePublished": facts.date_published,
            "dateModified": facts.date_modified or facts.date_published,
            "author": authors,
            "publisher": publisher,
            "mainEntityOfPage": {"@id": f"{facts.url}#webpage"} if review.is_clinical else facts.url,
        }
        graph.append(posting)
    if not graph:
        return None
    return {"@context": "https://schema.org", "@graph": graph}


_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data) -> Markup:
    """Jinja filter `jsonld`: JSON that is safe between <script> tags (no '<', '>', '&' left)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escape)
    return Markup(text)
