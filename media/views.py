"""Views of the media app."""

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from media.access import FileAccess, access_to
from media.serving import file_response


@require_http_methods(["GET", "HEAD"])
def serve_media_file(request: HttpRequest, path: str) -> HttpResponse:
    """Any stored file (uploads, renditions, images), after the access policy has agreed."""
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
        raise Http404
    relative = target.relative_to(root).as_posix()
    access = access_to(request, relative)
    if access is FileAccess.DENIED:
        raise Http404
    return file_response(
        request,
        target,
        relative,
        private=access is FileAccess.PRIVATE,
        accel_prefix=settings.BANLANG_MEDIA["ACCEL_REDIRECT_PREFIX"],
    )
