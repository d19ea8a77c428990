"""Reading aids: reading time, a table of contents for long texts, and a safe summary when none is written.

Pelican glue only (the work is in ``core`` and ``text``). After every generator has finished (and
after the citations plugin has placed the reference list, so it counts as a heading and its words
do not), each article and page gets:

- ``reading_time``: ``.minutes``, ``.words``, ``.text`` ("3 min read");
- ``toc``: a list of entries (``id``, ``text``, ``children``) when the text has at least
  READING_TOC_MIN_HEADINGS second-level headings, else ``[]``;
- ``summary``: when the header has no ``summary:``, the opening sentences of the text as plain
  text (up to SUMMARY_MAX_LENGTH words): no tags, citations, Book Now blocks or note boxes.

It reads the finished HTML of ``citations`` and ``booking`` (``AFTER``, checked at start-up).
"""

from __future__ import annotations

import sys

from pelican import signals

import pipeline
from pelican_content import all_contents, forget_memoized

from . import core, text
from .settings import DEFAULTS

#: The plugins whose finished HTML this one reads (checked at start-up: see plugins/pipeline.py).
AFTER = ("citations", "booking", "clinical")


def initialized(pelican) -> None:
    pipeline.check_order(pelican.settings)


def _prose(obj, max_words: int | None) -> dict:
    """What this plugin needs of a page's prose (JSON, for the memo)."""
    reading = text.of(obj)  # the pass the clinical plugin's reading age used, when the HTML is the same
    headings = [[h.level, h.id, h.text] for h in reading.headings]
    return {"words": reading.words, "headings": headings, "summary": core.derived_summary(reading, max_words)}


def all_generators_finalized(generators) -> None:
    if not generators:
        return
    settings = {**DEFAULTS, **generators[0].settings}
    max_words = settings.get("SUMMARY_MAX_LENGTH")
    memo = pipeline.Memo(
        settings.get("CACHE_PATH"), "reading", VERSION, load=bool(settings.get("LOAD_CONTENT_CACHE", True))
    )
    for obj in all_contents(generators):
        key = pipeline.digest(getattr(obj, "_content", None) or "", repr(max_words))
        prose = memo.get(key, lambda obj=obj: _prose(obj, max_words))  # the HTML read once, ever
        reading = text.Reading(prose["words"], [text.Heading(*h) for h in prose["headings"]])
        time, toc = core.analyse(
            reading, settings["READING_WORDS_PER_MINUTE"], settings["READING_TOC_MIN_HEADINGS"]
        )
        obj.reading_time = time
        obj.toc = toc
        if "summary" not in obj.metadata:
            obj.metadata["summary"] = prose["summary"]
            forget_memoized(obj, ("get_summary",))
    memo.save()


#: The code the memo's entries come from: a change to it makes them all again.
VERSION = pipeline.code_version(text, core, sys.modules[__name__])


# The live preview (sitetools/preview/changes.py): each page's reading time is measured on its own.
LIVE_RELOAD_SCOPE = "object"


def register() -> None:
    signals.initialized.connect(initialized)
    signals.all_generators_finalized.connect(all_generators_finalized)
