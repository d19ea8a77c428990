"""What the plugins' Pelican glue needs alike. Not a plugin (nothing to register): a module
the glue imports, so every plugin walks the same content objects the same way.
"""

from __future__ import annotations

#: Every list of content objects Pelican's article and page generators keep (4.12), so that a
#: plugin sees drafts, hidden pages and translations too, not only published articles.
CONTENT_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
)


def all_contents(generators) -> list:
    """Each content object of `generators` once, in generator and list order."""
    seen: set[int] = set()
    out = []
    for generator in generators:
        for name in CONTENT_LISTS:
            for obj in getattr(generator, name, None) or ():
                if id(obj) not in seen:
                    seen.add(id(obj))
                    out.append(obj)
    return out


def forget_memoized(obj, names=("get_content", "get_summary")) -> None:
    """Pelican memoises get_content/get_summary per object: drop what was computed from old HTML
    after a plugin rewrote `obj._content` (or its summary)."""
    for name in names:
        cache = getattr(getattr(type(obj), name, None), "cache", None)
        if isinstance(cache, dict):
            for key in [k for k in cache if k and k[0] is obj]:
                del cache[key]
