"""The raw HTML policy as a Python-Markdown extension: check what a writer typed, where they typed it.

Python-Markdown passes raw HTML through ``md.htmlStash``: whole HTML blocks (the ``html_block``
preprocessor) and single tags or comments inside a paragraph (the ``html`` inline pattern). Plugins
put their own placeholders there too (care-card and booking markers, the reference-list marker),
so the extension records which stash entries those two raw-HTML readers made, and checks only
those (:func:`core.check_fragment`). A tree processor checks what Markdown syntax itself can carry
into an attribute: link and image addresses (``[x](javascript:...)``, reference definitions) and
attribute lists (``{: onclick=...}``).

Each problem becomes a placeholder comment (:func:`core.problem_comment`) with the file's line,
which the plugin's glue reports with the file's name; the offending fragment is written escaped,
so even a build that ignored the errors would show it as text, never run it.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from . import core


class _Document:
    """Per-document state (cleared by ``md.reset()``)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.source = core.Source([])
        # stash index -> (inline: a single tag from a paragraph, the fragment as typed)
        self.raw: dict[int, tuple[bool, str]] = {}


def _text(entry) -> str:
    """A stash entry as the HTML a writer typed: md_in_html stores an element written with
    `markdown="1"` (checked by its start tag; its content is Markdown, checked as such)."""
    if isinstance(entry, etree.Element):
        return "<{}{}>".format(entry.tag, "".join(f' {k}="{v}"' for k, v in entry.items()))
    return entry if isinstance(entry, str) else ""


class SourcePreprocessor(Preprocessor):
    """Keeps the file's lines (before `meta` removes the header) and hooks the raw-HTML readers."""

    def __init__(self, md, doc: _Document) -> None:
        super().__init__(md)
        self.doc = doc

    def run(self, lines: list[str]) -> list[str]:
        # Pelican reads the header with `meta`; for a formatted field (Summary:) it removes `meta`.
        self.doc.source = core.Source(lines, header="meta" in self.md.preprocessors)
        self._hook()
        return lines

    def _hook(self) -> None:
        """Wrap this Markdown instance's raw-HTML readers once, to record which stash entries they
        make (extensions such as md_in_html replace them, so this runs when all are registered)."""
        md, doc = self.md, self.doc
        if "html_block" in md.preprocessors:
            block = md.preprocessors["html_block"]
            if not getattr(block, "_rawhtml_hooked", False):
                run = block.run

                def block_run(lines: list[str]) -> list[str]:
                    before = len(md.htmlStash.rawHtmlBlocks)
                    result = run(lines)
                    for index in range(before, len(md.htmlStash.rawHtmlBlocks)):
                        doc.raw[index] = (False, _text(md.htmlStash.rawHtmlBlocks[index]))
                    return result

                block.run = block_run
                block._rawhtml_hooked = True
        if "html" in md.inlinePatterns:
            inline = md.inlinePatterns["html"]
            if not getattr(inline, "_rawhtml_hooked", False):
                handle = inline.handleMatch

                def handle_match(m, data):
                    before = len(md.htmlStash.rawHtmlBlocks)
                    result = handle(m, data)
                    for index in range(before, len(md.htmlStash.rawHtmlBlocks)):
                        doc.raw[index] = (True, _text(md.htmlStash.rawHtmlBlocks[index]))
                    return result

                inline.handleMatch = handle_match
                inline._rawhtml_hooked = True


class CheckTreeprocessor(Treeprocessor):
    """Checks each raw fragment (writing it as nh3 cleaned it, or escaped), then what Markdown
    syntax put into attributes; appends the problems as placeholders at the end of the document."""

    def __init__(self, md, doc: _Document) -> None:
        super().__init__(md)
        self.doc = doc

    def run(self, root: etree.Element) -> None:
        problems = self._fragments() + self._attributes(root)
        if not problems:
            return
        notes = "".join(core.problem_comment(line, message) for line, message in dict.fromkeys(problems))
        paragraph = etree.SubElement(root, "p")
        paragraph.text = self.md.htmlStash.store(notes)

    def _fragments(self) -> list[tuple[int | None, str]]:
        stash = self.md.htmlStash.rawHtmlBlocks
        problems = []
        for index, (inline, fragment) in sorted(self.doc.raw.items()):
            if not fragment:
                continue
            checked = core.check_fragment(fragment, inline=inline)
            if index < len(stash) and isinstance(stash[index], str):
                stash[index] = checked.safe
            if checked.findings:
                start = self.doc.source.find(fragment, block=not inline)
                for finding in checked.findings:
                    line = start + finding.line - 1 if start else self.doc.source.find(finding.needle)
                    problems.append((line, finding.message))
        return problems

    def _attributes(self, root: etree.Element) -> list[tuple[int | None, str]]:
        unescape = (
            self.md.treeprocessors["unescape"].unescape if "unescape" in self.md.treeprocessors else str
        )
        problems = []
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in list(element.attrib.items()):
                message = core.attribute_problem_in_markdown(element.tag, name, unescape(value))
                if not message:
                    continue
                del element.attrib[name]  # never written, even if the errors were ignored
                line = None
                for needle in (
                    value,
                    f'{name}="{value}"',
                    f"{name}='{value}'",
                    f"{name}={value}",
                    f"{name}=",
                ):
                    line = line or (self.doc.source.find(needle) if len(needle) > 3 else None)
                problems.append((line, message))
        return problems


class RawHtmlExtension(Extension):
    """Register with ``Markdown(extensions=[RawHtmlExtension()])``."""

    def extendMarkdown(self, md) -> None:
        doc = _Document()
        md.registerExtension(doc)  # md.reset() calls doc.reset()
        # After whitespace is normalised (30), before booking (28) and `meta` (27) change the
        # lines, so line numbers are the file's.
        md.preprocessors.register(SourcePreprocessor(md, doc), "rawhtml_source", 29.9)
        # After inline HTML is stashed (inline, 20) and attr_list (8) has set attributes; before
        # toc (5) renders headings through the stash.
        md.treeprocessors.register(CheckTreeprocessor(md, doc), "rawhtml_check", 6)


def makeExtension(**kwargs) -> RawHtmlExtension:
    return RawHtmlExtension(**kwargs)
