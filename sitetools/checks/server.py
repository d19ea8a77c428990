"""A static server for the checks and browser tests: 127.0.0.1 only, started and stopped by PID.

    with serve(Path("output")) as base_url:   # e.g. "http://127.0.0.1:41234/"
        ...

It runs in a child process (`python -m sitetools.checks.server DIR`), picks a free port, prints
it, and is stopped by its PID when the block ends, so no server outlives a check or a test.
Every response carries a `LinkChecker` header: linkchecker then lifts its politeness delay
(about 0.35 s per request otherwise) for this host, which is ours.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

HOST = "127.0.0.1"


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
    }

    def end_headers(self) -> None:
        self.send_header("LinkChecker", "local")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args) -> None:  # quiet: the checks report what matters
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser that stopped reading is normal
            super().handle_error(request, client_address)


def main(argv: list[str] | None = None) -> None:
    root = Path((argv or sys.argv[1:])[0]).resolve()
    handler = functools.partial(_Handler, directory=str(root))
    with _Server((HOST, 0), handler) as server:
        print(server.server_address[1], flush=True)
        server.serve_forever()


@contextlib.contextmanager
def serve(root: str | os.PathLike) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 in a child process; yield its base URL; stop it by PID."""
    root = Path(root)
    if not (root / "index.html").is_file():
        raise FileNotFoundError(f"{root}/index.html does not exist: build the site first (`invoke build`)")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitetools.checks.server", str(root)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        port = (proc.stdout.readline() or "").strip()
        if not port.isdigit():
            raise RuntimeError(f"the static server for {root} did not start")
        yield f"http://{HOST}:{port}/"
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        proc.stdout.close()


if __name__ == "__main__":
    main()
