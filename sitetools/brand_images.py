"""Make the theme's raster brand images from its colours and the site name (Pillow):

    python -m sitetools.brand_images        # writes theme/static/images/share.png, apple-touch-icon.png

- ``share.png`` (1200×630): the Open Graph / Twitter card image for links shared in apps;
- ``apple-touch-icon.png`` (180×180): the home-screen icon on phones (SVG favicons are not used there).

Run it again after changing SITENAME, BRAND or the mark (theme/static/favicon.svg draws the same cross).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "theme" / "static" / "images"
BRAND = "#0b6e4f"  # --brand / --header-bg in theme/static/css/site.css
WHITE = "#ffffff"


def _cross(draw: ImageDraw.ImageDraw, x: int, y: int, size: int) -> None:
    """The favicon's cross, `size` pixels square, white on the brand colour."""
    unit = size / 32
    draw.rounded_rectangle(
        (x, y, x + size, y + size), radius=int(6 * unit), fill=BRAND, outline=WHITE, width=max(2, int(unit))
    )
    draw.rectangle((x + 14 * unit, y + 7 * unit, x + 18 * unit, y + 25 * unit), fill=WHITE)
    draw.rectangle((x + 7 * unit, y + 14 * unit, x + 25 * unit, y + 18 * unit), fill=WHITE)


def make(sitename: str, subtitle: str) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    share = Image.new("RGB", (1200, 630), BRAND)
    draw = ImageDraw.Draw(share)
    _cross(draw, 96, 96, 160)
    draw.text((96, 330), sitename, fill=WHITE, font=ImageFont.load_default(size=72))
    draw.text((96, 430), subtitle, fill=WHITE, font=ImageFont.load_default(size=40))
    icon = Image.new("RGB", (180, 180), BRAND)
    _cross(ImageDraw.Draw(icon), 0, 0, 180)
    paths = [OUT / "share.png", OUT / "apple-touch-icon.png"]
    share.save(paths[0], optimize=True)
    icon.save(paths[1], optimize=True)
    return paths


def main() -> int:
    sys.path.insert(0, str(ROOT))
    import pelicanconf

    for path in make(pelicanconf.SITENAME, pelicanconf.SITESUBTITLE):
        print(path.relative_to(ROOT), path.stat().st_size, "bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
