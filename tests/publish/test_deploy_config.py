"""The shipped server configuration: deploy/nginx.conf run on 127.0.0.1, and deploy/_headers for CDNs.

Both server blocks (plain HTTP, which only redirects, and HTTPS) are checked on the wire: no nginx
version in `Server:` or in nginx's own error pages, and the cross-origin isolation headers on every
response, errors included.
"""

from __future__ import annotations

import re
import socket
import ssl
from email.parser import BytesHeaderParser

import pytest

from sitetools.publish import files
from sitetools.publish.localserve import start_nginx
from tests.publish.conftest import ROOT

ISOLATION = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Resource-Policy": "same-origin"}
VERSION = re.compile(rb"nginx/\d")


def _server_blocks() -> list[str]:
    return re.split(r"^server \{$", (ROOT / "deploy" / "nginx.conf").read_text(), flags=re.M)[1:]


def _block_headers(block: str) -> dict[str, str]:
    return {m[0]: m[1] for m in re.findall(r'add_header ([\w-]+) "([^"]*)" always;', block)}


def _cdn_headers() -> dict[str, str]:
    lines = (ROOT / "deploy" / "_headers").read_text().splitlines()
    return {
        k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines if line.startswith("  "))
    }


def test_nginx_and_cdn_send_the_same_security_headers():
    http, https = _server_blocks()
    cdn = _cdn_headers()
    assert cdn == _block_headers(https)
    assert set(cdn) == {
        "Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy",
        "Permissions-Policy", *ISOLATION,
    }  # fmt: skip
    assert "unsafe-inline" not in cdn["Content-Security-Policy"]
    assert cdn["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert _block_headers(http) == ISOLATION
    for block in (http, https):
        assert "server_tokens off;" in block


def test_nginx_cache_map_matches_the_publish_policy():
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    assert f'"~{files.FINGERPRINTED.pattern}" "{files.IMMUTABLE}";' in text
    assert f'default "{files.REVALIDATE}";' in text


def test_comments_cite_tests_that_exist():
    cited = {}
    for path in [*(ROOT / "deploy").iterdir(), *(ROOT / "sitetools" / "publish").glob("*.py")]:
        for name in re.findall(r"tests/[\w/]+\.py", path.read_text(encoding="utf-8")):
            cited.setdefault(name, []).append(path.relative_to(ROOT).as_posix())
    assert cited, "the deploy files name the tests that keep them honest"
    assert {name: where for name, where in cited.items() if not (ROOT / name).is_file()} == {}


# --- on the wire ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    site = tmp_path_factory.mktemp("deploy-site")
    (site / "index.html").write_text("<!doctype html><title>Home</title><p>home")
    (site / "404.html").write_text("<!doctype html><title>Not found</title><p>not found")
    (site / "theme").mkdir()  # a folder without index.html: nginx answers with its own 403 page
    (site / "theme" / "site.css").write_text("body{}")
    (site / "classes").mkdir()
    (site / "classes" / "all-classes.ics").write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    (site / "videos").mkdir()
    (site / "videos" / "bridge.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n")
    server = start_nginx(site, tmp_path_factory.mktemp("deploy-nginx"))
    yield server
    server.stop()


def exchange(server, port: int, request: bytes, tls: bool) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes (nginx answers even malformed requests) and read the whole response."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    if tls:
        context = ssl.create_default_context(cafile=str(server.cert))
        sock = context.wrap_socket(sock, server_hostname="127.0.0.1")
    with sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, _, fields = head.partition(b"\r\n")
    headers = BytesHeaderParser().parsebytes(fields)
    return int(status_line.split()[1]), dict(headers.items()), body


def get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()


@pytest.mark.parametrize(
    ("block", "request_bytes", "status"),
    [
        ("http", get("/about/"), 301),  # the redirect to HTTPS
        ("http", b"NONSENSE\r\n\r\n", 400),  # nginx's own error page
        ("https", get("/"), 200),
        ("https", get("/no-such-page/"), 404),  # the site's 404 page
        ("https", get("/theme/"), 403),  # nginx's own error page
        ("plain-to-https", get("/"), 400),  # nginx's own "plain HTTP request was sent to HTTPS port"
    ],
)
def test_no_version_and_cross_origin_isolation_on_every_response(nginx, block, request_bytes, status):
    port = nginx.http_port if block == "http" else nginx.port
    got, headers, body = exchange(nginx, port, request_bytes, tls=block == "https")
    assert got == status
    assert headers["Server"] == "nginx"  # not nginx/1.22.1
    assert not VERSION.search(body), body
    for name, value in ISOLATION.items():
        assert headers.get(name) == value, name
    if block != "http":  # the site's block sends every header of deploy/_headers, errors included
        assert {name: headers.get(name) for name in _cdn_headers()} == _cdn_headers()


def test_calendar_feeds_are_served_as_calendars_with_the_same_headers(nginx):
    """Debian's mime.types has no .ics: without the site's own rule nginx would send
    application/octet-stream, which (with nosniff) calendar apps and browsers refuse to subscribe to."""
    got, headers, body = exchange(nginx, nginx.port, get("/classes/all-classes.ics"), tls=True)
    assert got == 200 and body.startswith(b"BEGIN:VCALENDAR")
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert {name: headers.get(name) for name in _cdn_headers()} == _cdn_headers()
    assert headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    from sitetools.publish.files import content_type

    assert content_type("classes/all-classes.ics") == headers["Content-Type"]  # the s3 target agrees


def test_video_captions_are_served_as_webvtt(nginx):
    """nginx's mime.types has no .vtt: sent as application/octet-stream (with nosniff), Firefox loads no
    captions, so a video's required captions would be missing for its visitors."""
    got, headers, body = exchange(nginx, nginx.port, get("/videos/bridge.vtt"), tls=True)
    assert got == 200 and body.startswith(b"WEBVTT")
    assert headers["Content-Type"] == "text/vtt; charset=utf-8"
    assert {name: headers.get(name) for name in _cdn_headers()} == _cdn_headers()
    from sitetools.publish.files import content_type

    assert content_type("videos/bridge.vtt") == headers["Content-Type"]  # the s3 target agrees
