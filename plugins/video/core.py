"""What a video marker means: a self-hosted file or a YouTube/Vimeo video, checked (pure Python).

:func:`parse` reads the text of one marker into a :class:`Video` or a list of messages for the
writer. It never touches the network; files are looked up inside the content folder only.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

KEYS = ("poster", "captions", "title", "lang")
FILE_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}
EXAMPLE = (
    "[[video: videos/NAME.mp4 | poster: images/NAME.jpg | captions: videos/NAME.vtt | title: What it shows]]"
)
#: The only frame sources a page may load, after the visitor's click (the CSP allows exactly these).
FRAME_SOURCES = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
_VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")  # an unlisted video's key
_YOUTUBE_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com")
_VIMEO_HOSTS = ("vimeo.com", "www.vimeo.com", "player.vimeo.com")
_SCHEME = re.compile(r"^\s*[a-z][a-z0-9+.-]*:|^\s*//", re.I)
_NONE = re.compile(r"^none\b\s*[:,(—–-]?\s*(?P<reason>.*?)\)?\s*$", re.I)
_PREFIX = re.compile(r"^[{|](static|attach|filename)[}|]")
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")  # a BCP 47 tag, as <track srclang> needs


@dataclass
class Video:
    title: str
    poster: str  # as written (the images plugin makes its copy and checks it)
    kind: str = "file"  # file | youtube | vimeo
    src: str = ""  # content-relative path (file)
    type: str = ""  # MIME type (file)
    captions: str = ""  # content-relative path of the WebVTT file ("" with a reason)
    no_captions: str = ""  # the writer's reason for `captions: none`
    lang: str = ""
    embed: str = ""  # the iframe's src, loaded only after the click (youtube, vimeo)
    link: str = ""  # the video's own page: the facade without JavaScript
    provider: str = ""
    problems: list[str] = field(default_factory=list)


def _parts(spec: str) -> tuple[str, dict[str, str], list[str]]:
    pieces = [p.strip() for p in spec.split("|")]
    source, options, problems = pieces[0], {}, []
    for piece in pieces[1:]:
        key, colon, value = piece.partition(":")
        key = key.strip().lower()
        if not colon or key not in KEYS:
            import difflib

            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" (did you mean '{close[0]}:'?)" if close else ""
            problems.append(
                f"unknown part '{piece[:40]}' in the video marker{hint}; the parts are {', '.join(KEYS)}"
            )
            continue
        if key in options:
            problems.append(f"'{key}:' is given twice in the video marker; keep one")
        options[key] = value.strip()
    return source, options, problems


def _inside(path: str, content: Path) -> tuple[str, Path | None, str]:
    """(content-relative path, the real file or None, what is wrong or "")."""
    # every path in a marker is from the content folder: videos/x.mp4, /videos/x.mp4, {static}/videos/x.mp4
    raw = _PREFIX.sub("", path.strip()).split("?", 1)[0].split("#", 1)[0]
    rel = posixpath.normpath(raw.lstrip("/") or ".")
    if rel in (".", "..") or rel.startswith("../") or rel.startswith("/"):
        return rel, None, "is outside the content folder"
    real = Path(os.path.realpath(content / rel))
    if not real.is_relative_to(content):
        return rel, None, "is a symbolic link out of the content folder"
    if not real.is_file():
        return rel, None, "does not exist"
    return rel, real, ""


def _remote(url: str, video: Video) -> None:
    try:
        parts = urlsplit(url)
    except ValueError:
        video.problems.append(f"'{url[:60]}' is not a web address")
        return
    host = (parts.hostname or "").lower()
    if parts.scheme != "https":
        video.problems.append(f"the video address must start with https:// ('{url[:60]}')")
        return
    if host in _YOUTUBE_HOSTS:
        path = parts.path.strip("/").split("/")
        if host == "youtu.be":
            vid = path[0] if path else ""
        elif path and path[0] in ("embed", "shorts", "live") and len(path) > 1:
            vid = path[1]
        else:
            vid = (parse_qs(parts.query).get("v") or [""])[0]
        if not _YOUTUBE_ID.match(vid):
            video.problems.append(
                f"cannot find the video's id in '{url[:80]}'; copy the address from YouTube's Share button "
                "(https://youtu.be/ID or https://www.youtube.com/watch?v=ID)"
            )
            return
        video.kind, video.provider = "youtube", "YouTube"
        video.embed = f"https://www.youtube-nocookie.com/embed/{vid}?autoplay=1"
        video.link = f"https://www.youtube.com/watch?v={vid}"
    elif host in _VIMEO_HOSTS:
        path = parts.path.strip("/").split("/")
        # an unlisted video plays only with its hash: vimeo.com/NUMBER/HASH or .../video/NUMBER?h=HASH
        secret = (parse_qs(parts.query).get("h") or [""])[0]
        if len(path) >= 2 and _VIMEO_ID.match(path[-2]) and _VIMEO_HASH.match(path[-1]):
            path, secret = path[:-1], path[-1]
        vid = path[-1] if path else ""
        if not _VIMEO_ID.match(vid) or (secret and not _VIMEO_HASH.match(secret)):
            video.problems.append(
                f"cannot find the video's number in '{url[:80]}'; write https://vimeo.com/NUMBER "
                "(an unlisted video: https://vimeo.com/NUMBER/HASH, as Vimeo's Share button gives it)"
            )
            return
        video.kind, video.provider = "vimeo", "Vimeo"
        video.embed = f"https://player.vimeo.com/video/{vid}?dnt=1&autoplay=1" + (
            f"&h={secret}" if secret else ""
        )
        video.link = f"https://vimeo.com/{vid}" + (f"/{secret}" if secret else "")
    else:
        video.problems.append(
            f"videos from '{host or url[:40]}' cannot be shown: only YouTube and Vimeo (played from "
            "youtube-nocookie.com or with Vimeo's do-not-track) or a video file in the content folder "
            f"({EXAMPLE})"
        )


def malformed(text: str) -> str:
    """What is wrong with a line that looks like a video marker but is not one (`text` as written)."""
    if re.match(r"^\[\[\s*video\s*:.*\]\]$", text.strip(), re.I | re.S):
        return (
            f"'{text[:60]}': a video marker cannot hold '[' or ']' (the marker ends at the first ']]'); "
            "write the title with round brackets, e.g. 'title: Calf raise (part 1)'"
        )
    return f"'{text[:60]}' looks like a video marker but is not one: put it on a line of its own as {EXAMPLE}"


def parse(spec: str, content: Path) -> Video:
    """The video `spec` (the marker's text after `video:`) describes; `video.problems` says what is wrong."""
    source, options, problems = _parts(spec)
    video = Video(
        title=options.get("title", ""), poster=options.get("poster", ""), lang=options.get("lang", "")
    )
    video.problems += problems
    if not source:
        video.problems.append(f"the video marker names no video: write {EXAMPLE}")
        return video
    if not video.title:
        video.problems.append(
            "the video has no title: add '| title: What it shows' (the play button says it)"
        )
    if not video.poster:
        video.problems.append(
            "the video has no poster picture: add '| poster: images/NAME.jpg' (shown until the visitor "
            "plays it; a picture kept in content/images/, never one from another site)"
        )
    elif _SCHEME.match(video.poster) and not _PREFIX.match(video.poster):
        video.problems.append(
            f"the poster '{video.poster[:60]}' must be a picture in the content folder "
            "(e.g. images/NAME.jpg), not an address: a poster from another site would tell it who visits"
        )
    else:  # for the images plugin, which makes its copies: a path from the content folder
        prel, _preal, pwrong = _inside(video.poster, content)
        if pwrong:  # said here, at the marker's line (the images plugin cannot tell the line)
            video.problems.append(
                f"the poster picture '{prel}' {pwrong}; put it in content/images/ and write "
                "'| poster: images/NAME.jpg' (the path from the content folder)"
            )
        video.poster = "{static}/" + _PREFIX.sub("", video.poster).lstrip("/")
    if video.lang and not _LANG.match(video.lang):
        video.problems.append(
            f"'lang: {video.lang[:30]}' is not a language code; write the captions' language as a code, "
            "e.g. 'lang: en' (English) or 'lang: cy' (Welsh)"
        )
    if _SCHEME.match(source):
        _remote(source.strip(), video)
        if "captions" in options:
            video.problems.append(
                f"'captions:' is for a video file; {video.provider or 'the site'} shows its own captions"
            )
        return video
    rel, _real, wrong = _inside(source, content)
    suffix = posixpath.splitext(rel)[1].lower()
    if suffix not in FILE_TYPES:
        video.problems.append(
            f"'{source[:60]}' is not a video file: use an .mp4 or .webm file in content/videos/, "
            "or a YouTube or Vimeo address"
        )
        return video
    if wrong:
        video.problems.append(f"the video '{rel}' {wrong}; put it in content/videos/ and write {EXAMPLE}")
    video.src, video.type = rel, FILE_TYPES[suffix]
    captions = options.get("captions")
    if captions is None:
        video.problems.append(
            f"the video '{rel}' has no captions: add '| captions: videos/NAME.vtt' (WebVTT), or, for a "
            "video with no speech, '| captions: none (the reason, e.g. no speech: the steps are written "
            "below)'"
        )
    elif none := _NONE.match(captions):
        reason = none.group("reason").strip(" ().")
        if len(reason.split()) < 2:
            video.problems.append(
                "'captions: none' needs its reason, e.g. 'captions: none (no speech: the steps are written "
                "below)'"
            )
        video.no_captions = reason
    else:
        crel, _creal, cwrong = _inside(captions, content)
        if not crel.lower().endswith(".vtt"):
            video.problems.append(f"the captions '{captions[:60]}' must be a WebVTT file (.vtt)")
        elif cwrong:
            video.problems.append(f"the captions file '{crel}' {cwrong}")
        video.captions = crel
    return video
