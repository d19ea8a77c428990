"""`python -m sitetools.cms [--port 8001] [--backend-port 8081] [--no-backend]`: the web editor.

Serves, on 127.0.0.1 only and only to a loopback Host header (as `invoke serve`):

- ``/admin/``: the editor page (``sitetools/cms/admin/index.html``) and its scripts (the header and
  timetable formats, the set-up), any file of ``sitetools/cms/admin/`` by name;
- ``/admin/decap/<file>``: Decap CMS's own bundle, read from ``node_modules/decap-cms/dist`` (nothing
  from a CDN; nothing copied into the repository or into ``output/``);
- ``/admin/config.yml``: generated on every request from the settings (``sitetools.cms.config``);
- ``/admin/site.css``: the theme's stylesheet, for the editor's preview;
- ``/admin/built/<path>``: the last check's scratch build, so the preview shows the entry's pictures;
- ``POST /admin/api/check``: ``{"path", "text"}`` → the build's findings for the entry and its page
  (``sitetools.cms.check``); JSON only (a page on another site cannot send it without asking).

It also starts Decap's local backend, ``decap-server`` (``MODE=fs``), bound to 127.0.0.1, as its
child, with the content folder as its root (it can read and write nothing else: not the settings,
not the code), and stops it by its PID when it stops.
"""

from __future__ import annotations

import argparse
import atexit
import json
import mimetypes
import os
import signal
import socket
import subprocess
import sys
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitetools.cms import check, config
from sitetools.serve import LOCAL_HOST, LocalOnly

HOST = "127.0.0.1"
ADMIN = Path(__file__).resolve().with_name("admin")
MAX_BODY = 4 * 1024 * 1024  # an entry is at most CONTENT_MAX_FILE_BYTES (2 MiB) of text, JSON-escaped
DECAP_DIST = ("node_modules", "decap-cms", "dist")
DECAP_SERVER = ("node_modules", "decap-server", "dist", "index.js")
HOST_GUARD = Path(__file__).resolve().with_name("host_guard.js")  # decap-server checks no Host header


def decap_dist(project: Path) -> Path:
    return project.joinpath(*DECAP_DIST)


def make_handler(project: Path, settings_file: str, backend_url: str | None):
    dist = decap_dist(project)

    class Handler(LocalOnly, BaseHTTPRequestHandler):
        server_version = "clinic-cms"

        def log_message(self, *args) -> None:
            pass

        def _send(self, code, content_type: str, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _file(self, path: Path) -> None:
            if not path.is_file():
                return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/javascript", "text/javascript"):
                kind += "; charset=utf-8"
            return self._send(HTTPStatus.OK, kind, path.read_bytes())

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            if self.refused():
                return None
            path = urlsplit(self.path).path
            if path in ("/", "/admin"):
                self.send_response(HTTPStatus.FOUND)
                self.send_header("Location", "/admin/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if path == "/admin/":
                return self._file(ADMIN / "index.html")
            if path == "/admin/config.yml":
                settings = config.load_settings(project, settings_file)
                text = config.to_yaml(config.decap_config(settings, project, backend_url))
                return self._send(HTTPStatus.OK, "text/yaml; charset=utf-8", text.encode())
            if path == "/admin/site.json":
                settings = config.load_settings(project, settings_file)
                prefix = Path(settings["PATH"]).resolve().relative_to(project.resolve()).as_posix() + "/"
                data = config.site_data(settings, prefix)
                return self._send(HTTPStatus.OK, "application/json", json.dumps(data).encode())
            if path == "/admin/site.css":
                return self._file(project / "theme" / "static" / "css" / "site.css")
            if path.startswith(check.BUILT):  # the scratch build of the last check: its pictures
                built = (project / check.SCRATCH / "output").resolve()
                target = (built / unquote(path[len(check.BUILT) :])).resolve()
                target = target / "index.html" if target.is_dir() else target
                if target.is_relative_to(built) and target.is_file():
                    return self._file(target)
                return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n")
            name = path.rpartition("/")[2]
            if path.startswith("/admin/decap/") and path.count("/") == 3 and not name.startswith("."):
                return self._file(dist / name)  # one file of Decap's bundle, by name only
            if path.count("/") == 2 and path.startswith("/admin/") and not name.startswith("."):
                return self._file(ADMIN / name)
            return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n")

        def do_POST(self) -> None:
            if self.refused():
                return None
            origin = self.headers.get("Origin")
            if origin and not LOCAL_HOST.fullmatch(urlsplit(origin).netloc or "-"):
                return self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", b"foreign origin\n")
            if urlsplit(self.path).path != "/admin/api/check":
                return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n")
            if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                return self._send(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "text/plain", b"JSON only\n")
            length = self.headers.get("Content-Length") or ""
            length = int(length) if length.isdigit() else 0
            if not 0 < length <= MAX_BODY:
                return self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "text/plain", b"too large\n")
            try:
                request = json.loads(self.rfile.read(length))
                result = check.check_entry(project, str(request["path"]), str(request["text"]))
            except (ValueError, KeyError, TypeError) as exc:
                body = json.dumps({"error": str(exc)}).encode()
                return self._send(HTTPStatus.BAD_REQUEST, "application/json", body)
            return self._send(HTTPStatus.OK, "application/json", json.dumps(result).encode())

    return Handler


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Backend:
    """decap-server (Decap's local backend) on 127.0.0.1, a child process stopped by its PID."""

    def __init__(self, project: Path, content: Path, port: int) -> None:
        script = project.joinpath(*DECAP_SERVER)
        if not script.is_file():
            raise SystemExit(
                f"{script.relative_to(project)} is missing: run `npm ci --ignore-scripts` in the project "
                "folder (make test does it) to install Decap CMS and decap-server."
            )
        self.port = port or free_port()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", str(project)),
            "PORT": str(self.port),
            "BIND_HOST": HOST,
            "MODE": "fs",
            "GIT_REPO_DIRECTORY": str(content),  # its root: it can read and write nothing outside content/
            "LOG_LEVEL": "warn",
        }
        # Started in the editor's own folder so dotenv finds no .env file to read settings from.
        self.proc = subprocess.Popen(
            ["node", "--require", str(HOST_GUARD), str(script)], cwd=ADMIN, env=env, stdin=subprocess.DEVNULL
        )
        atexit.register(self.stop)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"decap-server stopped at start-up (exit {self.proc.returncode})")
            try:
                socket.create_connection((HOST, self.port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            self.stop()
            raise SystemExit("decap-server did not start within 20 s")
        self.url = f"http://{HOST}:{self.port}/api/v1"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def stop_as_interrupt(signum, frame) -> None:
    """A TERM signal ends the process the way Ctrl-C does, so its `finally` blocks stop its children."""
    raise KeyboardInterrupt


def ignore_stop_signals() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--port", type=int, default=8001, help="port of /admin/ on 127.0.0.1 (0: any free port)"
    )
    parser.add_argument(
        "--backend-port", type=int, default=8081, help="decap-server's port (0: any free port)"
    )
    parser.add_argument("--no-backend", action="store_true", help="do not start decap-server")
    parser.add_argument("--settings", default="pelicanconf.py", help="settings file (default: %(default)s)")
    args = parser.parse_args(argv)
    project = Path.cwd()
    if not decap_dist(project).is_dir():
        print(
            "node_modules/decap-cms is missing: run `npm ci --ignore-scripts` in the project folder.",
            file=sys.stderr,
        )
        return 1
    # A TERM (from `invoke cms` stopping, or a test) ends the server the way Ctrl-C does.
    signal.signal(signal.SIGTERM, stop_as_interrupt)
    backend = None
    try:
        if not args.no_backend:
            content = Path(config.load_settings(project, args.settings)["PATH"]).resolve()
            backend = Backend(project, content, args.backend_port)
        url = backend.url if backend else f"http://{HOST}:{args.backend_port}/api/v1"
        try:
            server = ThreadingHTTPServer((HOST, args.port), make_handler(project, args.settings, url))
        except OSError as exc:
            print(f"Cannot serve on {HOST}:{args.port}: {exc.strerror}; use --port.", file=sys.stderr)
            return 1
        server.daemon_threads = True
        where = f"decap-server on {url}, PID {backend.proc.pid}" if backend else f"backend expected on {url}"
        print(
            f"Web editor on http://{HOST}:{server.server_address[1]}/admin/ ({where}; Ctrl-C to stop)",
            flush=True,
        )
        try:
            server.serve_forever()
        finally:
            server.server_close()
    except KeyboardInterrupt:
        pass
    finally:
        ignore_stop_signals()  # a second Ctrl-C or TERM must not interrupt the clean-up
        if backend:
            backend.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
