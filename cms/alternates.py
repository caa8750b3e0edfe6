"""The addresses of one thing in each language it is written in, as ``hreflang`` links and as
sitemap entries: ``x-default`` is the Vietnamese address, where there is one."""

import datetime
from collections.abc import Iterable
from typing import Any

from cms.languages import DEFAULT_LANGUAGE

Links = list[tuple[str, str]]
"""``(hreflang, absolute URL)`` pairs."""


def with_default(links: Iterable[tuple[str, str]]) -> Links:
    """``links`` (a language's code and its address), then ``x-default`` for the Vietnamese."""
    links = list(links)
    return links + [("x-default", url) for code, url in links if code == DEFAULT_LANGUAGE]


def sitemap_entries(
    links: Iterable[tuple[str, str]], lastmod: datetime.datetime | datetime.date | None
) -> list[dict[str, Any]]:
    """Sitemap entries of one thing: one per language of ``links``, each listing every language
    and ``x-default`` as its alternates (as Django's sitemap template reads them)."""
    links = with_default(links)
    alternates = [{"lang_code": code, "location": url} for code, url in links]
    return [
        {"location": url, "lastmod": lastmod, "alternates": alternates}
        for code, url in links
        if code != "x-default"
    ]
