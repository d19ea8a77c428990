"""`invoke serve` (sitetools/serve.py): the built site on 127.0.0.1 as the web server serves it."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sitetools.search import wait_for_index
from tests.conftest import ROOT, copy_project
from tests.site.test_tasks import invoke


@pytest.fixture
def server(site):
    """`invoke serve` on a free port, in its own process group (invoke runs the server as a child)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "invoke", "serve", "--port", "0", "--output", str(site.output)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    line = proc.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert match, f"no server line: {line!r} {proc.stderr.read() if proc.poll() is not None else ''}"
    yield int(match.group(1))
    os.killpg(proc.pid, signal.SIGINT)  # the group this fixture started: invoke and its server
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    proc.stdout.close()
    proc.stderr.close()


def get(port: int, path: str, host: str | None = None, method: str = "GET") -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": host} if host is not None else {}
    conn.request(method, path, headers=headers)
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body


def listening_addresses(port: int) -> set[str]:
    """The local addresses of sockets listening on `port` (/proc/net/tcp and tcp6, hex)."""
    found = set()
    for name in ("tcp", "tcp6"):
        table = Path(f"/proc/net/{name}")
        if not table.exists():
            continue
        for row in table.read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, _, hex_port = local.rpartition(":")
            if int(hex_port, 16) == port and state == "0A":  # LISTEN
                found.add(address)
    return found


def test_a_missing_page_gets_the_site_404_page_with_status_404(server, site):
    status, body = get(server, "/no-such-page/")
    assert status == 404
    assert body == (site.output / "404.html").read_text(encoding="utf-8")
    assert get(server, "/articles/")[0] == 404  # a folder without index.html: no listing
    assert get(server, "/no-such-page/", method="HEAD")[0] == 404
    status, body = get(server, "/")
    assert status == 200 and body == (site.output / "index.html").read_text(encoding="utf-8")


def test_serve_binds_127_0_0_1_and_answers_only_to_a_loopback_host(server):
    assert listening_addresses(server) == {"0100007F"}  # 127.0.0.1, and nothing else
    for host in (f"127.0.0.1:{server}", f"localhost:{server}", "LOCALHOST", f"[::1]:{server}"):
        assert get(server, "/", host=host)[0] == 200, host
    # DNS rebinding: a page on evil.example points its name at 127.0.0.1; the browser sends its name.
    for host in (f"evil.example:{server}", "127.0.0.1.evil.example", "localhost.evil.example", ""):
        status, body = get(server, "/", host=host)
        assert status == 403, host
        assert "answers only to http://127.0.0.1/" in body and "<html" not in body


def test_invoke_build_ends_with_how_to_look_at_the_site(tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.copy2(ROOT / "tasks.py", project / "tasks.py")
    result = invoke(project, "build")
    wait_for_index(project / "output", timeout=300)  # its search index, made in the background
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip().splitlines()[-1].startswith("View it: make serve → http://127.0.0.1:8000/")
    ), result.stdout
    assert (project / "output" / "index.html").is_file()
