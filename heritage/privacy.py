"""Keeping answers that depend on who asks out of shared caches."""

from typing import TypeVar

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

_Response = TypeVar("_Response", bound=HttpResponse)


def keep_private(
    response: _Response, request: HttpRequest, shows_restricted: bool = False
) -> _Response:
    """Mark the response ``private, no-store`` if it shows non-public material or is made for a
    signed-in reader, whose answer may hold more than the public one (an officer's links)."""
    if shows_restricted or request.user.is_authenticated:
        add_never_cache_headers(response)
    return response
