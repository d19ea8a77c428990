"""The `s3` target: any S3-compatible object store (AWS S3, Cloudflare R2, SeaweedFS, MinIO).

Object stores have no symlink to switch, so a publish is ordered so that every page is whole at
every moment, and an interrupted publish converges when run again:

1. list the bucket and read the last publish's record (`.publish/state.json` under the prefix);
2. upload only what changed (the object's ETag is the MD5 of a single-part upload; type and cache
   headers are compared with the record), in this order: assets (CSS, images, fonts) before the
   documents that reference them; new pages before the existing pages and feeds that link to them;
   deeper pages before the index;
3. write the record of the new release;
4. only then delete objects the new release no longer has.
A visitor sees some pages old and some new during step 2, but each page finds every asset it needs.

Rollback re-publishes the previous release from the copies kept on this machine under
PUBLISH_RELEASES_DIR/<target>/ (the last `keep`). A machine without them rolls back by publishing
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
from sitetools.publish.prepare import unique
from sitetools.publish.report import Report

STATE = ".publish/state.json"
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

    def _state(self, listing: dict[str, str]) -> dict:
        if self.prefix + STATE not in listing:
            return {"release": None, "files": {}}
        body = self._call(
            "read the publish record", "get_object", Bucket=self.bucket, Key=self.prefix + STATE
        )
        return json.loads(body["Body"].read())

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

        wanted = {self.prefix + name for name in files} | {self.prefix + STATE}
        stale = sorted(key for key in listing if key not in wanted)
        return sorted(changed, key=order), stale, state, listing

    def publish(self, site: Path, release: str, dry_run: bool, republish: bool = False) -> Report:
        """Upload `site` as a new release, or (`republish`, for rollback) as the kept `release` again."""
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
        self._keep_locally(site, release)
        for f in uploads:
            self._put(f)
            print(f"  + {f.name}", flush=True)
        record = {"release": release, "files": {name: self._record(f) for name, f in files.items()}}
        self._call(
            "write the publish record",
            "put_object",
            Bucket=self.bucket,
            Key=self.prefix + STATE,
            Body=json.dumps(record, indent=1, sort_keys=True).encode(),
            ContentType="application/json",
            CacheControl="no-store",
        )
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

    def _prune_local(self, keep_also: str) -> None:
        for name in self._local_releases()[: -self.keep]:
            if name != keep_also:
                shutil.rmtree(self.local / name, ignore_errors=True)

    def rollback(self) -> Report:
        current = self._state(self._listing())["release"]
        kept = self._local_releases()
        if not current:
            raise PublishError(f"{self.where} has no publish record: nothing to roll back")
        if current not in kept:
            raise PublishError(
                f"the live release {current} is not among the releases kept in {self.local}; roll back by "
                "publishing the earlier commit"
            )
        index = kept.index(current)
        if index == 0:
            raise PublishError(
                f"{current} is the oldest release kept in {self.local}: nothing to roll back to"
            )
        previous = kept[index - 1]
        print(f"Re-publishing release {previous} from {self.local / previous} ...", flush=True)
        return self.publish(self.local / previous, previous, dry_run=False, republish=True)
