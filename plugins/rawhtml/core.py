"""The raw HTML policy for staff Markdown: what may pass, what is an error, and what to write instead.

Pure Python (nh3 and the standard library); no Markdown, no Pelican.

The s3 target serves the site without a Content-Security-Policy unless a CDN adds one (nginx on
the ssh target sends one), so anything a writer types that a browser runs (``<script>``,
``<iframe srcdoc>``, an ``onclick=`` attribute, a ``javascript:`` link) could run on the clinic's
pages: the build is the one barrier that holds on every target. Articles may hold only a few
inline elements that Markdown has no syntax for (:data:`ALLOWED`); everything else is reported
with what to use instead.

Two layers, so that neither a gap in our own reading of a fragment nor one in nh3's can let
markup through:

- :func:`check_fragment` reads a fragment with :class:`html.parser.HTMLParser` to say precisely
  what is wrong, and asks nh3 (html5ever, the parser browsers follow) whether its allow-list would
  remove any element, attribute or comment. Either one finding a problem makes it an error.
- The fragment written to the page is always nh3's sanitised version (:attr:`Checked.safe`), even
  when it is accepted.
"""

from __future__ import annotations

import functools
import html
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

#: The raw HTML a writer may use: element -> its allowed attributes (``lang`` and ``dir`` on any).
ALLOWED: dict[str, frozenset[str]] = {
    "abbr": frozenset({"title"}),
    "br": frozenset(),
    "wbr": frozenset(),
    "sub": frozenset(),
    "sup": frozenset(),
    "kbd": frozenset(),
    "small": frozenset(),
    "mark": frozenset(),
    "ins": frozenset(),
    "del": frozenset(),
    "span": frozenset(),
}
GLOBAL_ATTRIBUTES = frozenset({"lang", "dir"})
#: Link and image addresses allowed, besides relative paths and #fragments.
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
#: The prefixes of the comments that plugins write into the HTML themselves (placeholders).
PLUGIN_MARKERS = ("clinical:", "booking:", "citations:", "rawhtml:")
#: Attributes whose value is a URL (checked on every element Markdown or attr_list produce).
URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "action", "formaction", "poster", "cite", "data", "background", "ping"}
    | {"xlink:href", "longdesc", "usemap", "manifest", "codebase", "lowsrc", "dynsrc"}
)

_NO_SCRIPT = "pages run no script from articles"
_ALLOWED_LIST = ", ".join(f"<{t}>" for t in ALLOWED)
_USE = {
    "script": _NO_SCRIPT,
    "noscript": _NO_SCRIPT,
    "style": "the site's stylesheet styles every page; for emphasis use **bold** or a `!!! note` box",
    "link": "the site's stylesheet styles every page",
    "iframe": "embeds are not allowed; link to the video or map instead, or ask for a theme component",
    "object": "embeds are not allowed; link to the file instead, or ask for a theme component",
    "embed": "embeds are not allowed; link to the file instead, or ask for a theme component",
    "form": "forms are not allowed; use a [[book]] marker for booking, or link to the contact page",
    "a": "write links in Markdown: [text](https://...)",
    "img": "write images in Markdown: ![what the picture shows](/images/picture.jpg)",
    "div": 'write the text in Markdown; for a box use a care card or note (`!!! note "Heading"`)',
}
for _tag in ("frame", "frameset", "portal", "applet", "video", "audio", "source", "track", "svg", "math"):
    _USE[_tag] = _USE["iframe"]
for _tag in ("input", "button", "textarea", "select", "option", "label", "fieldset", "output"):
    _USE[_tag] = _USE["form"]
for _tag in ("picture", "figure", "map", "area"):
    _USE[_tag] = _USE["img"]
for _tag in ("meta", "base", "template", "slot"):
    _USE[_tag] = "set page details in the header fields (Title:, Summary: ...), not in HTML"
_MARKDOWN_HAS = "write it in Markdown (## heading, - list, | table |, **bold**, > quote)"
for _tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "tr", "td", "th"):
    _USE[_tag] = _MARKDOWN_HAS
for _tag in ("strong", "b", "em", "i", "u", "blockquote", "pre", "code", "hr", "section", "aside"):
    _USE[_tag] = _MARKDOWN_HAS

_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
# What browsers ignore in a URL: leading/trailing C0 controls and spaces; tabs and newlines anywhere.
_URL_NOISE_RE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_TABLE_ALIGN_RE = re.compile(r"^text-align: (left|right|center);$")
MARK = "<!--rawhtml:problem"
_PROBLEM_RE = re.compile(r"<!--rawhtml:problem (\{[^<>]*?\})-->\n?")


@dataclass(frozen=True)
class Finding:
    """One problem in a fragment: its line inside the fragment (1 = the first), the text to look
    for in the source (to find the file's line), and the message for the writer."""

    line: int
    needle: str
    message: str


@dataclass(frozen=True)
class Checked:
    safe: str  # what may be written to the page (nh3's output, or the escaped text)
    findings: tuple[Finding, ...] = ()


def describe(text: str, limit: int = 60) -> str:
    """`text` shortened to one line for a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def url_problem(value: str) -> str | None:
    """Why `value` (an attribute value as written, entities allowed) may not be a link, or None."""
    url = _URL_NOISE_RE.sub("", html.unescape(value)).strip(_C0_AND_SPACE)
    match = _SCHEME_RE.match(url)
    if not match or match.group(1).lower() in SAFE_SCHEMES:
        return None
    scheme = match.group(1).lower()
    return (
        f"a link or image address starting '{scheme}:' is not allowed ('{describe(value, 40)}'); "
        "use https://, http://, mailto:, tel:, a path on this site or a #fragment"
    )


def marker_problem(comment: str) -> str | None:
    """Why an HTML comment (its text between `<!--` and `-->`) may not be in an article, or None."""
    text = comment.strip().lstrip("/").strip().lower()
    plugin = next((p for p in PLUGIN_MARKERS if text.startswith(p)), None)
    if plugin is None:
        return None
    how = {
        "clinical:": 'write a care card as `!!! urgent "Heading"` with its text indented by 4 spaces',
        "booking:": "write a Book Now link as [[book]] or [[book: NAME]] on a line of its own",
        "citations:": "put the reference list with a line `::: {#refs}` followed by a line `:::`",
        "rawhtml:": "remove it",
    }[plugin]
    return (
        f"'<!--{describe(comment, 40)}-->' is a marker only the {plugin[:-1]} plugin may write; "
        f"a marker typed in an article is not allowed: {how}"
    )


def tag_problem(tag: str) -> str:
    advice = _USE.get(tag, f"the HTML allowed in articles is {_ALLOWED_LIST}")
    return f"<{tag}> is not allowed in articles: {advice}"


def attribute_problem(tag: str, name: str, value: str | None) -> str | None:
    """Why attribute `name` may not be on a raw <tag> a writer typed, or None."""
    if name.startswith("on"):
        return f"the event-handler attribute '{name}' on <{tag}> is not allowed: {_NO_SCRIPT}"
    if name == "style":
        return f"the style attribute on <{tag}> is not allowed: the site's stylesheet styles every page"
    if name in URL_ATTRIBUTES and value is not None and url_problem(value):
        return url_problem(value)
    if name in GLOBAL_ATTRIBUTES or name in ALLOWED.get(tag, ()):
        return None
    allowed = sorted(ALLOWED.get(tag, frozenset()) | GLOBAL_ATTRIBUTES)
    return f"the attribute '{name}' on <{tag}> is not allowed (allowed: {', '.join(allowed)})"


def attribute_problem_in_markdown(tag: str, name: str, value: str) -> str | None:
    """Why an attribute of an element Markdown itself made (a link, an image, an attribute list
    `{: ...}`) may not be written, or None.

    Markdown's own elements and attributes are fine; what a writer can add through them is not:
    event handlers, style (except a table column's alignment), and unsafe link addresses.
    """
    name = name.lower()
    if name.startswith("on"):
        return (
            f"the event-handler attribute '{name}' on <{tag}> is not allowed: {_NO_SCRIPT} "
            "(an attribute list `{: ...}` may not set it)"
        )
    if name == "style" and not (tag in ("td", "th") and _TABLE_ALIGN_RE.match(value)):
        return (
            f"the style attribute on <{tag}> is not allowed: the site's stylesheet styles every page "
            "(an attribute list `{: ...}` may not set it)"
        )
    if name in URL_ATTRIBUTES:
        return url_problem(value)
    return None


class _Reader(HTMLParser):
    """Collects what a fragment holds: start tags (with the line inside the fragment), comments,
    declarations and processing instructions."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []
        self.starts: list[tuple[str, tuple]] = []  # (tag, sorted attributes) for the nh3 comparison
        self.comments: list[str] = []

    def _add(self, needle: str, message: str) -> None:
        self.findings.append(Finding(self.getpos()[0], needle.split("\n")[0], message))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        text = self.get_starttag_text() or f"<{tag}"
        self.starts.append((tag, tuple(sorted((k, v or "") for k, v in attrs))))
        if tag not in ALLOWED:
            self._add(text, tag_problem(tag))
        for name, value in attrs:
            problem = attribute_problem(tag, name, value)
            # On an element that is not allowed anyway, say only what would have run.
            dangerous = name.startswith("on") or (name in URL_ATTRIBUTES and url_problem(value or ""))
            if problem and (tag in ALLOWED or dangerous):
                self._add(text, problem)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)
        problem = marker_problem(data)
        if problem:
            self._add(f"<!--{data}", problem)

    def handle_decl(self, decl: str) -> None:
        self._add(f"<!{decl}", f"'<!{describe(decl, 30)}>' is not allowed in articles")

    def unknown_decl(self, data: str) -> None:
        self._add(f"<![{data}", f"'<![{describe(data, 30)}' is not allowed in articles")

    def handle_pi(self, data: str) -> None:
        self._add(f"<?{data}", f"'<?{describe(data, 30)}' is not allowed in articles")


def _nh3(fragment: str, every_attribute: bool = False) -> str:
    """`fragment` as nh3 cleans it with the allow-list (`every_attribute`: any attribute kept on
    the allowed elements, to see whether the allow-list removes one)."""
    import nh3  # here: a site without raw HTML blocks does not load it (≈1.4 MiB of the build's memory)

    return nh3.clean(
        fragment,
        tags=set(ALLOWED),
        attributes={tag: set(attrs | GLOBAL_ATTRIBUTES) for tag, attrs in ALLOWED.items()},
        generic_attribute_prefixes={""} if every_attribute else None,
        strip_comments=False,
        link_rel=None,
        url_schemes=set(SAFE_SCHEMES),
    )


def _structure(fragment: str) -> tuple[list, list]:
    reader = _Reader()
    reader.feed(fragment)
    reader.close()
    return reader.starts, reader.comments


@functools.lru_cache(maxsize=4096)
def check_fragment(fragment: str, inline: bool = False) -> Checked:
    """Check one raw HTML fragment as Python-Markdown stashed it: a whole HTML block, or (`inline`)
    a single tag or comment from a paragraph."""
    reader = _Reader()
    reader.feed(fragment)
    reader.close()
    findings = list(reader.findings)
    cleaned = _nh3(fragment)
    changed = _structure(cleaned) != (reader.starts, reader.comments) or cleaned != _nh3(fragment, True)
    if not findings and changed:
        first = fragment.strip().split("\n")[0]
        findings.append(
            Finding(
                1,
                first,
                f"raw HTML '{describe(fragment, 40)}' is not allowed in articles; "
                f"the HTML allowed is {_ALLOWED_LIST}",
            )
        )
    if findings:
        return Checked(html.escape(fragment, quote=False), tuple(findings))
    if inline:
        cleaned = _inline_safe(fragment, cleaned)
    return Checked(cleaned)


def _inline_safe(fragment: str, cleaned: str) -> str:
    """A single accepted inline tag as nh3 wrote it, without the end tag html5ever adds to it."""
    end = re.match(r"^</([a-zA-Z][a-zA-Z0-9]*)\s*>$", fragment.strip())
    if end:
        return f"</{end.group(1).lower()}>" if end.group(1).lower() in ALLOWED else ""
    return re.sub(r"</[a-z]+>$", "", cleaned)


# --- problems found while Markdown is parsed, carried to the Pelican glue ----------------------


def problem_comment(line: int | None, message: str, check: str = "rawhtml") -> str:
    """A placeholder for one problem, kept with the page's HTML (and in Pelican's content cache)
    until the glue reports it with the file's name. Safe inside a comment: no '<', '>', '&', '-'."""
    text = json.dumps({"line": line, "message": message, "check": check}, ensure_ascii=True)
    for char in "<>&-":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return f"{MARK} {text}-->\n"


def take_problems(content: str) -> tuple[str, list[tuple[int | None, str, str]]]:
    """`content` without the problem placeholders, and the problems: (line, message, check)."""
    problems = []
    for match in _PROBLEM_RE.finditer(content):
        data = json.loads(match.group(1))
        problems.append((data["line"], data["message"], data["check"]))
    return (_PROBLEM_RE.sub("", content) if problems else content), problems


# --- where a problem is in the Markdown source ------------------------------------------------

_FENCE_RE = re.compile(r"^(`{3,}|~{3,})")
_HEADER_RE = re.compile(r"^[ ]{0,3}[A-Za-z0-9_-]+:")
_CODE_SPAN_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")


class Source:
    """The lines of a Markdown file (as Python-Markdown normalised them: tabs expanded), to find the
    line of a fragment. Fenced code and code spans are not searched (they are shown as written)."""

    def __init__(self, lines: list[str], header: bool = False) -> None:
        self._raw, self._header = list(lines), header  # `meta` removes lines from the list it is given
        self._lines: list[str] | None = None  # masked on the first search (most files have none)
        self._used: dict[tuple[str, bool], int] = {}

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self._mask(self._raw, self._header)
        return self._lines

    @staticmethod
    def _mask(lines: list[str], header: bool) -> list[str]:
        masked: list[str] = []
        fence = None
        if header and lines and _HEADER_RE.match(lines[0]):  # `Title: ...` lines up to a blank one
            while len(masked) < len(lines) and lines[len(masked)].strip():
                masked.append("")
            lines = lines[len(masked) :]
        for line in lines:
            if fence is not None:
                masked.append("")
                if line.strip() == fence:
                    fence = None
                continue
            opened = _FENCE_RE.match(line)
            if opened:
                fence = opened.group(1)
                masked.append("")
                continue
            masked.append(_CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line) if "`" in line else line)
        return masked

    def find(self, needle: str, block: bool = False) -> int | None:
        """The 1-based line of the next unused occurrence of `needle` (its first line); each
        occurrence is handed out once, so repeated fragments get their own lines. A `block` (a raw
        HTML block) starts a line, indented by at most 3 spaces (more would be indented code)."""
        needle = needle.split("\n")[0].strip()
        if not needle:
            return None

        def fits(line: str) -> bool:
            if not block:
                return needle in line
            return line.lstrip(" ").startswith(needle) and len(line) - len(line.lstrip(" ")) < 4

        key = (needle, block)
        for index in range(self._used.get(key, 0), len(self.lines)):
            if fits(self.lines[index]):
                self._used[key] = index + 1
                return index + 1
        return next((n for n, line in enumerate(self.lines, 1) if fits(line)), None)
