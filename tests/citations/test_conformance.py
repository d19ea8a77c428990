"""Conformance with pandoc on material nobody here wrote: pandoc's own citation and BibLaTeX reader
tests and Better BibTeX's export fixtures (../shared/conformance/citations/, 749 cases), each built
through the site's real code path and compared, for the three shipped styles, with pandoc from the
lock (see conformance_helpers). What a reader sees is compared: each citation's text and link
targets, each reference-list entry's id, text and link targets.

Every difference must be listed, with its reason, in conformance_expected.toml, and every listed case
must still differ (style by style): the list only shrinks. With CI=true every case runs; otherwise
every 10th case (the same ones each time), or all with CITATIONS_CONFORMANCE=full.
"""

from __future__ import annotations

import os
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.citations.conformance_helpers import CASES, STYLES, all_cases, command_line, oracle, site, visible

pytestmark = pytest.mark.conformance

EXPECTED = Path(__file__).with_name("conformance_expected.toml")
FULL = os.environ.get("CI", "").lower() == "true" or os.environ.get("CITATIONS_CONFORMANCE") == "full"

if not CASES.is_dir():
    pytest.skip(
        f"the conformance cases are not there: {CASES} (../shared/conformance/citations/)",
        allow_module_level=True,
    )


def _expected() -> dict[str, dict[tuple[str, str], str]]:
    data = tomllib.loads(EXPECTED.read_text(encoding="utf-8"))
    out: dict[str, dict[tuple[str, str], str]] = {"refused": {}, "differs": {}}
    for kind in out:
        for name, entry in data.get(kind, {}).items():
            for style in entry.get("styles", STYLES):
                out[kind][(name, style)] = entry["reason"]
    return out


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    """(case, style) → "equal" | "differs" | "refused" (with the site's errors), for the sample."""
    cases = all_cases()
    sample = cases if FULL else cases[::10]
    jobs = [(case, style) for case in sample for style in STYLES]
    with ThreadPoolExecutor(1) as pool:  # pandoc's runs fill the cores while the site's Python works
        pending = pool.submit(oracle, jobs)
        built = site(jobs, tmp_path_factory.mktemp("conformance-cache"))
        expected = pending.result()
    result = {}
    for (case, style), theirs, ours in zip(jobs, expected, built, strict=True):
        key = (case.name, style)
        if ours.html is None or ours.errors:
            result[key] = ("refused", ours.errors)
        elif theirs is None:
            result[key] = ("differs", ["pandoc refuses the case, the site builds it"])
        elif visible(theirs) == visible(ours.html):
            result[key] = ("equal", [])
        else:
            mine, pandoc_sees = visible(ours.html), visible(theirs)
            first = next(
                (
                    f"{part}: pandoc {a!r}, site {b!r}"
                    for part in mine
                    for a, b in zip(pandoc_sees[part], mine[part], strict=False)
                    if a != b
                ),
                "a different number of citations or entries",
            )
            result[key] = ("differs", [first])
    return result


def test_every_difference_is_listed_and_every_listed_case_still_differs(outcome):
    expected = _expected()
    unexplained, fixed = [], []
    for key, (kind, detail) in sorted(outcome.items()):
        listed = [k for k in expected if key in expected[k]]
        if kind == "equal" and listed:
            fixed.append(f"{key[0]} ({key[1]}) now matches pandoc: remove it from [{listed[0]}]")
        elif kind != "equal" and kind not in listed:
            unexplained.append(f"{key[0]} ({key[1]}) {kind}: {'; '.join(detail)[:300]}")
    counts = {k: sum(1 for v in outcome.values() if v[0] == k) for k in ("equal", "differs", "refused")}
    figures = f"{len(outcome) // len(STYLES)} cases, {len(outcome)} comparisons: {counts}"
    assert not unexplained, f"{figures}\nnot in {EXPECTED.name}:\n" + "\n".join(unexplained)
    assert not fixed, f"{figures}\n" + "\n".join(fixed)


def test_the_expected_list_names_real_cases_with_reasons():
    names = {case.name for case in all_cases()}
    for kind, entries in _expected().items():
        for (name, style), reason in entries.items():
            assert name in names, f"[{kind}] {name}: no such case"
            assert style in STYLES, f"[{kind}] {name}: no such style {style}"
            assert len(reason) > 20, f"[{kind}] {name}: say why"


def test_oracle_is_the_command_line():
    """The batch oracle gives the bytes `pandoc --citeproc ... -t html` gives (a few cases)."""
    cases = {case.name: case for case in all_cases()}
    jobs = [
        (cases["p01-markdown-citations"], "apa"),
        (cases["z-biblatex-200"], "harvard-cite-them-right"),
        (cases["m-7394"], "vancouver"),
    ]
    for (case, style), html in zip(jobs, oracle(jobs), strict=True):
        assert html is not None and html.strip() == command_line(case, style).strip(), case.name
