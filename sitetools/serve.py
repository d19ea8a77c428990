"""`invoke serve`: the built site on http://127.0.0.1:8000/, served as the web server serves it.

- Binds 127.0.0.1 only, and answers only requests whose Host header is 127.0.0.1, localhost or
  [::1] (with any port): a page on another site that points its own host name at 127.0.0.1 (DNS
  rebinding) gets 403, so it cannot read the preview (drafts included) through the browser.
- A missing path gets the site's own 404 page with status 404; a folder without index.html
  gets the same (no folder listings); `/x` redirects to `/x/` when that is a folder.
- Each request reads the output folder afresh, so a build that swaps in a new site is served at once.
- Every response carries the site's Content-Security-Policy, the one deploy/_headers and
  deploy/nginx.conf send (less `upgrade-insecure-requests`: the preview is plain http), so a page
  that works here works on the server: no script from elsewhere, frames from youtube-nocookie.com
  and player.vimeo.com only (the video facade, after a click).

`python -m sitetools.serve [--output output] [--port 8000]`; sitetools.preview uses the Host check.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"
HEADERS_FILE = Path(__file__).resolve().parents[1] / "deploy" / "_headers"


def content_security_policy(headers_file: Path = HEADERS_FILE) -> str:
    """The CSP of deploy/_headers, for a plain-http preview (no `upgrade-insecure-requests`)."""
    for line in headers_file.read_text(encoding="utf-8").splitlines():
        name, _, value = line.strip().partition(":")
        if name.lower() == "content-security-policy":
            parts = [p.strip() for p in value.split(";") if p.strip()]
            return "; ".join(p for p in parts if p != "upgrade-insecure-requests")
    raise ValueError(f"{headers_file} has no Content-Security-Policy line")


LOCAL_HOST = re.compile(r"(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?", re.IGNORECASE)
REFUSED = (
    b"403 Forbidden: this preview answers only to http://127.0.0.1/ or http://localhost/ "
    b"(the Host header named another site).\n"
)


def host_allowed(host: str | None) -> bool:
    """Is this Host header one of the loopback names (DNS rebinding sends the attacker's name)?"""
    return bool(host) and LOCAL_HOST.fullmatch(host.strip()) is not None


class LocalOnly:
    """Mix into a request handler: `refused()` answers 403 to a foreign Host and returns True."""

    def refused(self) -> bool:
        if host_allowed(self.headers.get("Host")):
            return False
        self.send_response(HTTPStatus.FORBIDDEN)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(REFUSED)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(REFUSED)
        self.close_connection = True
        return True


def make_handler(root: Path):
    policy = content_security_policy()

    class Handler(LocalOnly, SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", policy)
            super().end_headers()

        def do_GET(self) -> None:
            if not self.refused():
                super().do_GET()

        def do_HEAD(self) -> None:
            if not self.refused():
                super().do_HEAD()

        def list_directory(self, path):  # a folder without index.html: not found, as on the server
            self.send_error(HTTPStatus.NOT_FOUND)
            return None

        def send_error(self, code, message=None, explain=None) -> None:
            page = root / "404.html"
            if code != HTTPStatus.NOT_FOUND or not page.is_file():
                return super().send_error(code, message, explain)
            body = page.read_bytes()
            self.send_response(code)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return None

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser that stopped reading is normal
            super().handle_error(request, client_address)


def serve(output: Path, port: int) -> int:
    if not (output / "index.html").is_file():
        print(
            f"{output.name}/ has no site to serve: run `make build` (or `invoke build`) first.",
            file=sys.stderr,
        )
        return 1
    handler = make_handler(output)  # reads the CSP from deploy/_headers (a missing file says so)
    try:
        server = Server((HOST, port), handler)
    except OSError as exc:
        print(
            f"Cannot serve on {HOST}:{port}: {exc.strerror}; stop the program using that port, "
            f"or choose another with `invoke serve --port {port + 1}`.",
            file=sys.stderr,
        )
        return 1
    print(f"Serving {output.name}/ on http://{HOST}:{server.server_address[1]}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default="output", help="the built site (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0: any free port)")
    args = parser.parse_args(argv)
    output = Path(args.output)
    return serve(output if output.is_absolute() else Path(os.getcwd()) / output, args.port)


if __name__ == "__main__":
    sys.exit(main())
