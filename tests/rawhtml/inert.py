"""What in a page a browser would run: the check behind every "the output is inert" assertion."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def executable(html: str) -> list[str]:
    """Script elements, embeds, forms, event handlers, `srcdoc`, `style` attributes and script URLs
    in `html` as a browser reads it (entities decoded, control characters ignored, any case); [] when
    inert. The theme's own scripts (JSON-LD, a `<script src>` to the site's files) are not counted."""
    reader = _Elements()
    reader.feed(html)
    found = []
    for tag, attrs in reader.found:
        values = dict(attrs)
        if tag == "script" and (values.get("type") == "application/ld+json" or "src" in values):
            continue
        if tag in ("script", "iframe", "object", "embed", "form", "base"):
            found.append(tag)
        for name, value in attrs:
            url = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if (
                name.startswith("on")
                or name == "srcdoc"
                or url.startswith(("javascript:", "vbscript:", "data:"))
            ):
                found.append(f"{tag}[{name}={value}]")
    return found
