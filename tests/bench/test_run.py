"""`python -m bench.run` end to end on a tiny corpus: every row of the table is there.

No timing is asserted (a benchmark measures speed; a test only checks that it measures).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

ROWS = [
    "1. full build (our caches warm)",
    "1p. the same vs the `pelican` command itself",
    "1c. full build, first ever (our caches empty)",
    "2. content cache warm, one article edited",
    "3. edit → shown in Chromium (invoke livereload)",
    "4. peak memory, row 1 (all processes)",
    "4. peak memory, row 1 (build process)",
    "4. peak memory, row 2 (all processes)",
    "4. peak memory, row 2 (build process)",
    "4p. Pagefind, background after row 1 (A: time, B: peak)",
    "5. bytes, home page (HTML+CSS, gzip)",
    "5. bytes, article page (HTML+CSS, gzip)",
    "5. bytes, page page (HTML+CSS, gzip)",
    "5. bytes, category page (HTML+CSS, gzip)",
    "6a. cold extra: ours (1c − 1) vs pandoc per article",
    "6b. full build: ours vs Hugo (minimal layouts)",
    "7. citations plugin alone vs off (citation cache warm)",
    "7c. citations plugin alone vs off (citation cache empty)",
]


@pytest.mark.slow
def test_bench_prints_every_row_with_a_ratio(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--articles", "5", "--runs", "1", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("corpus: 5 articles, 200 references; 1 runs per side")
    labels = [line.split("  ")[0] for line in lines[4:]]
    assert labels == ROWS, proc.stdout
    for line in lines[4:8]:  # the timed A/B rows: median (spread) for each side and a ratio
        assert line.count(" s (") == 2 and float(line.split()[-1]) > 0, line
    for line in lines[9:13]:
        assert line.count(" MiB (") == 2 and float(line.split()[-1]) > 0, line
    row3 = lines[8]
    assert " s (" in row3 or "not available:" in row3, row3  # a number, or why there is none
    row4p = lines[13]  # Pagefind, indexing in the background after each development build of row 1
    assert row4p.count(" s (") == 1 and row4p.count(" MiB (") == 1, row4p
    for line in lines[14:18]:
        assert line.rstrip().endswith(("ok", "OVER")) and "kB" in line, line
    assert (tmp_path / "corpus-5" / "content" / "articles" / "bench-00004.md").is_file()
