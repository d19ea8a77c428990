"""Pelican glue for the class timetable: read content/timetable.yaml, write the page and the calendars.

The rules live in the pure modules (``model``: the file's fields; ``load``: safe YAML and every
check; ``schedule``: the page's weeks; ``ical``: the feeds; ``jsonld``: the structured data). Here:

- ``initialized``: the plugin's defaults, and the booking targets (``booking.config.load``, the
  same check the booking plugin runs) so each session links through the booking plugin's rules.
- ``get_generators``: :class:`TimetableGenerator`. Its ``generate_context`` reads and checks the
  file (each problem ``content/timetable.yaml:LINE: error: ...``) and puts ``TIMETABLE_NAV`` in the
  context every template sees (the site navigation links to the page); ``generate_output`` writes
  the page (``timetable.html``) and one ``.ics`` per level plus one of all classes.

Without the file nothing is written and the navigation has no timetable link.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pelican import signals
from pelican.generators import Generator

import diagnostics
import pipeline
from booking import config as booking_config
from booking.links import ARTICLE_END, make_cta, tagged_url

from . import jsonld, load, schedule
from .model import ALL_SLUG
from .settings import DEFAULTS

CHECK = "timetable"
#: utm_content of the timetable's booking links (booking.links has no constant for it yet).
PLACEMENT = "timetable"
TITLE = "Class timetable"


@dataclass(frozen=True)
class Feed:
    name: str  # "Beginners classes"
    url: str  # site-relative path of the .ics file
    address: str  # its absolute address, to paste into a calendar app
    filename: str  # "beginners.ics"


#: What one build keeps between signals (plugins/pipeline.py): the booking plugin's checked targets.
state = pipeline.BuildState(booking=None)


def initialized(pelican) -> None:
    settings = pelican.settings
    for name, default in DEFAULTS.items():  # values checked at start-up: see timetable.settings
        settings.setdefault(name, default)
    state.reset()
    state.booking = booking_config.load(settings)[0]  # its problems are the booking plugin's to report


def session_cta(cfg: booking_config.BookingConfig, target: str):
    """The booking plugin's link to `target`, tagged utm_content=timetable."""
    cta = make_cta(cfg, target, ARTICLE_END)
    href = tagged_url(cfg.targets[target].url, cfg.utm, target, PLACEMENT)
    return replace(cta, placement=PLACEMENT, href=href)


def _zone(settings) -> ZoneInfo | None:
    name = settings.get("TIMEZONE") or "Europe/London"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        diagnostics.error(
            "pelicanconf.py",
            diagnostics.line_of("pelicanconf.py", "TIMEZONE"),
            f"TIMEZONE = {name!r} is not a time zone the timetable can use; write e.g. 'Europe/London'",
            CHECK,
        )
        return None


def _today(settings, zone: ZoneInfo) -> dt.date:
    given = settings.get("TIMETABLE_TODAY")
    return dt.date.fromisoformat(given) if given else dt.datetime.now(zone).date()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


class TimetableGenerator(Generator):
    """Reads content/timetable.yaml; writes the timetable page and its calendars."""

    def generate_context(self) -> None:
        self.timetable = None
        self.context["TIMETABLE_NAV"] = None
        settings = self.settings
        path = Path(settings["PATH"]) / settings["TIMETABLE_PATH"]
        if not path.is_file():
            return
        if path.stat().st_size > load.MAX_BYTES:
            diagnostics.error(
                path,
                1,
                f"the timetable file is over the limit of {load.MAX_BYTES // 1024} KiB; it should hold "
                "only the weekly classes (a few KiB)",
                CHECK,
            )
            return
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            diagnostics.error(path, 1, "the timetable file is not UTF-8 text; save it as UTF-8", CHECK)
            return
        cfg = state.booking
        targets = list(cfg.targets) if cfg else list(settings.get("BOOKING_TARGETS") or ())
        timetable, problems = load.load(text, targets)
        for line, message in problems:
            diagnostics.error(path, line, message, CHECK)
        zone = _zone(settings)
        if timetable is None or zone is None:
            return
        today = _today(settings, zone)
        if timetable.classes and all(c.term_end < today for c in timetable.classes):
            last = max(c.term_end for c in timetable.classes)
            diagnostics.warning(
                path,
                1,
                f"every class's term has ended (the last on {last.isoformat()}): the timetable page shows no "
                "sessions; add the next term's dates",
                CHECK,
            )
        self.timetable, self.zone, self.today = timetable, zone, today
        # a build later in the day: a session that has started is past (TIMETABLE_TODAY: the day only)
        self.now = None if settings.get("TIMETABLE_TODAY") else dt.datetime.now(zone)
        self.context["TIMETABLE_NAV"] = {
            "title": TITLE,
            "url": settings["TIMETABLE_URL"],
            "save_as": settings["TIMETABLE_SAVE_AS"],
        }

    def _feeds(self) -> dict[str, Feed]:
        siteurl = (self.settings.get("SITEURL") or "").rstrip("/")
        pattern = self.settings["TIMETABLE_FEED_SAVE_AS"]
        levels = [*self.timetable.levels(), ("All", ALL_SLUG)] if self.timetable.classes else []
        feeds = {}
        for level, slug in levels:
            rel = pattern.format(slug=slug)
            name = "All classes" if slug == ALL_SLUG else f"{level} classes"
            feeds[slug] = Feed(name, rel, f"{siteurl}/{rel}", rel.rsplit("/", 1)[-1])
        return feeds

    def generate_output(self, writer) -> None:
        if self.timetable is None:
            return
        settings = self.settings
        clinic = settings.get("CLINIC") or {}
        siteurl = (settings.get("SITEURL") or "").rstrip("/")
        page_url = f"{siteurl}/{settings['TIMETABLE_URL']}"
        zone_name = self.zone.key
        uid_domain = urlsplit(siteurl).hostname or "localhost"
        feeds = self._feeds()
        from . import ical  # icalendar (≈3 MiB): imported only by a site that has a timetable

        for slug, feed in feeds.items():
            classes = [c for c in self.timetable.classes if slug in (ALL_SLUG, c.level_slug)]
            data = ical.feed(
                classes,
                name=f"{clinic.get('name', '')}: {feed.name}".strip(": "),
                zone_name=zone_name,
                uid_domain=uid_domain,
                page_url=page_url,
                clinic=clinic,
            )
            _write(Path(writer.output_path) / feed.url, data)
        cfg = state.booking
        ctas = {c.booking: session_cta(cfg, c.booking) for c in self.timetable.classes} if cfg else {}
        page = schedule.view(
            self.timetable, self.today, settings["TIMETABLE_WEEKS"], self.zone, ctas, feeds, self.now
        )
        writer.write_file(
            settings["TIMETABLE_SAVE_AS"],
            self.get_template("timetable"),
            self.context,
            relative_urls=settings["RELATIVE_URLS"],
            timetable=page,
            timetable_all_feed=feeds.get(ALL_SLUG),
            timetable_feeds=list(feeds.values()),
            timetable_jsonld=jsonld.build(self.timetable, page_url, zone_name, clinic, siteurl),
        )


def get_generators(pelican):
    return TimetableGenerator


def register() -> None:
    signals.initialized.connect(initialized)
    signals.get_generators.connect(get_generators)
