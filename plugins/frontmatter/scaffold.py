"""The text of a new article, with every metadata field the site expects (filled or TODO)."""

from __future__ import annotations

import datetime as dt

from .core import FIELDS


def article_text(title: str, today: dt.date) -> str:
    values = {
        "title": title,
        "date": today.isoformat(),
        "category": "TODO (e.g. Back pain)",
        "tags": "TODO (comma-separated, e.g. running, low back pain)",
        "summary": "TODO: one or two plain sentences for the home page and search results.",
        "author": "TODO (who wrote it)",
        "reviewed_by": "TODO (the clinician who reviewed it)",
        "reviewed": "TODO (YYYY-MM-DD of the clinical review)",
        "booking": "default",
        "status": "draft",
    }
    header = "\n".join(f"{key.capitalize()}: {value}" for key, value in values.items())
    body = (
        "Write the article here in Markdown. Cite a study like this [@hartvigsen2018], several like this\n"
        "[@belavy2017; @mitchell2020], or name the authors in the sentence: @horga2022 found ...\n"
        "The keys are the entries in content/references/. Change Status to published when done.\n"
    )
    assert set(values) <= set(FIELDS)
    return f"{header}\n\n{body}"
