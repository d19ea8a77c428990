"""Development settings: `make build`, `invoke build`, `invoke serve`, `invoke livereload`.

Each setting is set once, here; publishconf.py only overrides what production changes.
The clinic details below are clearly fictional demo values: replace them before publishing
(the publish build refuses to run with them).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent

# --- Site identity -------------------------------------------------------------------------------
SITENAME = "Example Physio Clinic"
SITESUBTITLE = "Physiotherapy and patient education"
SITEURL = "http://127.0.0.1:8000"  # development: `invoke serve`; pages use relative URLs anyway
RELATIVE_URLS = True
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en-GB"
AUTHOR = "Example Physio Clinic"  # default author of an article without `author:`

# --- The clinic (fictional demo values) ------------------------------------------------------
CLINIC = {
    "name": "Example Physio Clinic",
    "street": "1 Example Street",
    "locality": "Exampleton",
    "postcode": "EX1 1AA",
    "country": "GB",
    "phone_display": "01632 960000",  # Ofcom drama range: never a real number
    "phone_tel": "tel:+441632960000",
    "email": "mailto:hello@example.com",
    "opening_hours": ["Mo-Fr 08:00-19:00", "Sa 09:00-13:00"],
}
BOOKING_URL = "https://booking.example.com/physio-clinic"  # demo booking page (example.com is reserved)

# --- Content ------------------------------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
IGNORE_FILES = [".#*", ".gitkeep"]
ARTICLE_EXCLUDES = ["references"]
PAGE_EXCLUDES = ["references"]
DEFAULT_DATE_FORMAT = "%-d %B %Y"
DEFAULT_PAGINATION = 10
SUMMARY_MAX_LENGTH = 40
SLUGIFY_SOURCE = "title"

ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"
ARCHIVES_SAVE_AS = "archives/index.html"
CATEGORIES_SAVE_AS = "categories/index.html"
TAGS_SAVE_AS = "tags/index.html"
AUTHORS_SAVE_AS = "authors/index.html"
INDEX_SAVE_AS = "index.html"

# Python-Markdown: a MARKDOWN dict replaces Pelican's default entirely, so list everything.
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.admonition": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.toc": {"permalink": False, "toc_depth": "2-3"},
    },
    "output_format": "html5",
}

# --- Feeds: full content, absolute links (FEED_DOMAIN + SITEURL) -------------------------------
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
RSS_FEED_SUMMARY_ONLY = False

# --- Theme and plugins ----------------------------------------------------------------------
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
# Listing PLUGINS turns off auto-discovery of installed plugins: every plugin used is named here.
PLUGINS = ["diagnostics", "frontmatter", "citations"]
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}
DIRECT_TEMPLATES = ["index", "archives", "categories", "tags"]

MENUITEMS_EDUCATION = []  # filled from pages' `nav_order` metadata by the theme

# Citations (plugins/citations): see README "Settings".
CITATIONS_STYLE = "harvard-cite-them-right"

# --- Build ----------------------------------------------------------------------------------
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = ".cache/pelican"
DELETE_OUTPUT_DIRECTORY = False  # the build runner writes into a fresh folder and swaps it in
SITE_ENV = "development"  # "production" in publishconf.py: advisory findings become errors there
