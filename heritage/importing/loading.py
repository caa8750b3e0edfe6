"""Records as the spreadsheet layout sees them, loaded from the database in a few queries.

The import compares these values with a row's to find what changed; the export writes them.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from heritage.importing.layout import (
    COLUMNS,
    LABEL_KEYS,
    MEDIA_KEYS,
    RELATION_COLUMNS,
    TEXT_COLUMNS,
    RecordValues,
    clean_text,
)
from heritage.models import HeritageRecord, RecordLabel, RecordMedia, RecordSource

CHUNK = 900
"""Primary keys per ``IN (…)`` query: below SQLite's oldest limit on query parameters."""

T = TypeVar("T")

FIELD_COLUMNS = [column for column in COLUMNS if column not in RELATION_COLUMNS]
M2M_FIELDS = {"ethnic_groups": "ethnic_groups", "places": "places", "communities": "communities"}


def attname(column: str) -> str:
    """The model attribute a field column sets."""
    return "recording_place_id" if column == "recording_place" else column


def chunked(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """``items`` in slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class Loaded:
    """Records' values, and what the import needs to know about their media items.

    ``digests`` maps each record to the hashes of its images and recordings, so a file a ZIP
    brings again is recognised; ``hidden_media`` lists the media items ``user`` may not see,
    which an import by that user leaves in place.
    """

    values: dict[int, RecordValues] = field(default_factory=dict)
    digests: dict[int, dict[str, tuple[str, int]]] = field(default_factory=dict)
    hidden_media: dict[int, list[int]] = field(default_factory=dict)


def field_values(record: HeritageRecord) -> dict[str, Any]:
    """The record's field columns, normalised as a row's cells are."""
    values: dict[str, Any] = {}
    for column in FIELD_COLUMNS:
        name = attname(column)
        value = getattr(record, name)
        if column == "practitioners":
            value = "\n".join(clean_text(line) for line in record.practitioner_names())
        elif column == "content_warnings":
            value = list(value or [])
        elif column in TEXT_COLUMNS or isinstance(value, str):
            value = clean_text(value)
        values[name] = value
    return values


def load_values(records: Iterable[HeritageRecord], user: Any = None) -> Loaded:
    """The values of ``records`` in every column; media items limited to those ``user`` sees."""
    by_pk = {record.pk: record for record in records}
    loaded = Loaded()
    for pk, record in by_pk.items():
        relations: dict[str, Any] = {"ethnic_groups": set(), "places": set(), "communities": set()}
        relations.update(labels=[], sources=[], media=[])
        loaded.values[pk] = RecordValues(field_values(record), relations)
        loaded.digests[pk] = {}
    pks = list(by_pk)
    for column, name in M2M_FIELDS.items():
        through = HeritageRecord._meta.get_field(name).remote_field.through
        target = HeritageRecord._meta.get_field(name).m2m_reverse_name()
        for chunk in chunked(pks):
            rows = through.objects.filter(heritagerecord_id__in=chunk).values_list(
                "heritagerecord_id", target
            )
            for record_id, target_id in rows:
                loaded.values[record_id].relations[column].add(target_id)
    for chunk in chunked(pks):
        for label in RecordLabel.objects.filter(record_id__in=chunk).order_by("sort_order", "pk"):
            loaded.values[label.record_id].relations["labels"].append(
                tuple(clean_text(getattr(label, key)) for key in LABEL_KEYS)
            )
        sources = RecordSource.objects.filter(record_id__in=chunk).order_by("sort_order", "pk")
        for source in sources:
            loaded.values[source.record_id].relations["sources"].append(
                (clean_text(source.citation), clean_text(source.url))
            )
        load_media(chunk, user, loaded)
    for values in loaded.values.values():
        for column in RELATION_COLUMNS:
            value = values.relations[column]
            values.relations[column] = frozenset(value) if isinstance(value, set) else tuple(value)
    return loaded


def load_media(pks: Sequence[int], user: Any, loaded: Loaded) -> None:
    """The media items of records ``pks``: those ``user`` sees as values, the others as hidden."""
    items = (
        RecordMedia.objects.filter(record_id__in=pks)
        .select_related("image", "media")
        .order_by("sort_order", "pk")
    )
    visible = None
    if user is not None:
        visible = set(
            RecordMedia.objects.visible_to(user)
            .filter(record_id__in=pks)
            .values_list("pk", flat=True)
        )
    for item in items:
        if visible is not None and item.pk not in visible:
            loaded.hidden_media.setdefault(item.record_id, []).append(item.pk)
            continue
        if item.image_id:
            target = ("image", item.image_id)
            digest = item.image.file_hash
        else:
            target = ("media", item.media_id)
            digest = item.media.source_hash
        values = [clean_text(getattr(item, key)) for key in MEDIA_KEYS[1:]]
        loaded.values[item.record_id].relations["media"].append((target, *values))
        if digest:
            loaded.digests[item.record_id][digest] = target
