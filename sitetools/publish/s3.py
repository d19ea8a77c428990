"""The `s3` target: any S3-compatible object store (AWS S3, Cloudflare R2, SeaweedFS, MinIO).

Object stores have no symlink to switch, so a publish is ordered so that every page is whole at
every moment, and an interrupted publish converges when run again:

1. list the bucket and read the last publish's record (`.publish/state.json` under the prefix),
   then write `.publish/pending.json` (this release, and the one it replaces);
2. upload only what changed (the object's ETag is the MD5 of a single-part upload; type and cache
   headers are compared with the record), in this order: assets (CSS, images, fonts) before the
   documents that reference them; new pages before the existing pages and feeds that link to them;
   deeper pages before the index;
3. write the record of the new release;
4. only then delete objects the new release no longer has, and `.publish/pending.json`.
A visitor sees some pages old and some new during step 2, but each page finds every asset it needs.

Rollback re-publishes a release from the copies kept on this machine under
PUBLISH_RELEASES_DIR/<target>/ (the last `keep`): normally the release before the recorded one; but
while `.publish/pending.json` says a publish was interrupted before its record, the recorded
release itself (the last complete one: this undoes the half-done publish), and after an
interrupted rollback, the release that rollback was going to. A publish first drops kept copies
newer than the recorded release (never completed, or rolled back from), so rollback only ever
lands on releases that were live, in order. A machine without the copies rolls back by publishing
the earlier commit (or, with bucket versioning on, by restoring object versions by hand).

Target settings: bucket, endpoint_url (None: AWS), region ("us-east-1"; R2: "auto"), prefix (""),
keep (5), addressing_style ("auto"; "path" for SeaweedFS/MinIO on an IP address). Precompression
is refused: an object store cannot choose an encoding per request; the CDN compresses instead.
Credentials: boto3's usual sources (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE).
"""

from __future__ import annotations

import base64
import json
import shutil
import time
from pathlib import Path

from sitetools.publish.config import PublishError
from sitetools.publish.files import SiteFile, is_document, site_files
from sitetools.publish.prepare import pause_point, unique
from sitetools.publish.report import Report

STATE = ".publish/state.json"  # the record of the last complete release
PENDING = ".publish/pending.json"  # present while a publish or rollback is under way (or was killed)
AUTH_CODES = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken", "ExpiredToken"}


class S3Target:
    def __init__(self, config: dict, releases: Path):
        if not config.get("bucket"):
            raise PublishError(f"PUBLISH_TARGETS[{config['name']!r}] needs 'bucket'")
        if config.get("precompress"):
            raise PublishError(
                f"PUBLISH_TARGETS[{config['name']!r}]: an object store cannot serve precompressed files "
                "by Accept-Encoding; remove 'precompress' (let the CDN compress)"
            )
        self.name = config["name"]
        self.bucket = config["bucket"]
        self.prefix = str(config.get("prefix") or "").strip("/")
        self.prefix += "/" if self.prefix else ""
        self.endpoint = config.get("endpoint_url") or None
        self.region = config.get("region") or "us-east-1"
        self.addressing = config.get("addressing_style", "auto")
        self.keep = max(2, int(config.get("keep", 5)))
        self.local = releases / self.name
        self.where = f"s3://{self.bucket}/{self.prefix}" + (f" at {self.endpoint}" if self.endpoint else "")
        self.precompress: list[str] = []
        self._client = None

    def close(self) -> None:
        pass

    # --- S3 plumbing ------------------------------------------------------------------------
    @property
    def client(self):
        if self._client is None:
            import boto3
            from botocore.config import Config

            config = Config(
                s3={"addressing_style": self.addressing},
                retries={"max_attempts": 5, "mode": "standard"},
                request_checksum_calculation="when_required",  # R2, MinIO and SeaweedFS agree on MD5
                response_checksum_validation="when_required",
            )
            self._client = boto3.client(
                "s3", endpoint_url=self.endpoint, region_name=self.region, config=config
            )
        return self._client

    def _call(self, what: str, method: str, **kwargs):
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

        try:
            return getattr(self.client, method)(**kwargs)
        except NoCredentialsError:
            raise PublishError(
                f"no S3 credentials for {self.where}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                "(or AWS_PROFILE) in the environment"
            ) from None
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in AUTH_CODES or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 403:
                raise PublishError(
                    f"{self.where} refused the credentials ({code or 'HTTP 403'}) while trying to {what}: "
                    "check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY and the key's permissions on "
                    f"bucket {self.bucket!r}"
                ) from None
            if code == "NoSuchBucket":
                raise PublishError(
                    f"bucket {self.bucket!r} does not exist at {self.endpoint or 'AWS'}: create it first "
                    "(publish never creates buckets)"
                ) from None
            raise PublishError(f"S3 error while trying to {what} on {self.where}: {code}: {exc}") from None
        except BotoCoreError as exc:
            raise PublishError(f"cannot {what} on {self.where}: {exc}") from None

    def _listing(self) -> dict[str, str]:
        """Every object under the prefix: key -> ETag (quotes removed)."""
        objects, token = {}, None
        while True:
            kwargs = {"Bucket": self.bucket, "Prefix": self.prefix}
            if token:
                kwargs["ContinuationToken"] = token
            page = self._call("list the bucket", "list_objects_v2", **kwargs)
            for item in page.get("Contents", []):
                objects[item["Key"]] = item.get("ETag", "").strip('"')
            if not page.get("IsTruncated"):
                return objects
            token = page["NextContinuationToken"]

    def _read_json(self, name: str, listing: dict[str, str]) -> dict | None:
        if self.prefix + name not in listing:
            return None
        body = self._call(f"read {name}", "get_object", Bucket=self.bucket, Key=self.prefix + name)
        try:
            return json.loads(body["Body"].read())
        except ValueError:
            raise PublishError(f"s3://{self.bucket}/{self.prefix}{name} is not valid JSON") from None

    def _write_json(self, what: str, name: str, data: dict) -> None:
        self._call(
            what,
            "put_object",
            Bucket=self.bucket,
            Key=self.prefix + name,
            Body=json.dumps(data, indent=1, sort_keys=True).encode(),
            ContentType="application/json",
            CacheControl="no-store",
        )

    def _state(self, listing: dict[str, str]) -> dict:
        return self._read_json(STATE, listing) or {"release": None, "files": {}}

    def _put(self, file: SiteFile) -> None:
        data = file.path.read_bytes()
        self._call(
            f"upload {file.name}",
            "put_object",
            Bucket=self.bucket,
            Key=self.prefix + file.name,
            Body=data,
            ContentType=file.content_type,
            CacheControl=file.cache_control,
            ContentMD5=base64.b64encode(bytes.fromhex(file.md5)).decode(),
        )

    @staticmethod
    def _record(file: SiteFile) -> dict:
        return {"md5": file.md5, "content_type": file.content_type, "cache_control": file.cache_control}

    # --- the target API ---------------------------------------------------------------------
    def plan(self, files: dict[str, SiteFile]) -> tuple[list[SiteFile], list[str], dict, dict[str, str]]:
        listing = self._listing()
        state = self._state(listing)
        changed = [
            f
            for name, f in files.items()
            if listing.get(self.prefix + name) != f.md5 or state["files"].get(name) != self._record(f)
        ]

        def order(f: SiteFile):
            if not is_document(f.name):
                return (0, 0, f.name)
            is_new = (self.prefix + f.name) not in listing
            return (1 if is_new else 2, -f.name.count("/"), f.name)

        wanted = {self.prefix + name for name in files}
        # .publish/ holds the record and the pending note; site files never start with a dot.
        stale = sorted(k for k in listing if k not in wanted and not k.startswith(self.prefix + ".publish/"))
        return sorted(changed, key=order), stale, state, listing

    def publish(self, site: Path, release: str, dry_run: bool, republish: bool = False) -> Report:
        """Upload `site` as a new release, or (`republish`, for rollback) as the kept `release` again.
        Killed at any point, every page stays whole; see the module docstring for what follows."""
        started = time.perf_counter()
        files = site_files(site)
        uploads, stale, state, _ = self.plan(files)
        if not republish:  # two publishes within one second must not share (and overwrite) one id
            release = unique(release, {*self._local_releases(), state["release"]})
        report = Report(self.name, self.where, release, dry_run=dry_run, streamed=not dry_run)
        report.uploaded = [f.name for f in uploads]
        report.deleted = [key[len(self.prefix) :] for key in stale]
        report.unchanged = len(files) - len(uploads)
        if dry_run:
            report.seconds = time.perf_counter() - started
            return report
        if not republish:
            self._drop_unserved(state["release"])
        self._keep_locally(site, release)
        pending = {"release": release, "replacing": state["release"], "rollback": republish}
        self._write_json("write the pending-publish note", PENDING, pending)
        for f in uploads:
            self._put(f)
            print(f"  + {f.name}", flush=True)
            if is_document(f.name):
                pause_point("page")
        pause_point("record")
        record = {"release": release, "files": {name: self._record(f) for name, f in files.items()}}
        self._write_json("write the publish record", STATE, record)
        pause_point("delete")
        for start in range(0, len(stale), 1000):
            batch = stale[start : start + 1000]
            result = self._call(
                "delete stale objects",
                "delete_objects",
                Bucket=self.bucket,
                Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True},
            )
            if result.get("Errors"):
                first = result["Errors"][0]
                raise PublishError(f"could not delete {first.get('Key')}: {first.get('Message')}")
            for key in batch:
                print(f"  - {key[len(self.prefix) :]}", flush=True)
        self._call(
            "delete the pending-publish note", "delete_object", Bucket=self.bucket, Key=self.prefix + PENDING
        )
        self._prune_local(keep_also=release)
        report.seconds = time.perf_counter() - started
        return report

    def _keep_locally(self, site: Path, release: str) -> None:
        dest = self.local / release
        if dest.exists():
            return
        self.local.mkdir(parents=True, exist_ok=True)
        temp = self.local / f".{release}.partial"
        shutil.rmtree(temp, ignore_errors=True)
        shutil.copytree(site, temp)
        temp.rename(dest)

    def _local_releases(self) -> list[str]:
        if not self.local.is_dir():
            return []
        return sorted(p.name for p in self.local.iterdir() if p.is_dir() and not p.name.startswith("."))

    def _drop_unserved(self, live: str | None) -> None:
        """Forget kept copies newer than the live record: a publish killed before its record, or a
        release rolled back from. Rollback must only ever land on a release that was live."""
        for name in self._local_releases():
            if live is None or name > live:
                shutil.rmtree(self.local / name, ignore_errors=True)

    def _prune_local(self, keep_also: str) -> None:
        for name in self._local_releases()[: -self.keep]:
            if name != keep_also:
                shutil.rmtree(self.local / name, ignore_errors=True)

    def rollback(self) -> Report:
        listing = self._listing()
        current = self._state(listing)["release"]
        pending = self._read_json(PENDING, listing)
        kept = self._local_releases()
        if not current:
            first = " (its first publish was interrupted: publish again)" if pending else ""
            raise PublishError(f"{self.where} has no publish record{first}: nothing to roll back")
        if pending and pending.get("rollback") and pending.get("release") in kept:
            target = pending["release"]  # a rollback was interrupted: finish it
            print(f"An interrupted rollback to {target} left {self.where} mixed; finishing it.", flush=True)
        elif pending and pending.get("release") != current:
            target = current  # a publish was interrupted before its record: undo it
            print(
                f"An interrupted publish of {pending.get('release')} left {self.where} mixed; restoring "
                f"the last complete release {current}.",
                flush=True,
            )
        else:
            if current not in kept:
                raise PublishError(
                    f"the live release {current} is not among the releases kept in {self.local}; roll "
                    "back by publishing the earlier commit"
                )
            index = kept.index(current)
            if index == 0:
                raise PublishError(
                    f"{current} is the oldest release kept in {self.local}: nothing to roll back to"
                )
            target = kept[index - 1]
        if target not in kept:
            raise PublishError(
                f"the last complete release {target} is not among the releases kept in {self.local}; "
                "publish that commit again to make the site whole"
            )
        print(f"Re-publishing release {target} from {self.local / target} ...", flush=True)
        return self.publish(self.local / target, target, dry_run=False, republish=True)
