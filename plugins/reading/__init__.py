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

from pelican_content import all_contents, forget_memoized

from . import core
from .settings import DEFAULTS


def all_generators_finalized(generators) -> None:
    if not generators:
        return
    settings = {**DEFAULTS, **generators[0].settings}
    for obj in all_contents(generators):
        reading, time, toc = core.analyse(
            obj._content or "", settings["READING_WORDS_PER_MINUTE"], settings["READING_TOC_MIN_HEADINGS"]
        )
        obj.reading_time = time
        obj.toc = toc
        if "summary" not in obj.metadata:
            obj.metadata["summary"] = core.derived_summary(reading, settings.get("SUMMARY_MAX_LENGTH"))
            forget_memoized(obj, ("get_summary",))


# The live preview (sitetools/preview/changes.py): each page's reading time is measured on its own.
LIVE_RELOAD_SCOPE = "object"


def register() -> None:
    signals.all_generators_finalized.connect(all_generators_finalized)
