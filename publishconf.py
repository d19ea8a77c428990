"""Production settings: `invoke build-production` and `invoke publish` build with these.

Everything else comes from pelicanconf.py; this file only says what production changes.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

# Absolute site URL: from the environment (CI/deploy) or this file. No trailing slash.
SITEURL = os.environ.get("SITEURL", "https://www.example.com").rstrip("/")
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL

SITE_ENV = "production"
SEARCH_BACKGROUND = False  # the search index is made before the site goes live; a failure fails the build

# Drafts are never published: no page, no Drafts list, so nothing in feeds, sitemap or search index.
DRAFT_SAVE_AS = DRAFT_PAGE_SAVE_AS = DRAFT_LANG_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""
DIRECT_TEMPLATES = [name for name in DIRECT_TEMPLATES if name != "drafts"]  # noqa: F405

# --- Publishing (`invoke publish --target NAME`, `invoke rollback --target NAME`) ---------------
# Targets by name; hosts and buckets may come from the environment, secrets only from it
# (SSH: the agent or PUBLISH_SSH_KEY; S3: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
# See sitetools/publish/ssh.py and s3.py for every key, README.md "Deploying" for the servers.
PUBLISH_TARGETS = {
    "ssh": {
        "type": "ssh",
        "host": os.environ.get("PUBLISH_SSH_HOST", "www.example.com"),
        "port": int(os.environ.get("PUBLISH_SSH_PORT", "22")),
        "user": os.environ.get("PUBLISH_SSH_USER", "deploy"),
        "path": os.environ.get("PUBLISH_SSH_PATH", "/srv/clinic-site"),
        "keep": 5,  # releases kept on the server for rollback
        "precompress": ["gzip", "br"],  # deploy/nginx.conf serves both (gzip_static, brotli_static)
    },
    "s3": {
        "type": "s3",
        "bucket": os.environ.get("PUBLISH_S3_BUCKET", "clinic-site"),
        "endpoint_url": os.environ.get("PUBLISH_S3_ENDPOINT") or None,  # None: AWS S3
        "region": os.environ.get("PUBLISH_S3_REGION", "us-east-1"),  # Cloudflare R2: "auto"
        "prefix": "",
        "keep": 5,  # releases kept in PUBLISH_RELEASES_DIR for rollback
    },
}
PUBLISH_RELEASES_DIR = ".publish"  # locks and the S3 releases kept for rollback (not in git)
