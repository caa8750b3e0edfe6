"""HTTP middleware of the public site."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin
from django.utils.log import log_response
from django.views.defaults import page_not_found, server_error
from wagtail import views as wagtail_views
from wagtail.url_routing import RouteResult

from cms.interface_reload import reload_changed_catalogues
from cms.models.translated import TranslatedPage, route_below
from cms.sites import find_site

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "font-src 'self'",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class ContentSecurityPolicyMiddleware:
    """Forbid inline scripts and styles, and anything from other origins, on public pages.

    The Wagtail admin is left to its own policy: it relies on inline configuration.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(ADMIN_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class SaveDataVaryMiddleware:
    """Say that public pages differ with ``Save-Data``: a text-first page for those saving data.

    Every page built on ``base.html`` leaves out web fonts and images for such readers, so a
    browser or shared cache must not answer one kind of reader with the other's copy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        html = response.get("Content-Type", "").startswith("text/html")
        if html and not request.path.startswith(ADMIN_PREFIXES):
            patch_vary_headers(response, ("Save-Data",))
        return response


COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "image/svg+xml",
)


class UnpaddedGZipMiddleware(GZipMiddleware):
    """Django's gzip without the random padding against BREACH."""

    max_random_bytes = 0


class TextCompressionMiddleware(GZipMiddleware):
    """Gzip text responses only, padded against BREACH only where a secret can be.

    Audio, video and images are compressed already; gzipping them wastes CPU, and a gzipped
    ``206 Partial Content`` would no longer match its ``Content-Range``. Django pads every
    compressed response with up to 100 random bytes (BREACH); a page drawn for nobody in
    particular (``may_hold_a_secret``) has no secret to guess, and is the same for every
    reader, byte for byte, as a shared cache and the page-weight budget expect.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        super().__init__(get_response)
        self.unpadded = UnpaddedGZipMiddleware(get_response)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Compress when the response is text of some kind and not a partial response."""
        content_type = response.get("Content-Type", "")
        if response.status_code == 206 or not content_type.startswith(COMPRESSIBLE_TYPES):
            return response
        if may_hold_a_secret(request, response):
            return super().process_response(request, response)
        return self.unpadded.process_response(request, response)


def may_hold_a_secret(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether ``response`` may hold something one person must not learn of another: it is
    drawn for a signed-in user, sets a cookie (a CSRF token in a form, a session), or is kept
    from shared caches (``private``, ``no-store``: the subscriber's own pages)."""
    user = getattr(request, "user", None)
    cache_control = response.get("Cache-Control", "")
    return bool(
        (user is not None and user.is_authenticated)
        or response.cookies
        or "private" in cache_control
        or "no-store" in cache_control
    )


UNPREFIXED_PATHS = (
    *ADMIN_PREFIXES,
    "/media/",
    "/documents/",
    "/static/",
    "/api/",
    "/oai/",
    "/outreach/",
    "/loudspeakers/",
    "/open-data/",
)


class PageRoutingMiddleware(MiddlewareMixin):
    """Before Wagtail's page view runs, find the site in the cache (``cms.sites``) and route the
    path from the site's root page as cached.

    Wagtail loads the root's specific page before routing below it; our root page routes with
    ``route_below``, which reads only its place in the tree, so the root's specific page is
    loaded only when it is the page asked for. Wagtail's view then takes the route it finds on
    the request. Other views are left alone: they ask for the site, if at all, as before.
    """

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponseBase],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        """Route a request for Wagtail's page view."""
        if view is not wagtail_views.serve:
            return
        site = find_site(request)
        path = kwargs.get("path", args[0] if args else "")
        components = [component for component in path.split("/") if component]
        if (
            site is None
            or not components
            or settings.WAGTAIL_I18N_ENABLED  # the root would be the reader's locale's
            or getattr(site.root_page.specific_class, "route", None) is not TranslatedPage.route
        ):
            return
        try:
            route: RouteResult | None = route_below(site.root_page, request, components)
        except Http404:
            route = None
        request._wagtail_route_for_request = route  # type: ignore[attr-defined]


class InterfaceCatalogueMiddleware:
    """Serve the interface strings as last translated in the admin, on every worker and without
    a restart: before the reader's language is activated, compile and load again any catalogue
    whose version changed (``cms.interface_reload``; one small query a request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reload_changed_catalogues()
        return self.get_response(request)


class ReaderLocaleMiddleware(LocaleMiddleware):
    """Django's ``LocaleMiddleware``, without its 404 redirect outside the reading pages.

    For a 404 it retries the path under ``/vi/``; Wagtail's catch-all makes almost any path
    look valid there, so a missing or forbidden admin or media URL would become a redirect.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Leave 404s of the admin, media and documents alone."""
        if response.status_code == 404 and request.path_info.startswith(UNPREFIXED_PATHS):
            return response
        return super().process_response(request, response)


class SiteErrorPagesMiddleware:
    """Answer a missing page and a server error with the site's own pages also when ``DEBUG``
    is on.

    Django shows its technical pages under ``DEBUG``; readers trying ``make run`` should meet
    the pages the site really shows, in their language. The error is still logged with its
    traceback. Developers who want Django's pages (the URL patterns tried, the traceback in the
    browser) set ``TECHNICAL_ERROR_PAGES``. Last in ``MIDDLEWARE``, so the reader, the language
    and the session are known when the page is drawn.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.active():
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as missing:
                return page_not_found(request, missing)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """The site's page for a view's ``Http404`` or unexpected error; Django answers the
        errors it maps to a 4xx status (bad requests, refusals) itself."""
        if not self.active() or isinstance(exception, CLIENT_ERRORS):
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        response = server_error(request)
        log_response(
            "%s: %s", response.reason_phrase, request.path,
            response=response, request=request, exception=exception,
        )  # fmt: skip
        return response

    @staticmethod
    def active() -> bool:
        """Whether Django would show its technical pages instead of the site's."""
        return settings.DEBUG and not settings.TECHNICAL_ERROR_PAGES


CLIENT_ERRORS = (PermissionDenied, BadRequest, SuspiciousOperation, MultiPartParserError)
"""Exceptions Django answers with a 4xx status and its own handlers, whatever ``DEBUG`` says."""
