"""The sitemap: an index naming files of at most 50,000 addresses, as the protocol allows.

Pages go in the ``pages`` files, ``PAGES_PER_FILE`` pages each (one address per language a page
is translated into, so at most ten per page). Other apps add sections of their own through the
``SITEMAP_SECTIONS_HOOK`` (the archive's records, ``heritage``).
"""

from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest
from wagtail import hooks
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from cms.languages import LANGUAGE_CODES

MOST_ADDRESSES = 50_000
"""The most addresses one sitemap file may hold (sitemaps.org)."""
PAGES_PER_FILE = MOST_ADDRESSES // len(LANGUAGE_CODES)
SITEMAP_SECTIONS_HOOK = "register_sitemap_sections"
"""Hooks called with the request that return ``{section name: Sitemap}`` to add."""


class PageSitemap(WagtailSitemap):
    """The site's live public pages, each in every language it is translated into."""

    limit = PAGES_PER_FILE


def sections(request: HttpRequest) -> dict[str, Sitemap | type[Sitemap]]:
    """Every section of the sitemap, by the name its files are known by (as Django's sitemap
    views take them)."""
    found: dict[str, Sitemap | type[Sitemap]] = {"pages": PageSitemap(request)}
    for hook in hooks.get_hooks(SITEMAP_SECTIONS_HOOK):
        found |= hook(request)
    return found
