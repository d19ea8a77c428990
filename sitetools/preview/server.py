"""The preview's web server: the output folder on 127.0.0.1 (loopback Host headers only), each HTML
page with a small script that follows the builds through Server-Sent Events, and the error page that
replaces every page while the latest build has errors."""

from __future__ import annotations

import html
import json
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sitetools.serve import LocalOnly

HOST = "127.0.0.1"
STATUS_PATH = "/__live/status"  # the last build, as JSON (one request)
EVENTS_PATH = "/__live/events"  # the same after every build, pushed (text/event-stream)
KEEPALIVE_SECONDS = 15


class Status:
    """What the server tells the browser: the build number, and the diagnostics of a failed build."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.version = 0
        self.ok = True
        self.busy = True
        self.diagnostics: list[str] = []
        self.seconds = 0.0
        self.kind = ""

    def _data(self) -> bytes:
        data = {
            "version": self.version,
            "ok": self.ok,
            "busy": self.busy,
            "diagnostics": self.diagnostics,
            "seconds": round(self.seconds, 3),
            "kind": self.kind,
        }
        return json.dumps(data).encode()

    def as_json(self) -> bytes:
        with self.lock:
            return self._data()

    def publish(self, **values) -> None:
        """Set the fields and wake every event stream (call once a build has finished)."""
        with self.lock:
            for name, value in values.items():
                setattr(self, name, value)
            self.changed.notify_all()

    def next_event(self, seen: int | None, timeout: float) -> tuple[int, bytes] | None:
        """The status once its version is not `seen` (None after `timeout` seconds)."""
        with self.lock:
            if not self.changed.wait_for(lambda: self.version != seen and not self.busy, timeout):
                return None
            return self.version, self._data()


#: Follows the builds: on an event for a newer build, fetch the page again and swap its <main> in
#: (the rest of the page unchanged) or, when more changed, reload. EventSource reconnects by itself.
RELOAD_SCRIPT = (
    "<script>/* live preview only: never in a built site */(function(){{var v={version};"
    "function strip(b){{b=b.cloneNode(true);b.querySelectorAll('main,script').forEach(function(e)"
    "{{e.remove()}});return b.innerHTML}}"
    "function swap(){{fetch(location.href,{{cache:'no-store'}}).then(function(r){{return r.text()}})"
    ".then(function(t){{var d=new DOMParser().parseFromString(t,'text/html'),"
    "a=document.querySelector('main'),b=d.querySelector('main');"
    "if(b&&b.querySelector('script[src]')){{b=null}}"
    "if(a&&b&&!document.getElementById('live-preview-error')&&!d.getElementById('live-preview-error')"
    "&&d.title===document.title&&strip(d.body)===strip(document.body)){{a.replaceWith(document.adoptNode(b))}}"
    "else{{location.reload()}}}}).catch(function(){{location.reload()}})}}"
    "var es=new EventSource('{events}');es.onmessage=function(e){{var s=JSON.parse(e.data);"
    "if(s.version!==v){{v=s.version;swap()}}}}}})();</script>"
)


def reload_script(version: int) -> str:
    return RELOAD_SCRIPT.format(version=version, events=EVENTS_PATH)


def error_page(diagnostics: list[str], version: int) -> str:
    """The page shown instead of any page while the latest build has errors (every line escaped)."""
    lines = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in diagnostics)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Build failed: live preview</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{font:1rem/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}"
        "h1{color:#a00}li{margin:.5rem 0}code{white-space:pre-wrap;font-size:1rem}</style></head>"
        '<body><main><h1>The site could not be built</h1><p id="live-preview-error">Fix the problem below '
        "and save the file: this page updates by itself.</p>"
        f'<ul class="diagnostics">{lines}</ul>'
        "<p>What each message means: docs/writing.md, “When something is wrong”.</p></main>"
        f"{reload_script(version)}</body></html>\n"
    )


def make_handler(root: Path, status: Status, stopping: threading.Event):
    class Handler(LocalOnly, SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def do_HEAD(self) -> None:
            if not self.refused():  # a foreign Host header (DNS rebinding): 403, nothing read
                super().do_HEAD()

        def log_message(self, *args) -> None:  # the terminal is for build messages
            pass

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def do_GET(self) -> None:
            if self.refused():  # a foreign Host header (DNS rebinding): 403, nothing read
                return None
            path = self.path.split("?")[0]
            if path == STATUS_PATH:
                return self._send(HTTPStatus.OK, "application/json", status.as_json())
            if path == EVENTS_PATH:
                return self._events()
            fs_path = Path(self.translate_path(self.path))
            if fs_path.is_dir():
                if not path.endswith("/"):
                    return super().do_GET()  # the redirect to the folder with a slash
                fs_path = fs_path / "index.html"
            if fs_path.suffix != ".html":
                return super().do_GET()
            with status.lock:
                ok, version, lines = status.ok, status.version, list(status.diagnostics)
            if not ok:
                page = error_page(lines, version).encode()
                return self._send(HTTPStatus.OK, "text/html; charset=utf-8", page)
            code = HTTPStatus.OK
            if not fs_path.is_file():
                code, fs_path = HTTPStatus.NOT_FOUND, root / "404.html"
                if not fs_path.is_file():
                    return self.send_error(HTTPStatus.NOT_FOUND)
            text = fs_path.read_text(encoding="utf-8")
            at = text.rfind("</body>")
            script = reload_script(version)
            text = text[:at] + script + text[at:] if at >= 0 else text + script
            self._send(code, "text/html; charset=utf-8", text.encode())

        def _events(self) -> None:
            """Server-Sent Events: the status now, then after every build (a comment keeps it open)."""
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            seen = None
            try:
                while not stopping.is_set():
                    event = status.next_event(seen, KEEPALIVE_SECONDS)
                    if event is None:
                        self.wfile.write(b": still here\n\n")
                    else:
                        seen, data = event
                        self.wfile.write(b"data: " + data + b"\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _send(self, code, content_type: str, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve(root: Path, status: Status, port: int) -> tuple[ThreadingHTTPServer, int]:
    """Start the server in a thread; return it and its port."""
    stopping = threading.Event()
    server = ThreadingHTTPServer((HOST, port), make_handler(root, status, stopping))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]
