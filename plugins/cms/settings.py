"""Settings of the cms plugin (the web editor in a built site): each declared once in ``SETTINGS``."""

from __future__ import annotations

from settings_schema import Setting, mapping, optional


def _yes_no(value, setting, settings) -> str | None:
    return None if isinstance(value, bool) else "is not True or False"


def _backend(value, setting, settings) -> str | None:
    if value is None:
        return None
    if problem := mapping()(value, setting, settings):
        return problem
    if not isinstance(value.get("name"), str) or not value.get("name"):
        return "has no 'name'; e.g. {'name': 'github', 'repo': 'clinic/website', 'branch': 'main'}"
    return None


SETTINGS = (
    Setting(
        "CMS_ADMIN",
        False,
        "write the web editor into the built site at `admin/` (Decap CMS with `CMS_BACKEND`); "
        "`False`: no `admin/` in any build",
        _yes_no,
    ),
    Setting(
        "CMS_BACKEND",
        None,
        "Decap's backend in a built site: the git host and repository, e.g. "
        "`{'name': 'github', 'repo': 'clinic/website', 'branch': 'main'}` (see Web editing)",
        optional(_backend),
    ),
)


def check(settings) -> list[str]:
    """Rules across settings: the editor in a built site needs a git host to save to."""
    if settings.get("CMS_ADMIN") is True and not settings.get("CMS_BACKEND"):
        return [
            "CMS_ADMIN = True needs CMS_BACKEND, the git host the editor saves to, e.g. "
            "{'name': 'github', 'repo': 'clinic/website', 'branch': 'main'} (README, Web editing)"
        ]
    return []
