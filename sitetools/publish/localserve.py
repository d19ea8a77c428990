"""Run the shipped deploy/nginx.conf on 127.0.0.1, for the publish tests and the benchmark.

Only what cannot be the same on a test machine changes: the listen addresses (loopback, free
ports), the certificate (a self-signed one for 127.0.0.1, made here) and the document root. Every
header, the cache map, gzip/brotli_static and the 404 page are served exactly as shipped.
"""

from __future__ import annotations

import getpass
import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "deploy" / "nginx.conf"
BROTLI_MODULE = Path("/usr/share/nginx/modules-available/mod-http-brotli-static.conf")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {timeout} s")


def _replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise ValueError(f"deploy/nginx.conf: expected exactly one {old!r}")
    return text.replace(old, new)


@dataclass
class LocalNginx:
    process: subprocess.Popen
    port: int  # HTTPS, the site
    http_port: int  # plain HTTP, the redirect to HTTPS
    cert: Path  # the self-signed certificate to trust

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(3)  # SIGQUIT: graceful shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_nginx(root: Path, workdir: Path, workers: int = 1) -> LocalNginx:
    """Serve `root` (e.g. PATH/current) with the shipped config; stop it with .stop()."""
    if not BROTLI_MODULE.exists():
        raise RuntimeError(
            "deploy/nginx.conf needs brotli_static: apt-get install libnginx-mod-http-brotli-static"
        )
    workdir.mkdir(parents=True, exist_ok=True)
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    if not cert.exists():
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1"],
            check=True, capture_output=True,
        )  # fmt: skip
    port, http_port = free_port(), free_port()
    site = SHIPPED.read_text(encoding="utf-8")
    site = _replace_once(site, "    listen 443 ssl http2;\n", f"    listen 127.0.0.1:{port} ssl http2;\n")
    site = _replace_once(site, "    listen [::]:443 ssl http2;\n", "")
    site = _replace_once(site, "    listen 80;\n", f"    listen 127.0.0.1:{http_port};\n")
    site = _replace_once(site, "    listen [::]:80;\n", "")
    site = _replace_once(site, "/etc/letsencrypt/live/www.example.com/fullchain.pem", str(cert))
    site = _replace_once(site, "/etc/letsencrypt/live/www.example.com/privkey.pem", str(key))
    site = _replace_once(site, "root /srv/clinic-site/current;", f"root {root};")
    (workdir / "site.conf").write_text(site, encoding="utf-8")
    temps = "\n".join(
        f"    {kind}_temp_path {workdir / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # Workers run as whoever runs this (as root nginx would drop to `nobody`, who cannot read a
    # private temp folder); fine for a loopback test server, never what deploy/nginx.conf runs as.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    main = f"""daemon off;
{user}
worker_processes {workers};
pid {workdir / "nginx.pid"};
error_log {workdir / "error.log"} warn;
{BROTLI_MODULE.read_text().replace(" modules/", " /usr/lib/nginx/modules/")}
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
{temps}
    include {workdir / "site.conf"};
}}
"""
    conf = workdir / "nginx.conf"
    conf.write_text(main, encoding="utf-8")
    log = (workdir / "stderr.log").open("w")
    process = subprocess.Popen(
        ["/usr/sbin/nginx", "-c", str(conf), "-p", str(workdir)], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_for_port(port, process, "nginx")
    except RuntimeError as exc:
        logs = (workdir / "stderr.log").read_text() + (workdir / "error.log").read_text()
        raise RuntimeError(f"{exc}\n{logs}") from None
    return LocalNginx(process, port, http_port, cert)
