"""The media access policy of the heritage archive: files follow their media item's protocol.

``BANLANG_MEDIA["ACCESS_POLICY"]`` points here. A stored file (an image or one of its renditions,
an audio or video original, rendition, poster, waveform, thumbnail or caption file) that belongs
to a record's media item is served as the media items holding it allow:

- anyone may see one of them: public;
- only the requesting user may see one (a community member, officer or custodian): private,
  so caches do not keep it;
- nobody in that situation: denied, answered as 404 so the file's existence does not leak.

A file used by no media item is public. A file reused by a public media item is public: choosing
it there was the editor's decision to publish it. Consent documents are for officers only.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from wagtail.images import get_image_model

from heritage.models import RecordMedia
from heritage.protocols import is_officer
from media.access import FileAccess
from media.models import MediaAsset

CONSENT_FOLDER = "heritage/consent/"


def media_items_holding(path: str) -> QuerySet[RecordMedia]:
    """The media items whose image or audio/video has a stored file at ``path``."""
    assets = MediaAsset.objects.filter(
        Q(file=path)
        | Q(thumbnail=path)
        | Q(poster=path)
        | Q(waveform=path)
        | Q(renditions__file=path)
        | Q(captions__file=path)
    ).values("pk")
    images = get_image_model().objects.filter(Q(file=path) | Q(renditions__file=path)).values("pk")
    return RecordMedia.objects.filter(Q(media__in=assets) | Q(image__in=images))


def heritage_file_access(request: HttpRequest, path: str) -> FileAccess:
    """Whether ``request.user`` may fetch the stored file at ``path``, and who may cache it."""
    if path.startswith(CONSENT_FOLDER):
        return FileAccess.PRIVATE if is_officer(request.user) else FileAccess.DENIED
    items = media_items_holding(path)
    if not items.exists() or items.visible_to(AnonymousUser()).exists():
        return FileAccess.PUBLIC
    if request.user.is_authenticated and items.visible_to(request.user).exists():
        return FileAccess.PRIVATE
    return FileAccess.DENIED
