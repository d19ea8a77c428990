"""Plain-text citations ("Hartvigsen et al. 2018") where the bibliography has the entry."""

from __future__ import annotations

from pathlib import Path

from citations.bibliography import Entry as BibEntry
from citations.bibliography import Loader, folder_files
from clinical.citelint import entries, fold, lint

ROOT = Path(__file__).resolve().parents[2]
BIB = entries(Loader().load_many(folder_files(ROOT / "content" / "references")).entries.values())


def test_reads_key_first_author_and_year_from_the_citations_bibliography():
    items = [
        {"id": "belavy2017", "author": [{"family": "Belavý"}], "issued": {"date-parts": [[2017]]}},
        {"id": "who2020", "author": [{"literal": "World Health Organization"}], "issued": {"raw": "2020"}},
        {"id": "anon", "title": "No author", "issued": {"date-parts": [[2020]]}},
    ]
    found = entries(BibEntry(item["id"], item, "refs.json") for item in items)
    assert [(e.key, e.surname, e.year) for e in found] == [
        ("belavy2017", "belavy", "2017"),
        ("who2020", "world health organization", "2020"),
    ]
    assert fold("Belavý") == fold("Belav{\\'y}") == "belavy"


def test_typed_citations_are_found_with_line_and_key():
    text = (
        "Title: x\nDate: 2025-01-31\n\n"
        "As Hartvigsen et al. 2018 showed.\n"
        "Running helps (Belavy et al., 2017).\n"
        "Horga et al. (2022) and Maselli 2021 too.\n"
    )
    found = [(f.line, f.text, f.keys) for f in lint(text, BIB)]
    assert found == [
        (4, "Hartvigsen et al. 2018", ("hartvigsen2018",)),
        (5, "(Belavy et al., 2017)", ("belavy2017",)),
        (6, "Horga et al. (2022)", ("horga2022",)),
        (6, "Maselli 2021", ("maselli2021",)),
    ]
    assert lint(text, BIB)[0].message == (
        "'Hartvigsen et al. 2018' is a citation typed as plain text; cite it as [@hartvigsen2018] so it "
        "links to the reference list"
    )


def test_proper_citations_code_unknown_works_and_the_header_are_left_alone():
    text = (
        "Title: Hartvigsen et al. 2018\n\n"
        "Cited [@hartvigsen2018] and @horga2022 properly; Smith et al. 2018 is not in the bibliography.\n"
        "`Hartvigsen et al. 2018` in code, and Hartvigsen et al. 2019 is another year.\n"
        "```\nHartvigsen et al. 2018\n```\n"
    )
    assert lint(text, BIB) == []
