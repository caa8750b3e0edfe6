"""Views of the media app."""

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods
from django.views.defaults import page_not_found

from media.access import FileAccess, access_to
from media.serving import file_response


@require_http_methods(["GET", "HEAD"])
def serve_media_file(request: HttpRequest, path: str) -> HttpResponseBase:
    """Any stored file (uploads, renditions, images), after the access policy has agreed.

    A file the policy refuses and a file that does not exist get the same answer, after the
    same questions: the policy is asked before the disk.
    """
    if path.endswith("/"):
        return not_found(request)  # names a folder: no file is served at two addresses
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        target = (root / path).resolve()
    except (ValueError, OSError):  # a NUL, a name too long for the file system
        return not_found(request)
    if root not in target.parents:
        return not_found(request)
    relative = target.relative_to(root).as_posix()
    access = access_to(request, relative)
    try:
        found = target.is_file()
    except OSError:
        found = False
    if access is FileAccess.DENIED or not found:
        return not_found(request)
    return file_response(
        request,
        target,
        relative,
        private=access is FileAccess.PRIVATE,
        accel_prefix=settings.BANLANG_MEDIA["ACCEL_REDIRECT_PREFIX"],
    )


def not_found(request: HttpRequest) -> HttpResponse:
    """The 404 of a missing or refused file; it varies with the cookie either way, since the
    answer about a protected file depends on who asks."""
    response = page_not_found(request, Http404())
    patch_vary_headers(response, ["Cookie"])
    return response
