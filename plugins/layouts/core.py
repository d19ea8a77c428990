"""The `template:` metadata field: a page may choose one of the theme's templates, and only those.

Pure Python: :func:`problem` says what is wrong with a name, given the templates the theme has;
:func:`navigation` is the one query for the pages in the site navigation (`nav_order`).
"""

from __future__ import annotations

import difflib

#: Templates that are parts of other templates, never a whole page.
PARTS = ("base", "list", "pagination")


def choices(template_names: list[str], extensions: tuple[str, ...] = (".html",)) -> list[str]:
    """Names a `template:` field may use: the theme's top-level templates, without extension."""
    out = []
    for name in template_names:
        if "/" in name:
            continue  # components/, and Pelican's "!simple/" templates
        for ext in extensions:
            if name.endswith(ext) and name[: -len(ext)] not in PARTS:
                out.append(name[: -len(ext)])
    return sorted(set(out))


def problem(name: str, available: list[str]) -> str | None:
    """None when `name` is a template of the theme, else a message naming the choices."""
    if name in available:
        return None
    close = difflib.get_close_matches(name, available, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return (
        f"unknown template '{name}' in 'template: {name}'{hint}; "
        f"the theme's templates are: {', '.join(available)}"
    )


def _order(value) -> tuple:
    text = str(value).strip()
    return (0, int(text), "") if text.lstrip("-").isdigit() else (1, 0, text)


def navigation(pages) -> list:
    """The pages of the site navigation: those with `nav_order`, in that order (numbers as numbers)."""
    listed = [p for p in pages if getattr(p, "nav_order", None) is not None]
    return sorted(listed, key=lambda p: _order(p.nav_order))
