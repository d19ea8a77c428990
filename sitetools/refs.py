"""`invoke refs [WORD]`: the bibliography as a writer needs it — the key to cite, first author, year, title.

Loads every file in the citations folder with the citations plugin's own loader
(plugins/citations/bibliography.py), so what is listed is exactly what `[@key]` can cite.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def rows(folder: Path, word: str = "", cache: Path | None = None) -> tuple[list[tuple[str, ...]], list[str]]:
    """(key, first author, year, title) of every entry matching `word` (any field, any case); problems."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from citations.bibliography import Loader, folder_files

    bib = Loader(cache).load_many(folder_files(folder))
    from diagnostics import Diagnostic, relpath

    problems = [Diagnostic(relpath(p.path), p.line, p.severity, p.message).format() for p in bib.problems]
    out = []
    for key, entry in sorted(bib.entries.items()):
        item = entry.item
        author = (item.get("author") or item.get("editor") or [{}])[0]
        name = author.get("family") or author.get("literal") or ""
        year = ""
        issued = item.get("issued")
        if isinstance(issued, dict) and issued.get("date-parts"):
            year = str(issued["date-parts"][0][0])
        elif issued:
            year = str(issued)[:4]
        title = " ".join(str(item.get("title", "")).split())
        row = (key, name, year, title)
        if not word or word.lower() in " ".join(row).lower():
            out.append(row)
    return out, problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("word", nargs="?", default="", help="show only entries containing this word")
    parser.add_argument("--folder", default="content/references", help="bibliography folder")
    args = parser.parse_args(argv)
    found, problems = rows(ROOT / args.folder, args.word, ROOT / ".cache" / "refs")
    for problem in problems:
        print(problem, file=sys.stderr)
    if not found:
        print(f"No reference matches '{args.word}'." if args.word else "The bibliography is empty.")
        return 1 if args.word else 0
    width = max(len(row[0]) for row in found)
    for key, author, year, title in found:
        print(f"{key.ljust(width)}  {author} ({year or 'n.d.'})  {title}")
    print(f"\n{len(found)} reference(s). Cite one as [@{found[0][0]}].")
    return 0


if __name__ == "__main__":
    sys.exit(main())
