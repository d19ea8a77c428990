"""The timetable as schema.org structured data: a ``Course`` per class with its ``CourseInstance``.

Pure Python: returns a dict. The page serialises it with Jinja's ``tojson``, which escapes ``<``,
``>``, ``&`` and ``'``, so no class name or description can end the ``<script>`` element early.
"""

from __future__ import annotations

from .model import Timetable, TimetableClass


def _schedule(cls: TimetableClass, zone_name: str) -> dict:
    schedule = {
        "@type": "Schedule",
        "repeatFrequency": "P1W",
        "byDay": f"https://schema.org/{cls.weekday_name}",
        "startDate": cls.term_start.isoformat(),
        "endDate": cls.term_end.isoformat(),
        "startTime": cls.start.strftime("%H:%M"),
        "endTime": cls.end.strftime("%H:%M"),
        "duration": f"PT{cls.duration}M",
        "scheduleTimezone": zone_name,
    }
    if cls.no_class:
        schedule["exceptDate"] = [day.isoformat() for day in cls.no_class]
    return schedule


def _address(clinic: dict) -> dict:
    return {
        "@type": "PostalAddress",
        "streetAddress": clinic.get("street", ""),
        "addressLocality": clinic.get("locality", ""),
        "postalCode": clinic.get("postcode", ""),
        "addressCountry": clinic.get("country", ""),
    }


def build(timetable: Timetable, page_url: str, zone_name: str, clinic: dict, siteurl: str) -> dict:
    """One JSON-LD document: a ``@graph`` of ``Course`` nodes."""
    provider = {"@type": "Organization", "name": clinic.get("name", ""), "url": siteurl.rstrip("/") + "/"}
    courses = []
    for cls in timetable.classes:
        courses.append(
            {
                "@type": "Course",
                "@id": f"{page_url}#class-{cls.id}",
                "name": f"{cls.name} ({cls.level})",
                "description": cls.description or cls.name,
                "educationalLevel": cls.level,
                "provider": provider,
                "url": page_url,
                "hasCourseInstance": [
                    {
                        "@type": "CourseInstance",
                        "courseMode": "Onsite",
                        "location": {
                            "@type": "Place",
                            "name": f"{cls.place}, {clinic.get('name', '')}".rstrip(", "),
                            "address": _address(clinic),
                        },
                        "courseSchedule": _schedule(cls, zone_name),
                    }
                ],
            }
        )
    return {"@context": "https://schema.org", "@graph": courses}
