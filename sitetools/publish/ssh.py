"""The `ssh` target: rsync over SSH into release folders, then one atomic symlink switch.

On the server (PATH is the target's `path`):
    PATH/releases/<release-id>/   complete releases, newest last (the last `keep` are kept)
    PATH/releases/.partial-<id>/  an upload in progress (a killed publish leaves one; the next removes it)
    PATH/current -> releases/<id> what the web server serves (deploy/nginx.conf: root PATH/current)

A publish uploads into a partial folder, reusing unchanged files of the current release as hard
links (`rsync --link-dest`, compared by checksum), renames it complete, then points `current` at it
with `ln -s` to a temporary name and `mv -T` (one rename(2): a visitor sees the old or the new
release, never a mix). Rollback points `current` at the release before it.

A publish killed at any step leaves `current` on a complete release. The next publish removes what
it left: partial folders, and complete releases newer than `current` (never switched to, or rolled
back from), so the releases up to `current` are always the ones served, in order, and a rollback
never lands on a release that was not live before.

Target settings: host, port (22), user (optional), path, keep (5), precompress (["gzip", "br"]),
bwlimit (KiB/s, 0 = no limit), known_hosts (a file; default: ssh's own). The key comes from the
SSH agent or the file named by the environment variable PUBLISH_SSH_KEY; host keys are always checked.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from sitetools.publish.config import PublishError
from sitetools.publish.prepare import pause_point, unique
from sitetools.publish.report import Report


class SSHTarget:
    def __init__(self, config: dict):
        for key in ("host", "path"):
            if not config.get(key):
                raise PublishError(f"PUBLISH_TARGETS[{config['name']!r}] needs {key!r}")
        self.name = config["name"]
        self.base = str(config["path"]).rstrip("/")
        if not self.base:
            raise PublishError(
                f"PUBLISH_TARGETS[{config['name']!r}]['path'] is '/': name the site's own folder, "
                "e.g. /srv/clinic-site"
            )
        self.keep = max(2, int(config.get("keep", 5)))
        self.precompress = list(config.get("precompress", ["gzip", "br"]))
        self.bwlimit = int(config.get("bwlimit", 0))
        user = config.get("user")
        self.login = f"{user}@{config['host']}" if user else str(config["host"])
        ssh = ["ssh", "-p", str(int(config.get("port", 22))), "-o", "BatchMode=yes"]
        ssh += ["-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=15"]
        ssh += ["-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4"]  # a dead link fails in 1 min
        if config.get("known_hosts"):
            ssh += ["-o", f"UserKnownHostsFile={config['known_hosts']}"]
        key = os.environ.get("PUBLISH_SSH_KEY")
        if key:
            ssh += ["-i", key, "-o", "IdentitiesOnly=yes"]
        # One connection for the whole publish (each new SSH handshake costs up to a second); the
        # master ends at close(), or by itself 30 s after the last use if this process is killed.
        self._control = tempfile.mkdtemp(prefix="publish-ssh-")
        ssh += [
            "-o",
            "ControlMaster=auto",
            "-o",
            f"ControlPath={self._control}/%C",
            "-o",
            "ControlPersist=30",
        ]
        self.ssh = ssh
        self.where = f"{self.login}:{self.base}"

    def close(self) -> None:
        subprocess.run([*self.ssh, "-O", "exit", self.login], capture_output=True, timeout=30)
        shutil.rmtree(self._control, ignore_errors=True)

    # --- remote helpers ---------------------------------------------------------------------
    def _remote(self, script: str) -> str:
        try:
            proc = subprocess.run(
                [*self.ssh, self.login, script], capture_output=True, text=True, timeout=120
            )
        except subprocess.TimeoutExpired:
            raise PublishError(f"ssh {self.login} did not answer within 120 s; publish again") from None
        if proc.returncode:
            detail = proc.stderr.strip() or f"exit {proc.returncode}"
            raise PublishError(f"ssh {self.login} failed: {detail}")
        return proc.stdout

    def _state(self, create: bool) -> tuple[str | None, list[str]]:
        """(the release `current` points at, complete releases oldest first)."""
        base = shlex.quote(self.base)
        # A publish (under the lock) also removes what a killed publish left behind.
        prepare = f"mkdir -p {base}/releases && rm -rf {base}/releases/.partial-* && " if create else ""
        listing = "readlink current || true; echo '--'; ls -1A releases 2>/dev/null"
        out = self._remote(f"{prepare}cd {base} 2>/dev/null || exit 0; {listing}")
        head, _, listing = out.partition("--\n")
        link = head.strip()
        current = link.rsplit("/", 1)[-1] if link else None
        releases = sorted(n for n in listing.split() if not n.startswith("."))
        return current, releases

    def _rsync(self, *args: str, capture: bool = True) -> subprocess.CompletedProcess:
        argv = ["rsync", "-e", shlex.join(self.ssh), "--recursive", "--links", "--perms", "--checksum"]
        argv += ["--chmod=D0755,F0644", "--exclude=.*", "--timeout=120", *args]
        proc = subprocess.run(argv, capture_output=capture, text=True)
        if proc.returncode:
            raise PublishError(
                f"rsync to {self.where} failed (exit {proc.returncode}): {(proc.stderr or '').strip()}"
            )
        return proc

    @staticmethod
    def _switch_script(release: str) -> str:
        """Point `current` at a release in one rename(2): a symlink under a temporary name, then mv -T.
        Never at a folder that is not there (the site would answer 404 everywhere)."""
        folder, temp = shlex.quote(f"releases/{release}"), shlex.quote(f".current.{release}.tmp")
        missing = shlex.quote(f"{folder} is missing; current was not switched")
        check = f"{{ test -d {folder} || {{ echo {missing} >&2; exit 1; }}; }}"
        return f"{check} && ln -sfn {folder} {temp} && mv -T {temp} current"

    # --- the target API ---------------------------------------------------------------------
    def publish(self, site: Path, release: str, dry_run: bool) -> Report:
        started = time.perf_counter()
        current, releases = self._state(create=not dry_run)
        report = Report(self.name, self.where, release, dry_run=dry_run)
        # What changes for a visitor: the new site compared with what `current` serves now.
        if current:
            dest = f"{self.login}:{self.base}/current/"
            diff = self._rsync("--dry-run", "--itemize-changes", "--delete", f"{site}/", dest).stdout
            for line in diff.splitlines():
                flags, _, name = line.partition(" ")
                if flags == "*deleting" and not name.endswith("/"):
                    report.deleted.append(name.strip())
                elif flags[:1] in ("<", ">") and flags[1:2] == "f":
                    report.uploaded.append(name)
        else:
            report.uploaded = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
        total = sum(1 for p in site.rglob("*") if p.is_file())
        report.unchanged = total - len(report.uploaded)
        if dry_run:
            report.seconds = time.perf_counter() - started
            return report

        base = shlex.quote(self.base)
        unserved = self._unserved(current, releases)
        if unserved:
            print(f"Removing releases never served or rolled back from: {', '.join(unserved)}", flush=True)
            self._remote(f"cd {base} && rm -rf -- {' '.join('releases/' + shlex.quote(r) for r in unserved)}")
        served = [r for r in releases if r not in unserved]
        release = report.release = unique(release, releases)
        partial = f".partial-{release}"
        print(f"Uploading release {release} to {self.where}/releases/ ...", flush=True)
        args = [f"--link-dest=../{current}"] if current in served else []
        if self.bwlimit:
            args.append(f"--bwlimit={self.bwlimit}")
        self._rsync(*args, f"{site}/", f"{self.login}:{self.base}/releases/{partial}/")
        self._remote(f"cd {base} && mv -T releases/{shlex.quote(partial)} releases/{shlex.quote(release)}")
        print(f"Release {release} complete; switching {self.base}/current to it ...", flush=True)
        pause_point("switch")
        # Switch `current`, then drop the oldest served releases beyond `keep`.
        surplus = max(0, len(served) + 1 - self.keep)
        old = [r for r in served[:surplus] if r != current]
        prune = f" && rm -rf -- {' '.join('releases/' + shlex.quote(r) for r in old)}" if old else ""
        self._remote(f"cd {base} && {self._switch_script(release)}{prune}")
        report.seconds = time.perf_counter() - started
        return report

    @staticmethod
    def _unserved(current: str | None, releases: list[str]) -> list[str]:
        """Complete releases after `current`: never switched to (a publish killed before its switch),
        or rolled back from. Rollback must not land on them, so a publish removes them."""
        if current is None:
            return list(releases)
        if current in releases:
            return releases[releases.index(current) + 1 :]
        return [r for r in releases if r > current]

    def rollback(self) -> Report:
        started = time.perf_counter()
        current, releases = self._state(create=False)
        if not current or current not in releases:
            raise PublishError(f"{self.where} has no current release to roll back from")
        index = releases.index(current)
        if index == 0:
            raise PublishError(
                f"{current} is the oldest release kept on {self.where}: nothing to roll back to"
            )
        previous = releases[index - 1]
        self._remote(f"cd {shlex.quote(self.base)} && {self._switch_script(previous)}")
        return Report(self.name, self.where, previous, seconds=time.perf_counter() - started)
