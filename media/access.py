"""Who may fetch which stored file: every file is served by the rules of what owns it.

A stored file belongs to an image (its original or a rendition), a recording (its original,
thumbnail, renditions, poster, waveform or captions), a document or an editor's avatar; its
folder says which kind of owner to look for (``owner_of``). A file no known owner holds is not
served at all.

``BANLANG_MEDIA["ACCESS_POLICY"]`` names a function ``(request, path) -> FileAccess``; the
project's is the heritage archive's (``heritage.media_access``), which decides for images and
recordings and asks ``library_access`` about the rest. A policy answers ``DENIED`` for files it
protects (their response is then a 404 like a missing file's) and ``PRIVATE`` for files the
requester may see but caches must not keep.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Manager, Model
from django.http import HttpRequest
from django.utils.module_loading import import_string
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.users.models import UserProfile

from media.models import MediaAsset, MediaCaption, MediaRendition


class FileAccess(enum.Enum):
    """The answer of an access policy about one file."""

    PUBLIC = "public"
    PRIVATE = "private"
    DENIED = "denied"


@dataclass(frozen=True)
class FileOwner:
    """What a stored file belongs to: an instance of ``model`` by primary key.

    ``pk`` is ``None`` when the file's folder names an owner but none holds the file (it was
    deleted, or never was): the same questions are asked about it as about a real owner, so a
    missing file costs what a protected one costs.
    """

    model: type[Model]
    pk: Any


@dataclass(frozen=True)
class Folder:
    """An upload folder: the rows whose ``column`` names its files, the column naming their
    owner, and the owner's model (captions and renditions belong to their recording)."""

    rows: Callable[[], Manager]
    column: str
    owner_column: str
    owner: Callable[[], type[Model]]


def recordings() -> type[Model]:
    """The model of recordings."""
    return MediaAsset


FOLDERS: dict[str, Folder] = {
    "original_images/": Folder(lambda: get_image_model().objects, "file", "pk", get_image_model),
    "images/": Folder(
        lambda: get_image_model().get_rendition_model().objects, "file", "image_id", get_image_model
    ),
    "media/": Folder(lambda: MediaAsset.objects, "file", "pk", recordings),
    "media_thumbnails/": Folder(lambda: MediaAsset.objects, "thumbnail", "pk", recordings),
    "posters/": Folder(lambda: MediaAsset.objects, "poster", "pk", recordings),
    "waveforms/": Folder(lambda: MediaAsset.objects, "waveform", "pk", recordings),
    "renditions/": Folder(lambda: MediaRendition.objects, "file", "asset_id", recordings),
    "captions/": Folder(lambda: MediaCaption.objects, "file", "asset_id", recordings),
    "documents/": Folder(lambda: get_document_model().objects, "file", "pk", get_document_model),
    "avatar_images/": Folder(lambda: UserProfile.objects, "avatar", "pk", lambda: UserProfile),
}
"""Each upload folder and where its files' owners are found."""


def owner_of(path: str) -> FileOwner | None:
    """The owner of the stored file at ``path``; ``None`` if its folder holds no known files."""
    for prefix, folder in FOLDERS.items():
        if path.startswith(prefix):
            rows = folder.rows().filter(**{folder.column: path})
            found = rows.values_list(folder.owner_column, flat=True).first()
            return FileOwner(folder.owner(), found)
    return None


def library_access(request: HttpRequest, owner: FileOwner) -> FileAccess:
    """The rule for files outside any stricter policy.

    Images and recordings are public. Documents are served only by Wagtail's document view,
    which applies their collection's privacy, never from the media folder. Avatars are for
    people signed in to the admin.
    """
    if owner.model is get_document_model():
        return FileAccess.DENIED
    if owner.model is UserProfile:
        allowed = request.user.has_perm("wagtailadmin.access_admin")
        return FileAccess.PRIVATE if allowed and owner.pk is not None else FileAccess.DENIED
    return FileAccess.PUBLIC if owner.pk is not None else FileAccess.DENIED


def access_to(request: HttpRequest, path: str) -> FileAccess:
    """Ask the configured policy about ``path`` (relative to the media storage)."""
    policy: Callable[[HttpRequest, str], FileAccess] = import_string(
        settings.BANLANG_MEDIA["ACCESS_POLICY"]
    )
    return policy(request, path)
