"""Reading aids: reading time, a table of contents for long texts, and a safe summary when none is written.

Pelican glue only (the work is in ``core`` and ``text``). After every generator has finished (and
after the citations plugin has placed the reference list, so it counts as a heading and its words
do not), each article and page gets:

- ``reading_time``: ``.minutes``, ``.words``, ``.text`` ("3 min read");
- ``toc``: a list of entries (``id``, ``text``, ``children``) when the text has at least
  READING_TOC_MIN_HEADINGS second-level headings, else ``[]``;
- ``summary``: when the header has no ``summary:``, the opening sentences of the text as plain
  text (up to SUMMARY_MAX_LENGTH words): no tags, citations, Book Now blocks or note boxes.

List this plugin after ``citations`` and ``booking`` in PLUGINS: it reads their finished HTML.
"""

from __future__ import annotations

from pelican import signals

from . import core

_CONTENT_LISTS = ("articles", "translations", "drafts", "pages", "hidden_pages", "draft_pages")


def _contents(generators) -> list:
    seen, out = set(), []
    for generator in generators:
        for name in _CONTENT_LISTS:
            for obj in getattr(generator, name, None) or []:
                if id(obj) not in seen:
                    seen.add(id(obj))
                    out.append(obj)
    return out


def _forget_summary(obj) -> None:
    """Pelican memoises get_summary per object: drop what it computed before the summary was set."""
    cache = getattr(getattr(type(obj), "get_summary", None), "cache", None)
    if isinstance(cache, dict):
        for key in [k for k in cache if k and k[0] is obj]:
            del cache[key]


def all_generators_finalized(generators) -> None:
    if not generators:
        return
    settings = {**core.DEFAULTS, **generators[0].settings}
    for obj in _contents(generators):
        reading, time, toc = core.analyse(
            obj._content or "", settings["READING_WORDS_PER_MINUTE"], settings["READING_TOC_MIN_HEADINGS"]
        )
        obj.reading_time = time
        obj.toc = toc
        if "summary" not in obj.metadata:
            obj.metadata["summary"] = core.derived_summary(reading, settings.get("SUMMARY_MAX_LENGTH"))
            _forget_summary(obj)


def register() -> None:
    signals.all_generators_finalized.connect(all_generators_finalized)
