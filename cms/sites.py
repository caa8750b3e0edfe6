"""The Wagtail site answering a request, looked up once per host instead of once per request.

Wagtail finds a request's site with a query on every request that needs it
(``wagtail.models.sites.get_site_for_hostname``: an annotated ``CASE`` over the sites, with
their root pages), which is every page served. The answer changes only when a site or a site's
root page does, so Wagtail's page view is handed it (``cms.middleware.PageRoutingMiddleware``)
from the default cache, kept per host and port for ``SITE_CACHE_SECONDS`` and dropped when a
site is saved or deleted, or a root page saved or moved. With the shared cache production has
(Redis), every process sees such a change at once; with a per-process cache, within that time,
as with Wagtail's own cached site root paths.

Only a site's identity and its root page's place in the tree are read from the cached copy:
routing loads every page it serves afresh.
"""

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

SITE_CACHE_KEY = "banlang:sites"
SITE_CACHE_SECONDS = 600
MAX_HOSTS = 64
"""How many ``(host, port)`` answers are kept before starting again: ``ALLOWED_HOSTS`` may admit
many names."""


def find_site(request: HttpRequest) -> Site | None:
    """The site serving ``request``, as ``Site.find_for_request`` finds it, from the cache when
    this host and port were seen before; remembered on the request, where Wagtail's own lookups
    in the same request find it. The host must be one of ``ALLOWED_HOSTS``."""
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = _lookup(request)  # type: ignore[attr-defined]
    site: Site | None = request._wagtail_site  # type: ignore[attr-defined]
    return site


def _lookup(request: HttpRequest) -> Site | None:
    """The site for ``request``'s host and port, from the cache or else the database."""
    host = (split_domain_port(request.get_host())[0], request.get_port())
    known: dict[tuple[str, str], Site | None] = cache.get(SITE_CACHE_KEY) or {}
    if host in known:
        return known[host]
    try:
        site: Site | None = get_site_for_hostname(*host)
    except Site.DoesNotExist:
        site = None
    if len(known) >= MAX_HOSTS:
        known = {}
    cache.set(SITE_CACHE_KEY, {**known, host: site}, SITE_CACHE_SECONDS)
    return site


def forget_sites(**kwargs: Any) -> None:
    """Drop the cached sites: one was saved or deleted, or a page moved."""
    cache.delete(SITE_CACHE_KEY)


def forget_sites_of_root_page(instance: Page, **kwargs: Any) -> None:
    """Drop the cached sites when a page that can be a site's root (depth 2) is saved: the
    cached copy holds its path."""
    if instance.depth is not None and instance.depth <= 2:
        forget_sites()
