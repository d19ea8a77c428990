"""Hostile input for the citations plugin: files outside content/, crossref cycles, pandoc limits,
inputs built to make a scan quadratic, and damaged cache files.

Every pandoc process the plugin starts runs under a wall-clock timeout and a memory cap, so the
cycle and the string bomb below cannot take the machine down even when a check misses them.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.hostile.harness import SECRET, Sandbox

HEAD = "Title: Hostile citations\nDate: 2025-03-01\nCategory: Back pain\n"
SEED_KEY = "hartvigsen2018"  # in content/references/back-pain-running.bib


def _cache_files(box: Sandbox, kind: str) -> list[Path]:
    """The citation plugin's cache files of one kind ('formatted' or 'bib') in the sandbox."""
    return sorted(p for p in (box.project / ".cache").rglob(f"citations/{kind}/**/*.json") if p.is_file())


# -- 1. confinement ------------------------------------------------------------------------------
def test_bibliography_relative_path_out_of_content_is_refused(box):
    path = box.article(HEAD + "Bibliography: ../../../outside/refs.json\n\nA study [@outsider2020].\n")
    box.rejects(path, 4, "must be inside the content folder")


def test_bibliography_absolute_path_is_refused(box):
    target = box.outside / "refs.json"
    path = box.article(HEAD + f"Bibliography: {target}\n\nA study [@outsider2020].\n")
    box.rejects(path, 4, "must be inside the content folder")


def test_bibliography_symlink_out_of_content_is_refused(box):
    link = box.project / "content" / "references" / "linked.json"
    link.symlink_to(box.outside / "refs.json")
    box.article(HEAD + "\nA study [@outsider2020].\n")
    box.rejects("content/references/linked.json", None, "outside the content folder")


def test_bibliography_symlinked_folder_in_an_article_is_refused(box):
    (box.project / "content" / "extra").symlink_to(box.outside)
    box.article(HEAD + "Bibliography: ../extra/refs.json\n\nA study [@outsider2020].\n")
    # The content scan refuses the link itself before any plugin reads through it.
    box.rejects("content/extra", None, "outside the content folder")


def test_citation_style_path_out_of_content_is_refused(box):
    path = box.article(HEAD + f"Citation-style: ../../../outside/style.csl\n\nText [@{SEED_KEY}].\n")
    box.rejects(path, 4, "harvard-cite-them-right")


def test_citation_style_absolute_path_is_refused(box):
    target = box.outside / "style.csl"
    path = box.article(HEAD + f"Citation-Style: {target}\n\nText [@{SEED_KEY}].\n")
    box.rejects(path, 4, "inside the content folder")


def test_citation_style_in_content_still_works(box):
    box.write("content/styles/mine.csl", (box.outside / "style.csl").read_bytes())
    box.article(HEAD + f"Citation-style: ../styles/mine.csl\n\nText [@{SEED_KEY}].\n")
    result = box.accepts()
    assert "Hartvigsen" in result.page("articles/hostile-citations/index.html")


def test_dependent_style_that_would_fetch_its_parent_is_refused(box):
    style = (box.outside / "style.csl").read_text(encoding="utf-8")
    parent = '<link href="https://www.zotero.org/styles/apa" rel="independent-parent"/>'
    box.write("content/styles/dep.csl", style.replace("<info>", "<info>" + parent, 1))
    path = box.article(HEAD + f"Citation-style: ../styles/dep.csl\n\nText [@{SEED_KEY}].\n")
    box.rejects(path, 4, "dependent style")


# -- 2. crossref / xdata cycles and missing targets ----------------------------------------------
def test_crossref_cycle_is_refused_before_pandoc_runs(box):
    box.write(
        "content/references/cycle.bib",
        "@article{a1, crossref={b1}, title={A}}\n\n@article{b1, crossref={a1}, title={B}}\n",
    )
    box.article(HEAD + "\nSee [@a1].\n")
    result = box.rejects("content/references/cycle.bib", 1, "crossref cycle")
    assert "'a1' (line 1)" in result.stderr and "'b1' (line 3)" in result.stderr
    assert "unknown citation key" not in result.stderr


def test_xdata_cycle_is_refused(box):
    box.write(
        "content/references/xcycle.bib",
        "@xdata{x1, xdata={x2}, publisher={P}}\n@xdata{x2, xdata={x1}}\n"
        "@book{b1, xdata={x1}, title={B}, date={2020}}\n",
    )
    box.article(HEAD + "\nSee [@b1].\n")
    box.rejects("content/references/xcycle.bib", 1, "xdata cycle")


def test_missing_crossref_target_is_refused(box):
    box.write(
        "content/references/missing.bib",
        "@book{host, title={Host}, date={2020}}\n@inbook{c1, crossref={Host}, title={C}}\n",
    )
    box.article(HEAD + "\nSee [@c1].\n")
    box.rejects("content/references/missing.bib", 2, "crossref 'Host' is not an entry")


def test_string_macro_bomb_hits_the_memory_cap(box):
    lines = ['@string{s0 = "' + "x" * 64 + '"}']
    lines += [f"@string{{s{i} = s{i - 1} # s{i - 1}}}" for i in range(1, 40)]
    lines.append("@article{bomb, title = s39, date = {2020}}")
    box.write("content/references/bomb.bib", "\n".join(lines) + "\n")
    box.article(HEAD + "\nSee [@bomb].\n")
    result = box.rejects("content/references/bomb.bib", None, "CITATIONS_PANDOC_MEMORY")
    assert "unknown citation key" not in result.stderr


# -- 4. sizes and linear scans ---------------------------------------------------------------------
def test_a_line_of_brackets_builds_quickly(box):
    box.article(HEAD + "\n" + "[" * 20_000 + f" [@{SEED_KEY}]\n")
    started = time.monotonic()
    box.accepts()
    assert time.monotonic() - started < 60  # was 162 s: each "[" rescanned the rest of the line


def test_nested_brackets_around_a_key_build_quickly(box):
    box.article(HEAD + "\n" + "[" * 5_000 + f"@{SEED_KEY}" + "; y]" * 5_000 + "\n")
    started = time.monotonic()
    box.accepts()
    assert time.monotonic() - started < 60


def test_a_bibliography_over_the_size_limit_is_refused(box):
    entry = "@article{{k{0}, title={{T}}, date={{2020}}, note={{" + "n" * 200 + "}}}}\n"
    box.write("content/references/huge.bib", "".join(entry.format(i) for i in range(30_000)))
    box.article(HEAD + "\nSee [@k1].\n")
    box.rejects("content/references/huge.bib", None, "(CONTENT_MAX_FILE_BYTES)")


# -- 5. caches that cannot lie ---------------------------------------------------------------------
def _seed_article(box: Sandbox) -> str:
    return box.article(HEAD + f"\nLow back pain is common [@{SEED_KEY}].\n")


def _truncate(files: list[Path]) -> None:
    assert files, "no cache file to damage"
    for path in files:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])


def test_truncated_formatted_cache_is_rebuilt_with_one_warning(box):
    _seed_article(box)
    assert box.accepts().returncode == 0
    _truncate(_cache_files(box, "formatted"))
    # The page's rendered citations are remembered too (plugins/pipeline.py Memo): that build does
    # not need the damaged file, and its page is right.
    result = box.accepts()
    assert "Hartvigsen <em>et al.</em>" in result.page("articles/hostile-citations/index.html")
    for memo in (box.project / ".cache").rglob("memo/citations-rendered.marshal"):
        memo.unlink()  # now the engine reads the damaged file: one warning, and it is rebuilt
    result = box.accepts()
    assert "Hartvigsen <em>et al.</em>" in result.page("articles/hostile-citations/index.html")
    assert result.stderr.count("damaged citation cache") == 1, result.stderr
    assert box.accepts().stderr.count("damaged citation cache") == 0  # rebuilt


def test_truncated_bib_cache_is_rebuilt_not_blamed_on_the_writer(box):
    _seed_article(box)
    _truncate(_cache_files(box, "bib"))
    result = box.accepts()
    assert "Hartvigsen <em>et al.</em>" in result.page("articles/hostile-citations/index.html")
    assert result.stderr.count("damaged citation cache") == 1, result.stderr


def test_a_cache_entry_that_parses_but_lies_is_discarded(box):
    _seed_article(box)
    assert box.accepts().returncode == 0
    for path in _cache_files(box, "formatted"):
        path.write_bytes(path.read_bytes().replace(b"Hartvigsen", SECRET.encode()))
    result = box.accepts()  # asserts the secret did not reach output/
    assert "Hartvigsen <em>et al.</em>" in result.page("articles/hostile-citations/index.html")


def test_ignore_cache_ignores_the_citation_caches(box):
    _seed_article(box)
    assert box.accepts().returncode == 0
    _truncate(_cache_files(box, "formatted") + _cache_files(box, "bib"))
    result = box.accepts("--ignore-cache")
    assert "damaged citation cache" not in result.stderr
    assert "Hartvigsen <em>et al.</em>" in result.page("articles/hostile-citations/index.html")
    assert "damaged citation cache" not in box.accepts().stderr  # --ignore-cache rewrote them


def test_yaml_alias_bomb_is_refused(box):
    lines = ['- id: bomb\n  type: book\n  title: &a0 "lol"']
    levels = [f"  x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    box.write("content/references/bomb.yaml", "\n".join(lines + levels) + "\n")
    box.article(HEAD + "\nSee [@bomb].\n")
    box.rejects("content/references/bomb.yaml", 4, "YAML aliases (*name) are not allowed")
