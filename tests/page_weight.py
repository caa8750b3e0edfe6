"""Weigh a page as a phone downloads it: compressed HTML, CSS and JS, and the fonts it needs.

A browser downloads a web-font face only when it lays out a character in the face's
``unicode-range``; the same rule decides here which fonts count. The content of a closed
``<details>`` (the language menu) is not laid out until it is opened, so only its ``<summary>``
counts; the browser tests check this against what Chromium really requests.
"""

import gzip
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

FONT_FACE = re.compile(r"@font-face\s*{(?P<body>[^}]*)}")
FACE_URL = re.compile(r'url\("(?P<url>[^"]+\.woff2)"\)')
FACE_RANGE = re.compile(r"unicode-range:\s*(?P<ranges>[^;]+);")


class _PageParser(HTMLParser):
    """Collects the text a reader sees and the stylesheets and scripts a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.assets: list[str] = []
        self._in_body = False
        self._skip = 0
        self._details_open: list[bool] = []
        self._in_summary = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "body":
            self._in_body = True
        elif tag in {"script", "style", "template"}:
            self._skip += 1
        elif tag == "details":
            self._details_open.append("open" in values)
        elif tag == "summary":
            self._in_summary = True
        if tag == "link" and values.get("rel") == "stylesheet" and values.get("href"):
            self.assets.append(values["href"])
        if tag == "script" and values.get("src"):
            self.assets.append(values["src"])

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"}:
            self._skip -= 1
        elif tag == "details" and self._details_open:
            self._details_open.pop()
        elif tag == "summary":
            self._in_summary = False

    def handle_data(self, data: str) -> None:
        hidden = not all(self._details_open) and not self._in_summary
        if self._in_body and not self._skip and not hidden:
            self.text.append(data)


@dataclass
class PageWeight:
    """Bytes a page transfers, by part."""

    html: int
    assets: dict[str, int] = field(default_factory=dict)
    fonts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Everything together."""
        return self.html + sum(self.assets.values()) + sum(self.fonts.values())


def parse_ranges(ranges: str) -> list[tuple[int, int]]:
    """``U+0020-007E, U+00A0`` as inclusive code point intervals."""
    intervals = []
    for part in ranges.split(","):
        start, _, end = part.strip().removeprefix("U+").partition("-")
        intervals.append((int(start, 16), int(end or start, 16)))
    return intervals


def static_path(url: str) -> Path:
    """The file behind a ``/static/…`` URL: collected (hashed) first, else from the finders."""
    relative = url.split(settings.STATIC_URL, 1)[1]
    collected = Path(settings.STATIC_ROOT) / relative
    if collected.exists():
        return collected
    found = finders.find(relative)
    if not found:
        raise FileNotFoundError(url)
    return Path(found)


def fonts_needed(css_path: Path, text: str) -> dict[str, int]:
    """The font files a browser downloads for ``text``, with their sizes."""
    code_points = {ord(character) for character in text}
    needed = {}
    for face in FONT_FACE.finditer(css_path.read_text(encoding="utf-8")):
        url = FACE_URL.search(face["body"])
        if url is None:  # a local() fallback: nothing to download
            continue
        intervals = parse_ranges(FACE_RANGE.search(face["body"])["ranges"])
        if any(low <= point <= high for point in code_points for low, high in intervals):
            font = (css_path.parent / url["url"]).resolve()
            needed[font.name] = font.stat().st_size
    return needed


def weigh(html: str, compressed_html_bytes: int) -> PageWeight:
    """Weigh a rendered page whose compressed HTML is ``compressed_html_bytes`` long."""
    parser = _PageParser()
    parser.feed(html)
    weight = PageWeight(html=compressed_html_bytes)
    for url in parser.assets:
        path = static_path(url)
        weight.assets[path.name] = len(gzip.compress(path.read_bytes(), compresslevel=9))
        if path.suffix == ".css":
            weight.fonts.update(fonts_needed(path, "".join(parser.text)))
    return weight
