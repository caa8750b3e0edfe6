"""Who may fetch which stored file: the hook the heritage archive's protocols plug into.

``BANLANG_MEDIA["ACCESS_POLICY"]`` names a function ``(request, path) -> FileAccess``; the
project's is the heritage archive's (``heritage.media_access``). A policy answers ``DENIED`` for
files it protects (their response is then a 404, so their existence does not leak) and
``PRIVATE`` for files the requester may see but caches must not keep.
"""

import enum
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string


class FileAccess(enum.Enum):
    """The answer of an access policy about one file."""

    PUBLIC = "public"
    PRIVATE = "private"
    DENIED = "denied"


def access_to(request: HttpRequest, path: str) -> FileAccess:
    """Ask the configured policy about ``path`` (relative to the media storage)."""
    policy: Callable[[HttpRequest, str], FileAccess] = import_string(
        settings.BANLANG_MEDIA["ACCESS_POLICY"]
    )
    return policy(request, path)
