"""The one-pass .bib scan: entry lines, crossref/xdata links, cycles and missing targets, in linear time."""

from __future__ import annotations

import time

from citations import bibscan
from citations.bibliography import Loader


def test_keys_and_lines_skip_strings_comments_and_at_signs_in_values():
    text = (
        '@string{jb = "J. Bone"}\n'
        "@comment{ @article{not, title={x}} }\n"
        "@article{a1,\n  note = {mail me@example.org},\n  journal = jb # { Surg},\n}\n"
        "free text with an @ sign\n"
        '@Book(b1, title = "A {quoted} title", crossref = {a1})\n'
    )
    scan = bibscan.scan(text)
    assert [(e.key, e.type, e.line) for e in scan.entries] == [("a1", "article", 3), ("b1", "book", 8)]
    assert scan.entries[1].links == [("crossref", "a1", 8)]
    assert bibscan.check_links(scan) == []


def test_crossref_cycle_names_both_entries_and_lines():
    scan = bibscan.scan("@article{a1, crossref={b1}, title={A}}\n\n@article{b1, crossref={a1}}\n")
    ((line, message),) = bibscan.check_links(scan)
    assert line == 1
    assert message.startswith("crossref cycle: 'a1' (line 1) → 'b1' (line 3) → 'a1'")


def test_self_reference_xdata_lists_and_macros():
    scan = bibscan.scan("@xdata{x, xdata={x}}\n")
    assert bibscan.check_links(scan)[0][1].startswith("xdata cycle: 'x' (line 1) → 'x'")
    scan = bibscan.scan('@string{host = "h"}\n@book{h, title={H}}\n@inbook{c, crossref = host}\n')
    assert scan.entries[1].links == [("crossref", "h", 3)]
    scan = bibscan.scan("@xdata{p, publisher={P}}\n@xdata{q, location={L}}\n@book{b, xdata={p, q}}\n")
    assert scan.entries[2].links == [("xdata", "p", 3), ("xdata", "q", 3)]
    assert bibscan.check_links(scan) == []


def test_missing_target_is_reported_with_the_near_key():
    scan = bibscan.scan("@book{host, title={H}}\n@inbook{c1, crossref={Host}}\n")
    ((line, message),) = bibscan.check_links(scan)
    assert line == 2
    assert "crossref 'Host' is not an entry in this file (did you mean 'host'?)" in message


def test_unclosed_entry_stops_the_scan_without_rescanning():
    scan = bibscan.scan("@article{a, title={never closed\n" * 3 + "@book{b, title={B}}\n")
    assert [e.key for e in scan.entries] == ["a"]


def _seconds(func, arg) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        func(arg)
        best = min(best, time.process_time() - started)
    return best


def test_scan_time_grows_linearly():
    # Counting lines from the start of the file for each entry made 100,000 entries take minutes:
    # 4x the entries must cost about 4x the time (a quadratic scan costs 16x).
    def bib(n: int) -> str:
        return "".join(f"@article{{k{i}, title={{T {{{i}}}}}, crossref={{k{i + 1}}}}}\n" for i in range(n))

    small, large = bib(5_000), bib(20_000)
    ratio = _seconds(bibscan.scan, large) / _seconds(bibscan.scan, small)
    assert ratio < 8, ratio
    scan = bibscan.scan(large)
    assert scan.entries[-1].line == 20_000
    ratio = _seconds(bibscan.check_links, scan) / _seconds(bibscan.check_links, bibscan.scan(small))
    assert ratio < 8, ratio


def test_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "big.json"
    path.write_text('[{"id": "a", "title": "' + "x" * 2_000 + '"}]', encoding="utf-8")
    entries, problems = Loader(max_bytes=1_000).load(path)
    assert entries == []
    assert "larger than 1,000 bytes" in problems[0].message
    assert "CONTENT_MAX_FILE_BYTES" in problems[0].message


def test_cycle_in_a_bib_file_is_an_error_and_pandoc_never_starts(tmp_path, monkeypatch):
    from citations import pandoc

    monkeypatch.setattr(pandoc, "STARTS", 0)
    path = tmp_path / "cycle.bib"
    path.write_text("@article{a1, crossref={b1}}\n@article{b1, crossref={a1}}\n", encoding="utf-8")
    entries, problems = Loader(tmp_path / "cache").load(path)
    assert entries == [] and problems[0].line == 1 and "crossref cycle" in problems[0].message
    assert pandoc.STARTS == 0
