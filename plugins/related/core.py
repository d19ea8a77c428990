"""Neighbours and related articles (pure Python: works on anything with date, tags and category).

- previous/next: in date order (previous = the older article, next = the newer one);
- related: the articles sharing the most tags, then the same category, then the newest; never the
  article itself, never one that shares nothing.
"""

from __future__ import annotations

DEFAULTS = {"RELATED_MAX_ARTICLES": 3}  # how many related articles an article lists (0: none)


def neighbours(articles: list) -> dict[int, tuple[object | None, object | None]]:
    """id(article) -> (previous/older, next/newer), for articles in any order."""
    ordered = sorted(articles, key=lambda a: (a.date, a.source_path or ""))
    out = {}
    for index, article in enumerate(ordered):
        older = ordered[index - 1] if index > 0 else None
        newer = ordered[index + 1] if index + 1 < len(ordered) else None
        out[id(article)] = (older, newer)
    return out


def _tags(article) -> set[str]:
    return {str(t).casefold() for t in getattr(article, "tags", None) or []}


def related(article, articles: list, limit: int) -> list:
    """Up to `limit` articles sharing tags or the category with `article`, best first."""
    if limit <= 0:
        return []
    mine, category = _tags(article), str(getattr(article, "category", "") or "")
    scored = []
    for other in articles:
        if other is article:
            continue
        shared = len(mine & _tags(other))
        same = bool(category) and str(getattr(other, "category", "") or "") == category
        if shared or same:
            scored.append(((shared, same, other.date), other))
    scored.sort(key=lambda item: item[0], reverse=True)
    return [other for _, other in scored[:limit]]
