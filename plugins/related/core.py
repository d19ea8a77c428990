"""Neighbours and related articles (pure Python: works on anything with date, tags and category).

- previous/next: in date order (previous = the older article, next = the newer one);
- related: the articles sharing the most tags, then the same category, then the newest; never the
  article itself, never one that shares nothing.
"""

from __future__ import annotations

import heapq


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


def related_all(articles: list, limit: int) -> dict[int, list]:
    """id(article) -> `related(article, articles, limit)` for every article, in about linear time.

    `related` compares each article with every other (quadratic: 156 s of a 5,000-article build).
    A site has few tags, so a tag's list holds a good part of the site, and counting shared tags
    over those lists is quadratic too (26 s at 10,000 articles). Here every tag and category is a
    set of article numbers: an article's candidates by number of shared tags come from a few set
    operations, and from each group only the best `limit` are picked (same category first, then the
    newest, then the earlier in the list: `related`'s order, ties included); the rest (same category,
    nothing shared) are the newest of its category.
    """
    if limit <= 0:
        return {id(a): [] for a in articles}
    count = len(articles)
    tags = [_tags(a) for a in articles]
    categories = [str(getattr(a, "category", "") or "") for a in articles]
    by_tag: dict[str, set[int]] = {}
    by_category: dict[str, set[int]] = {}
    for n in range(count):
        for tag in tags[n]:
            by_tag.setdefault(tag, set()).add(n)
        if categories[n]:
            by_category.setdefault(categories[n], set()).add(n)
    # rank: newest first, then list order (`related`'s stable sort of list-ordered candidates)
    order = sorted(range(count), key=lambda n: (articles[n].date, -n), reverse=True)
    rank = [0] * count
    for position, n in enumerate(order):
        rank[n] = position
    newest = {c: [n for n in order if n in members] for c, members in by_category.items()}

    def best(group: set[int], room: int) -> list[int]:
        return (
            sorted(group, key=rank.__getitem__)
            if len(group) <= room
            else heapq.nsmallest(room, group, key=rank.__getitem__)
        )

    out = {}
    for n, article in enumerate(articles):
        # levels[k]: the articles sharing exactly k + 1 of this one's tags so far
        levels: list[set[int]] = []
        for tag in tags[n]:
            members = by_tag[tag]
            if not levels:
                levels = [set(members)]
                continue
            seen = set().union(*levels)
            levels = [
                (levels[0] - members) | (members - seen),
                *((levels[k] - members) | (levels[k - 1] & members) for k in range(1, len(levels))),
                levels[-1] & members,
            ]
        picked: list[int] = []
        mine = by_category.get(categories[n], set())
        for group in reversed(levels):
            group.discard(n)
            for part in (group & mine, group - mine):  # the same category first
                if len(picked) < limit and part:
                    picked += best(part, limit - len(picked))
            if len(picked) >= limit:
                break
        if len(picked) < limit and categories[n]:
            taken = set(picked)
            for other in newest[categories[n]]:
                if len(picked) == limit:
                    break
                if other != n and other not in taken:
                    picked.append(other)
        out[id(article)] = [articles[k] for k in picked]
    return out
