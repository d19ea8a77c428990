"""Requests per second of the shipped nginx.conf serving a built site, measured with wrk on 127.0.0.1.

    python -m bench.nginx SITE_DIR [--seconds 10] [--connections 32]

Serves a precompressed copy of SITE_DIR exactly as `invoke publish --target ssh` leaves it, then
runs Debian's `wrk` for a bounded time against a few pages, plain and gzip/brotli-encoded.
A benchmark, not a test: it prints figures and asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from sitetools.publish.files import precompress
from sitetools.publish.localserve import start_nginx


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--path", action="append", help="page to request (default: / and the 404 page)")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="bench-") as temp:
        site = Path(temp) / "site"
        shutil.copytree(args.site, site)
        precompress(site, ["gzip", "br"])
        server = start_nginx(site, Path(temp) / "nginx", workers=2)
        try:
            for path in args.path or ["/", "/no-such-page/"]:
                for encoding in ("identity", "gzip", "br"):
                    out = subprocess.run(
                        ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "-H",
                         f"Accept-Encoding: {encoding}", server.url + path],
                        capture_output=True, text=True, timeout=args.seconds + 30, check=True,
                    ).stdout  # fmt: skip
                    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
                    latency = re.search(r"Latency\s+(\S+)", out)
                    print(f"{path:<50} {encoding:<8} {rate[1] if rate else '?':>10} req/s   mean latency "
                          f"{latency[1] if latency else '?'}", flush=True)  # fmt: skip
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
