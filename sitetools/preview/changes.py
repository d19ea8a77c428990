"""What an edit changed: each receiver's declared scope, an object's place in the site's lists, and
whether two values render alike."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys

SCOPES = ("object", "site", "structure")
#: Attributes a content object's place in the site's lists depends on (any change: render everything).
STRUCTURAL = (
    "status", "date", "category", "tags", "authors", "author", "slug", "save_as", "url", "lang",
    "translation", "template", "in_default_lang", "translation_id",
)  # fmt: skip


def scope_of(receiver) -> str | None:
    """How a `*_finalized` / `*_write_*` receiver works, as its plugin declares it:

    - "object": it handles each content object on its own (it is called with only the changed ones);
    - "site": idempotent over the whole site (it is called on everything again);
    - "structure": its results depend only on what Pelican groups and orders by (kept unless that
      changed).

    ``receiver.live_reload_scope`` for one receiver, else ``LIVE_RELOAD_SCOPE`` in the plugin package
    the receiver comes from; None (undeclared): every rebuild is a full one."""
    declared = getattr(receiver, "live_reload_scope", None)
    if declared is None:
        package = sys.modules.get((getattr(receiver, "__module__", None) or "").partition(".")[0])
        declared = getattr(package, "LIVE_RELOAD_SCOPE", None)
    return declared if declared in SCOPES else None


def structure(obj) -> tuple:
    values = []
    for name in STRUCTURAL:
        value = getattr(obj, name, None)
        if isinstance(value, list | tuple):
            value = tuple(str(v) for v in value)
        values.append(str(value) if value is not None else None)
    return tuple(values)


class OnlyChanged:
    """A generator as a per-object receiver sees it: its content lists hold only the changed objects."""

    def __init__(self, generator, changed_ids: set[int], content_lists) -> None:
        self._generator = generator
        for name in content_lists:
            items = getattr(generator, name, None)
            if isinstance(items, list):
                setattr(self, name, [c for c in items if id(c) in changed_ids])

    def __getattr__(self, name):
        return getattr(self._generator, name)


def substitute(old: dict, memo: dict, changed_ids: set[int]) -> None:
    """What a skipped "structure" receiver set still points at the replaced objects: point it at
    the new ones, and give the new objects what it had set on the old ones."""
    from pelican.contents import Content

    swap = {id(old[key]): obj for key, (_, obj) in memo.items() if id(obj) in changed_ids and key in old}

    def new(value):
        if isinstance(value, Content):
            return swap.get(id(value), value)
        if isinstance(value, list | tuple) and any(id(v) in swap for v in value):
            return type(value)(swap.get(id(v), v) for v in value)
        return value

    for _, obj in memo.values():
        if id(obj) in changed_ids:
            continue
        for name, value in list(vars(obj).items()):
            if isinstance(value, Content | list | tuple):
                replaced = new(value)
                if replaced is not value:
                    setattr(obj, name, replaced)
    for old_id, obj in swap.items():
        before = next(o for o in old.values() if id(o) == old_id)
        for name, value in vars(before).items():
            if name not in vars(obj) and isinstance(value, Content | list | tuple | type(None)):
                setattr(obj, name, new(value))


_PLAIN = (str, int, float, bool, type(None), dt.date, dt.datetime)


def same(a, b) -> bool:
    """Equal, for values whose equality says they render alike; anything else counts as different."""
    from pelican.urlwrappers import URLWrapper

    if type(a) is not type(b):
        return False
    if isinstance(a, _PLAIN):
        return a == b
    if isinstance(a, URLWrapper):
        return (a.name, a.slug, a.url) == (b.name, b.slug, b.url)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if dataclasses.is_dataclass(a) and a.__dataclass_params__.frozen:  # e.g. clinical's Review, Person
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    return False


def differs(old, new, name: str) -> bool:
    try:
        return not same(getattr(old, name), getattr(new, name))
    except Exception:
        return True
