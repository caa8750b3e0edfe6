"""Who may see an image or recording of the archive, and when reusing one shows it to more people.

A file's audience is decided by the media items holding it:

- held by a media item an anonymous reader may see, of a live record: everyone;
- held by media items: whoever may see one of them (drafts included, for their editors);
- held by none any more: the audience its last holders gave it (``FileAudience``), with
  cultural officers standing in for the public, so it is never public again by losing them;
- never held by a media item (an article's photograph): everyone.

``visible_files`` is that rule as a queryset, for the admin (libraries, choosers, forms, its
URLs) and for serving files (``heritage.media_access``). ``widened_audience`` tells when giving a
file to a media item would show it to people who may not see it now: the admin asks the editor
to confirm that, by name, and logs it; nothing else may do it.
"""

import operator
from functools import reduce
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Q, QuerySet
from wagtail.images import get_image_model

from heritage.audience import (
    OFFICERS,
    PUBLIC,
    both,
    media_audience,
    record_audience,
    user_audience,
)
from heritage.models import FileAudience, RecordMedia
from heritage.models.records import ProtocolQuerySet
from heritage.protocols import visible_to
from media.models import MediaAsset

FILE_FIELDS = ("image", "media")
"""The fields of a media item that hold a file."""


def file_model(field: str) -> type[Model]:
    """The model of the files a media item's ``field`` holds."""
    return get_image_model() if field == "image" else MediaAsset


def holders(field: str) -> ProtocolQuerySet:
    """The media items holding a file in ``field``."""
    return RecordMedia.objects.filter(**{f"{field}__isnull": False})


def visible_files(user: Any, field: str, drafts: bool = True) -> QuerySet:
    """The images (``field="image"``) or recordings (``"media"``) ``user`` may see; held only
    by draft records, only if ``drafts`` (for their editors)."""
    files = file_model(field)._default_manager.all()
    tokens = user_audience(user)
    if tokens is None:
        return files
    remembered = FileAudience.objects.filter(**{f"{field}__isnull": False})
    kept_for_user = remembered.filter(
        reduce(operator.or_, (Q(audience__contains=f" {token} ") for token in tokens))
    )
    released = ~Q(pk__in=holders(field).values(field)) & (
        ~Q(pk__in=remembered.values(field)) | Q(pk__in=kept_for_user.values(field))
    )
    seen = holders(field).visible_to(user)
    if not drafts:
        seen = seen.filter(record__live=True)
    return files.filter(Q(pk__in=seen.values(field)) | released)


def is_public(field: str, pk: Any) -> bool:
    """Whether everyone may see the file: a live public holder, or never archive material.

    Every question is asked whatever the answers, so refusing a protected file and a missing
    one takes the same work.
    """
    anonymous = AnonymousUser()
    held = RecordMedia.objects.filter(**{field: pk})
    shown = held.filter(visible_to(anonymous, record="record__"), visible_to(anonymous, "record__"))
    live = shown.filter(record__live=True).exists()
    archived = [held.exists(), FileAudience.objects.filter(**{field: pk}).exists()]
    return live or not any(archived)


def holder_audience(item: RecordMedia) -> set[str]:
    """Who may see ``item`` (its own protocol and its record's), as tokens."""
    return both(media_audience(item), record_audience(item.record))


def holders_audience(items: QuerySet[RecordMedia]) -> set[str]:
    """Everyone who may see one of ``items``, as tokens."""
    items = items.select_related("record").prefetch_related(
        "record__communities", "record__custodians"
    )
    return set().union(*(holder_audience(item) for item in items))


def remember_audience(field: str, pk: Any) -> None:
    """Keep who may see the file now, before a media item lets go of it.

    Called for every holder that goes; what counts is what the last ones leave.
    """
    tokens = holders_audience(RecordMedia.objects.filter(**{field: pk}))
    if PUBLIC in tokens:
        tokens = (tokens - {PUBLIC}) | {OFFICERS}
    FileAudience.objects.update_or_create(
        **{f"{field}_id": pk}, defaults={"audience": f" {' '.join(sorted(tokens))} "}
    )


def current_audience(field: str, pk: Any, record_pk: Any = None) -> set[str] | None:
    """Who may see the file besides through the items of record ``record_pk``, as tokens.

    ``None`` when nothing but that record decides it: the file is new to the archive, or only
    that record holds it, so its editor decides who sees it.
    """
    held = RecordMedia.objects.filter(**{field: pk})
    others = held.exclude(record_id=record_pk) if record_pk is not None else held
    if others.exists():
        return holders_audience(others)
    if held.exists():
        return None
    remembered = FileAudience.objects.filter(**{field: pk}).values_list("audience", flat=True)
    return set(remembered[0].split()) if remembered else None


def widened_audience(new: set[str], current: set[str] | None) -> set[str]:
    """The tokens of ``new`` the ``current`` audience of a file lacks (empty if none)."""
    if current is None or PUBLIC in current:
        return set()
    if PUBLIC in new:
        return {PUBLIC}
    return new - current


def before_item_deleted(sender: type[RecordMedia], instance: RecordMedia, **kwargs: Any) -> None:
    """A media item going lets go of its file (signal handler)."""
    for field in FILE_FIELDS:
        pk = getattr(instance, f"{field}_id")
        if pk is not None:
            remember_audience(field, pk)


def before_item_saved(sender: type[RecordMedia], instance: RecordMedia, **kwargs: Any) -> None:
    """A media item given another file lets go of the one it held (signal handler)."""
    if instance.pk is None or kwargs.get("raw"):
        return
    stored = RecordMedia.objects.filter(pk=instance.pk).values(*(f"{f}_id" for f in FILE_FIELDS))
    for before in stored:
        for field in FILE_FIELDS:
            pk = before[f"{field}_id"]
            if pk is not None and pk != getattr(instance, f"{field}_id"):
                remember_audience(field, pk)
