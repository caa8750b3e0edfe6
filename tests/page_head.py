"""What a page's ``<head>`` says about it, read with an HTML parser: its document titles (not
the titles of SVG charts), meta tags, canonical link and JSON-LD blocks."""

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class Head:
    """The metadata elements of a page."""

    titles: list[str] = field(default_factory=list)
    title_lang: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    meta_lang: dict[str, str | None] = field(default_factory=dict)
    canonical: str | None = None
    json_ld: list[Any] = field(default_factory=list)
    json_ld_text: list[str] = field(default_factory=list)

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        """The JSON-LD objects of schema.org type ``kind``."""
        return [data for data in self.json_ld if data.get("@type") == kind]


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head = Head()
        self._in: str | None = None
        self._text: list[str] = []
        self._svg_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "svg":
            self._svg_depth += 1
        elif tag == "title" and not self._svg_depth:
            self._in, self._text = "title", []
            self.head.title_lang = values.get("lang")
        elif tag == "script" and values.get("type") == "application/ld+json":
            self._in, self._text = "json_ld", []
        elif tag == "meta" and (key := values.get("property") or values.get("name")):
            self.head.meta[key] = values.get("content") or ""
            self.head.meta_lang[key] = values.get("lang")
        elif tag == "link" and values.get("rel") == "canonical":
            self.head.canonical = values.get("href")

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg_depth -= 1
        elif tag == "title" and self._in == "title":
            self.head.titles.append("".join(self._text))
        elif tag == "script" and self._in == "json_ld":
            text = "".join(self._text)
            self.head.json_ld_text.append(text)
            self.head.json_ld.append(json.loads(text))
        else:
            return
        self._in = None


def head_of(body: str) -> Head:
    """Parse ``body`` and return its metadata elements."""
    parser = _HeadParser()
    parser.feed(body)
    parser.close()
    return parser.head
