"""Real servers on 127.0.0.1 for the publish tests (sshd, nginx, SeaweedFS), stopped by PID, and
the sites they publish: the real site built once with the production settings (tests/publish/
testconf.py supplies non-demo clinic details), plus two derived releases.
"""

from __future__ import annotations

import contextlib
import getpass
import itertools
import os
import posixpath
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitetools.publish.localserve import free_port, start_nginx, wait_for_port
from tests.conftest import ROOT, run_build

TESTCONF = "tests/publish/testconf.py"
SITEURL = "https://physio.clinic.test"  # testconf.py's
WEED = Path(sys.executable).with_name("weed")
S3_KEY, S3_SECRET = "publish-test-key", "publish-test-secret-0123456789"


def _need(*commands: str) -> None:
    missing = [c for c in commands if not shutil.which(c) and not Path(c).exists()]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: `make test` installs them (APT_PACKAGES in the Makefile)")


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- sites ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real site, built once with the production settings and non-demo clinic details."""
    out = tmp_path_factory.mktemp("publish-site") / "output"
    result = run_build(ROOT, out, "--ignore-cache", settings=TESTCONF)
    assert result.returncode == 0, result.stderr
    return out


@dataclass
class Releases:
    one: Path  # the real site + a fingerprinted stylesheet + a page that release two drops
    two: Path  # changed home page, a new page, the dropped page gone
    big: Path  # release two + 24 MB of new images (a publish slow enough to interrupt)


@pytest.fixture(scope="session")
def releases(real_site, tmp_path_factory) -> Releases:
    base = tmp_path_factory.mktemp("releases")
    one = base / "one"
    shutil.copytree(real_site, one)
    (one / "theme" / "css" / "site.0123abcd.css").write_text("body { color: #111; }\n" * 40)
    (one / "retired").mkdir()
    (one / "retired" / "index.html").write_text("<!doctype html><title>Retired</title><p>Release one only")
    two = base / "two"
    shutil.copytree(one, two)
    shutil.rmtree(two / "retired")
    index = two / "index.html"
    index.write_text(index.read_text().replace("</main>", "<p>Release two is live.</p></main>", 1))
    (two / "new-page").mkdir()
    (two / "new-page" / "index.html").write_text("<!doctype html><title>New</title><p>Release two only")
    big = base / "big"
    shutil.copytree(two, big)
    images = big / "images" / "bulk"
    images.mkdir(parents=True)
    for n in range(24):
        (images / f"photo-{n:02d}.jpg").write_bytes(os.urandom(1024 * 1024))
    return Releases(one, two, big)


# --- publishing -------------------------------------------------------------------------------
def publish_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "sitetools.publish", *args, "--settings", TESTCONF]


def run_publish(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(publish_argv(*args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def start_publish(env: dict, *args: str) -> subprocess.Popen:
    """A publish in its own process group, so a test can kill it with its rsync/ssh children."""
    return subprocess.Popen(
        publish_argv(*args), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )  # fmt: skip


def kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):  # it had already finished
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def kill_at(env: dict, step: str, *args: str) -> str:
    """Start a publish that pauses at `step` (PUBLISH_TEST_PAUSE), SIGKILL it there; return its output."""
    process = start_publish({**env, "PUBLISH_TEST_PAUSE": step}, *args)
    seen, deadline = [], time.monotonic() + 90
    for line in process.stdout:
        seen.append(line)
        if line.startswith(f"publish: paused at {step!r}"):
            break
        assert time.monotonic() < deadline, "".join(seen)
    else:
        raise AssertionError(f"the publish ended without pausing at {step!r}:\n{''.join(seen)}")
    kill_group(process)
    return "".join(seen)


# --- "one whole release" --------------------------------------------------------------------------
class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and name in ("href", "src"):
                self.urls.append(value)
            elif value and name == "srcset":
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]


def reachable(release: Path) -> set[str]:
    """Every file of `release` a visitor reaches from its home page: pages followed link by link, and
    every asset, feed and image they reference (site-relative names, e.g. "about/index.html")."""
    seen, todo = set(), ["index.html"]
    while todo:
        name = todo.pop()
        if name in seen or not (release / name).is_file():
            continue
        seen.add(name)
        if not name.endswith(".html"):
            continue
        parser = _Links()
        parser.feed((release / name).read_text(encoding="utf-8"))
        for url in parser.urls:
            url = url.replace(SITEURL, "", 1) if url.startswith(SITEURL) else url
            parts = urllib.parse.urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another site, mailto:, tel:, or a #fragment of this page
            path = urllib.parse.unquote(parts.path)
            path = path if path.startswith("/") else posixpath.join("/" + posixpath.dirname(name), path)
            target = posixpath.normpath(path).lstrip("/")
            if path.endswith("/") or (release / target).is_dir():
                target = posixpath.join(target, "index.html")
            todo.append(target)
    return seen


def assert_one_whole_release(read: Callable[[str], bytes | None], candidates: dict[str, Path]) -> str:
    """The live site is one whole release: its home page is one candidate's, and every file reachable
    from that home page exists live, byte for byte that release's. Returns the release's name."""
    home = read("index.html")
    matching = [label for label, path in candidates.items() if (path / "index.html").read_bytes() == home]
    assert len(matching) == 1, f"the live home page is none (or several) of {sorted(candidates)}"
    release = candidates[matching[0]]
    names = reachable(release)
    assert len(names) > 20, names  # pages, stylesheets, images, feeds: the crawl really ran
    wrong = sorted(name for name in names if read(name) != (release / name).read_bytes())
    assert wrong == [], f"live files that are not release {matching[0]}'s"
    return matching[0]


def base_env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PUBLISH_", "TEST_"))}
    env["TEST_RELEASES_DIR"] = str(tmp_path / "releases-kept")
    return env


# --- sshd -------------------------------------------------------------------------------------
@dataclass
class SSHServer:
    port: int
    key: Path
    known_hosts: Path

    def env(self, tmp_path: Path, path: Path) -> dict:
        env = base_env(tmp_path)
        env.update(
            TEST_SSH_PORT=str(self.port), TEST_SSH_PATH=str(path), TEST_SSH_KNOWN_HOSTS=str(self.known_hosts),
            PUBLISH_SSH_KEY=str(self.key),
        )  # fmt: skip
        return env


@pytest.fixture(scope="session")
def sshd(tmp_path_factory):
    _need("/usr/sbin/sshd", "ssh", "ssh-keygen", "rsync")
    folder = tmp_path_factory.mktemp("sshd")
    host_key, client_key = folder / "host_ed25519", folder / "client_ed25519"
    for key in (host_key, client_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    shutil.copy(f"{client_key}.pub", folder / "authorized_keys")
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\nPidFile {folder / 'sshd.pid'}\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\n"
        f"AllowUsers {getpass.getuser()}\nSubsystem sftp internal-sftp\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)
    log = (folder / "sshd.log").open("w")
    process = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(config)], stdout=log, stderr=log)
    wait_for_port(port, process, "sshd")
    known_hosts = folder / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{port} {Path(f'{host_key}.pub').read_text()}")
    yield SSHServer(port, client_key, known_hosts)
    _stop(process)


@pytest.fixture
def ssh_target(sshd, tmp_path):
    """A fresh target folder on the SSH server, with nginx serving its `current`."""
    path = tmp_path / "srv"
    server = start_nginx(path / "current", tmp_path / "nginx")
    yield sshd.env(tmp_path, path), path, server
    server.stop()


# --- SeaweedFS --------------------------------------------------------------------------------
@dataclass
class S3Server:
    endpoint: str

    def client(self, key=S3_KEY, secret=S3_SECRET):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3", endpoint_url=self.endpoint, region_name="us-east-1", aws_access_key_id=key,
            aws_secret_access_key=secret, config=Config(s3={"addressing_style": "path"}),
        )  # fmt: skip

    def env(self, tmp_path: Path, bucket: str, secret=S3_SECRET) -> dict:
        env = base_env(tmp_path)
        env.update(
            TEST_S3_ENDPOINT=self.endpoint, TEST_S3_BUCKET=bucket, AWS_ACCESS_KEY_ID=S3_KEY,
            AWS_SECRET_ACCESS_KEY=secret,
        )  # fmt: skip
        return env


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    _need(str(WEED))
    folder = tmp_path_factory.mktemp("seaweedfs")
    ports = {name: free_port() for name in ("s3", "master", "filer", "volume", "admin", "webdav")}
    argv = [str(WEED), "mini", f"-dir={folder}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-admin.ui=false"]
    argv += ["-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0"]
    argv += [f"-{name}.port={port}" for name, port in ports.items()]
    # gRPC ports default to port + 10000, which can overflow from an ephemeral port: set them all.
    argv += [f"-{name}.port.grpc={free_port()}" for name in ("s3", "master", "filer", "volume", "admin")]
    env = {**os.environ, "AWS_ACCESS_KEY_ID": S3_KEY, "AWS_SECRET_ACCESS_KEY": S3_SECRET}
    log = (folder / "weed.log").open("w")
    process = subprocess.Popen(argv, env=env, stdout=log, stderr=log, cwd=folder)
    wait_for_port(ports["s3"], process, "SeaweedFS S3", timeout=60)
    server = S3Server(f"http://127.0.0.1:{ports['s3']}")
    deadline = time.monotonic() + 60
    while True:  # the S3 port opens before the filer behind it is ready
        try:
            server.client().list_buckets()
            break
        except Exception:
            if time.monotonic() > deadline or process.poll() is not None:
                raise
            time.sleep(0.25)
    yield server
    _stop(process)


_BUCKETS = itertools.count(1)


@pytest.fixture
def bucket(seaweedfs) -> str:
    name = f"site-{next(_BUCKETS)}"
    client = seaweedfs.client()
    # botocore may retry a create that had gone through (a new `weed mini` can answer the first
    # requests with an error while it makes the bucket anyway); the name is this test's alone.
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=name)
    client.head_bucket(Bucket=name)  # it is there, and ours
    return name
