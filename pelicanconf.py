"""Development settings: `make build`, `invoke build`, `invoke serve`, `invoke livereload`.

Each setting is set once, here; publishconf.py only overrides what production changes.
The clinic details below are clearly fictional demo values: replace them before publishing
(the publish build refuses to run with them).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent

# --- The clinic (fictional demo values) ------------------------------------------------------
# The clinic's identity, set once: the header, footer, feeds and JSON-LD all read it. Every value
# here is a demo value; a production build lists those left in one error (plugins/demo_values.py).
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

# --- Site identity -------------------------------------------------------------------------------
SITENAME = CLINIC["name"]  # derived: change the name in CLINIC only (the build refuses a mismatch)
SITESUBTITLE = "Physiotherapy and patient education"
SITEURL = "http://127.0.0.1:8000"  # development: `invoke serve`; pages use relative URLs anyway
RELATIVE_URLS = True
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en-GB"
AUTHOR = CLINIC["name"]  # default author of a non-clinical page without `author:` (e.g. clinic news)

# --- Book Now (plugins/booking): see README.md "Book Now" -------------------------------
# Booking pages by name (demo: example.com is reserved; a production build refuses these). Each has
# its visible link text (label), its https: booking page (Cliniko, Jane, Calendly ...), an optional
# short description, optionally a "short_label" (at most 24 characters) for the site header, and
# optionally "new_tab": True. Articles pick one with `booking: NAME`.
BOOKING_TARGETS = {
    "assessment": {
        "label": "Book a physiotherapy assessment",
        "short_label": "Book an assessment",  # the site header's link (fits one line on a phone)
        "url": "https://booking.example.com/physio-clinic/initial-assessment",
        "description": "A first appointment with the physio team, who are here to help guide you.",
    },
    "classes": {
        "label": "Book a Strength & Conditioning class",
        "url": "https://booking.example.com/physio-clinic/strength-conditioning",
        "description": "Classes for runners at Beginners and Intermediate levels: strength, mobility, "
        "agility, power and balance.",
    },
    "classes-beginners": {
        "label": "Book a Beginners Strength & Conditioning class",
        "url": "https://booking.example.com/physio-clinic/strength-conditioning-beginners",
    },
    "classes-intermediate": {
        "label": "Book an Intermediate Strength & Conditioning class",
        "url": "https://booking.example.com/physio-clinic/strength-conditioning-intermediate",
    },
}
BOOKING_DEFAULT = "assessment"  # the header link, and pages without `booking:` metadata
# Campaign tags on booking links (None: none). Adds utm_campaign=<target> and utm_content=<placement>.
BOOKING_UTM = {"source": "clinic-website", "medium": "referral"}

# --- Content ------------------------------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "videos"]  # pictures; exercise videos and their captions (.mp4, .webm, .vtt)
IGNORE_FILES = [".#*", ".gitkeep"]
# Only Markdown: HTML and reStructuredText pages would be published unchecked (contentguard refuses them).
READERS = {"rst": None, "html": None, "htm": None}
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
# Drafts (`Status: draft`): built for the preview at drafts/<slug>/ with a "Draft — not published"
# banner, listed on the Drafts page (drafts/, linked from the header). publishconf.py writes none.
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
DRAFT_PAGE_URL = "drafts/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = "drafts/pages/{slug}/index.html"
DRAFTS_URL = "drafts/"  # the Drafts page (theme/templates/drafts.html, a direct template)
DRAFTS_SAVE_AS = "drafts/index.html"

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

# --- People and clinical review (plugins/clinical): see README.md "Clinical content" ---------------
# Authors and reviewers, defined once; articles name them by key (`Author: alex-example`,
# `Reviewed_by: sam-sample`). These two are fictional demo people (a production build refuses them).
PEOPLE = {
    "alex-example": {
        "name": "Alex Example",
        "role": "Physiotherapist",
        "credentials": ["MCSP"],
        "registration": {"body": "HCPC", "number": "PH000000 (demo)"},
        "bio": "Alex is a fictional demo physiotherapist who writes the clinic's articles on running "
        "and back pain.",
        "demo": True,
    },
    "sam-sample": {
        "name": "Sam Sample",
        "role": "Clinical Lead Physiotherapist",
        "credentials": ["MCSP"],
        "registration": {"body": "HCPC", "number": "PH000001 (demo)"},
        "bio": "Sam is a fictional demo clinical lead who reviews the clinic's patient information.",
        "demo": True,
    },
}
# Every article and page is clinical (author, reviewer, review dates) unless it says `Clinical: no`.

# --- Theme and plugins ----------------------------------------------------------------------
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
# Listing PLUGINS turns off auto-discovery of installed plugins: every plugin used is named here.
# A plugin that reads another's output declares it (`AFTER` in its package); the build checks this order.
PLUGINS = [
    "contentguard",
    "frontmatter",
    "citations",
    "booking",
    "clinical",
    "rawhtml",
    "layouts",
    "timetable",
    "exercise",
    "video",
    "reading",
    "images",
    "related",
    "cms",
    "pelican.plugins.sitemap",
]
# The plugins' own settings (CITATIONS_STYLE, READING_WORDS_PER_MINUTE, RELATED_MAX_ARTICLES,
# IMAGES_WIDTHS, CLINICAL_REVIEW_MONTHS ...) keep their defaults unless set here: README.md lists each
# with its default. The build checks every one at start-up and names the line of a bad value or of a
# misspelt name.
SITEMAP = {"format": "xml", "exclude": ["^search/", "^robots\\.txt$", "^drafts/"]}
ROBOTS_SAVE_AS = "robots.txt"  # theme/templates/robots.html: allows everything, names the sitemap
THEME_LOGO = ""  # a file in theme/static/ (e.g. "images/logo.svg") shown before SITENAME; "": none
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}
DIRECT_TEMPLATES = ["index", "archives", "categories", "tags", "search", "robots", "drafts"]
SEARCH_URL = "search/"  # Pagefind search (sitetools/search.py); without JavaScript it lists topics and tags
SEARCH_SAVE_AS = "search/index.html"
SEARCH_BACKGROUND = True  # development: index once the new site is live (publishconf.py: before)

# --- Build ----------------------------------------------------------------------------------
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = ".cache/pelican"
DELETE_OUTPUT_DIRECTORY = False  # the build runner writes into a fresh folder and swaps it in
SITE_ENV = "development"  # "production" in publishconf.py: advisory findings become errors there

# --- Checks (`invoke check`, sitetools/check.py) ----------------------------------------------
# Bytes a first visit downloads, per page type: HTML, CSS, fonts, images and scripts the page loads
# at a phone's viewport, gzip-compressed as a server sends them (images and fonts as they are).
# "default" covers any page type not named.
CHECK_BUDGETS = {
    "article": 15_000,  # the seed article's budget: every article is held to it
    "page": 15_000,
    "home": 15_000,
    "search": 45_000,  # Pagefind's UI script and styles load on this page only
    "default": 12_000,  # lists (topics, tags, archives, authors) and the 404 page
    # any page showing content photos or a video (three photos and one video: 60 KB on a 375 px phone)
    "media": 60_000,
}
CHECK_SEARCH_QUERY = "marathon"  # the search page is checked showing the results for this word
# `invoke check --lighthouse`: minimum Lighthouse scores (0-100, mobile) for the home page and an article.
CHECK_LIGHTHOUSE = {"performance": 90, "accessibility": 100, "best-practices": 90, "seo": 90}
