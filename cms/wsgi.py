"""WSGI entry point: ``gunicorn cms.wsgi``."""

import codecs
import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application
from django.utils.http import parse_header_parameters

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

WSGIApplication = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def decodes_text(charset: str) -> bool:
    """Whether ``charset`` is a text encoding that can decode a query string."""
    try:
        b"q=l%E1%BB%85&lang=vi".decode(charset)
        return bool(codecs.lookup(charset)._is_text_encoding)
    except (LookupError, UnicodeError, ValueError):
        return False


def readable_charsets(application: WSGIApplication) -> WSGIApplication:
    """``application``, given requests whose ``Content-Type`` names a charset nothing decodes
    with (``rot13``, ``hex``, ``punycode``…) without it, so they are read as UTF-8. Django would
    otherwise fail while making the request, before any view or middleware, on every page."""

    def with_readable_charsets(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        content_type, parameters = parse_header_parameters(environ.get("CONTENT_TYPE", ""))
        charset = parameters.get("charset")
        if charset and not decodes_text(charset):
            environ["CONTENT_TYPE"] = content_type
        return application(environ, start_response)

    return with_readable_charsets


application = readable_charsets(get_wsgi_application())
