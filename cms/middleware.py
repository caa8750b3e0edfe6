"""HTTP middleware of the public site."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware

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


COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "image/svg+xml",
)


class TextCompressionMiddleware(GZipMiddleware):
    """Gzip text responses only.

    Audio, video and images are compressed already; gzipping them wastes CPU, and a gzipped
    ``206 Partial Content`` would no longer match its ``Content-Range``.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """Compress when the response is text of some kind and not a partial response."""
        content_type = response.get("Content-Type", "")
        if response.status_code == 206 or not content_type.startswith(COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)


UNPREFIXED_PATHS = (*ADMIN_PREFIXES, "/media/", "/documents/", "/static/", "/api/", "/oai/")


class ReaderLocaleMiddleware(LocaleMiddleware):
    """Django's ``LocaleMiddleware``, without its 404 redirect outside the reading pages.

    For a 404 it retries the path under ``/vi/``; Wagtail's catch-all makes almost any path
    look valid there, so a missing or forbidden admin or media URL would become a redirect.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """Leave 404s of the admin, media and documents alone."""
        if response.status_code == 404 and request.path_info.startswith(UNPREFIXED_PATHS):
            return response
        return super().process_response(request, response)
