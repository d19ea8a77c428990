"""The work after every generator (citations, reading time, reading age, citation lint) is kept between
builds (plugins/pipeline.py ``Memo``, CACHE_PATH/memo): a build that finds it writes exactly what a
build from scratch writes, reports the same findings with their files and lines, and an edited page
is worked out again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_project, run_build
from tests.site.test_parallel import SEED, differences

TYPED = "Hartvigsen et al. 2018"  # a citation typed as text: the citation lint names its line
#: Long sentences of long words: a reading age far above the target (a warning naming the file).
HARD = (
    "Notwithstanding considerable methodological heterogeneity, contemporary epidemiological "
    "investigations consistently demonstrate that graduated musculoskeletal conditioning "
    "interventions substantially ameliorate intervertebral degeneration characteristics. "
) * 4
NOTE = "content/articles/2025-02-01-hard-note.md"


def _memo_files(project: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (project / ".cache").rglob("memo/*.marshal")}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The project with one more article (a typed citation, a hard paragraph), built from scratch, then
    again with the memo; then edited (the hard paragraph made plain) and built with the memo again."""
    tmp = tmp_path_factory.mktemp("memo")
    project = copy_project(tmp / "project")
    seed = (project / SEED).read_text(encoding="utf-8")
    head, _, body = seed.partition("\n\n")
    head = head.replace("Title: Back Pain: How Running Can Help, Not Harm", "Title: Hard Note")
    head = "\n".join(line for line in head.splitlines() if not line.startswith("Summary:"))
    text = f"{head}\n\nAs {TYPED} showed, back pain is common.\n\n{HARD}\n\n{body}"
    (project / NOTE).write_text(text, encoding="utf-8")
    cold = run_build(project, tmp / "cold", "--ignore-cache")
    memos = _memo_files(project)
    warm = run_build(project, tmp / "warm")
    after = _memo_files(project)
    (project / NOTE).write_text(text.replace(HARD, "Walk a bit. Then run a bit. Rest when you need to.\n"))
    edited = run_build(project, tmp / "edited")
    return cold, warm, edited, memos, after


def test_a_build_with_the_memo_writes_what_a_build_from_scratch_writes(builds):
    cold, warm, _, memos, after = builds
    assert cold.returncode == 0 and warm.returncode == 0, cold.stderr + warm.stderr
    assert {
        "reading.marshal",
        "reading-age.marshal",
        "citation-lint.marshal",
        "citations-rendered.marshal",
    } <= set(memos)
    assert after == memos  # everything was found: nothing computed, nothing written
    assert differences(cold.output, warm.output) == []
    indexer = "search: indexing"  # the background indexer's line names its PID and folder
    assert [line for line in cold.stderr.splitlines()[:-1] if not line.startswith(indexer)] == [
        line for line in warm.stderr.splitlines()[:-1] if not line.startswith(indexer)
    ]


def test_findings_are_reported_with_their_file_from_the_memo(builds):
    cold, warm, _, _, _ = builds
    for result in (cold, warm):
        lines = result.stderr.splitlines()
        typed = f"{NOTE}:9: warning: '{TYPED}' is a citation typed as plain text"  # line 9: after the header
        assert any(line.startswith(typed) for line in lines), result.stderr
        assert any(line.startswith(f"{NOTE}: warning: reading age 15.6") for line in lines), result.stderr


def test_an_edited_page_is_worked_out_again(builds):
    cold, _, edited, _, _ = builds
    assert edited.returncode == 0, edited.stderr
    assert not any(line.startswith(f"{NOTE}: warning: reading age") for line in edited.stderr.splitlines())
    page = (edited.output / "articles/hard-note/index.html").read_text(encoding="utf-8")
    assert "Walk a bit. Then run a bit." in page and "Notwithstanding" not in page
    # the summary made from the opening paragraphs (reading plugin): the new text's
    home, before = [(out.output / "index.html").read_text(encoding="utf-8") for out in (edited, cold)]
    assert "Walk a bit." in home and "Notwithstanding" not in home
    assert "Notwithstanding" in before
