"""The media access policy of the heritage archive: files follow what holds them.

``BANLANG_MEDIA["ACCESS_POLICY"]`` points here. An image or a recording (with every file made from
it: renditions, poster, waveform, thumbnail, captions) is served as ``heritage.file_audience`` says:
public when a live public media item holds it (or it never was archive material), privately to
whoever may see a media item holding it or, once none does, the audience it kept (drafts' files only
for their editors); to nobody else, answered as 404 so its existence does not leak. A record's
consent document is for cultural officers who may see the record. Other files follow the media
library's rule (``media.access.library_access``).
"""

from django.http import HttpRequest
from wagtail.images import get_image_model

from heritage.file_audience import is_public, visible_files
from heritage.models import HeritageRecord
from heritage.protocols import is_officer
from media.access import FileAccess, FileOwner, library_access, owner_of
from media.models import MediaAsset

CONSENT_FOLDER = "heritage/consent/"
EDIT_RECORDS = "heritage.change_heritagerecord"
"""Who previews drafts, and so gets the files of records not yet published."""
NO_FILE = 0
"""A primary key no row has: a missing file is asked the same questions as a protected one, so
refusing either takes the same work."""


def consent_access(request: HttpRequest, path: str) -> FileAccess:
    """Consent documents: for officers who may see the record they belong to."""
    records = HeritageRecord.objects.filter(consent_document=path).values_list("pk", flat=True)
    record = records.first() or NO_FILE
    seen = HeritageRecord.objects.visible_to(request.user).filter(pk=record).exists()
    return FileAccess.PRIVATE if seen and is_officer(request.user) else FileAccess.DENIED


def archive_access(request: HttpRequest, owner: FileOwner, field: str) -> FileAccess:
    """An image's or a recording's files, as its holders decide."""
    pk = owner.pk if owner.pk is not None else NO_FILE
    if is_public(field, pk) and owner.pk is not None:
        return FileAccess.PUBLIC
    user = request.user
    if not user.is_authenticated:
        return FileAccess.DENIED
    seen = visible_files(user, field, drafts=user.has_perm(EDIT_RECORDS)).filter(pk=pk)
    return FileAccess.PRIVATE if seen.exists() else FileAccess.DENIED


def heritage_file_access(request: HttpRequest, path: str) -> FileAccess:
    """Whether ``request.user`` may fetch the stored file at ``path``, and who may cache it."""
    if path.startswith(CONSENT_FOLDER):
        return consent_access(request, path)
    owner = owner_of(path)
    if owner is None:
        return FileAccess.DENIED
    if owner.model is get_image_model():
        return archive_access(request, owner, "image")
    if owner.model is MediaAsset:
        return archive_access(request, owner, "media")
    return library_access(request, owner)
