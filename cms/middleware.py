"""HTTP middleware of the public site."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

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
