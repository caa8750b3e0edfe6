"""Tombstones of records that stop being harvestable, so OAI-PMH harvesters learn they went.

A record is *harvestable* while an anonymous reader may see it and it is live: the one rule of
``heritage.protocols``, which is all the OAI-PMH repository holds. When a harvestable record
stops being so (deleted, unpublished, or its protocol narrowed), a ``RecordTombstone`` keeps its
identifier, the moment it went and the sets it was in; when it is harvestable again, the
tombstone goes. Whether a record was harvestable is read from its stored row before the change,
never from the object being saved, which may carry a draft's values that were not written.

How changes reach these functions:

- ``Model.save`` (admin edits, Wagtail's publish and unpublish actions, scheduled publishing
  and expiry): ``before_save`` and ``after_save``, on ``pre_save`` and ``post_save``.
- ``Model.delete`` and ``QuerySet.delete``: ``before_delete`` on ``pre_delete``, which Django
  sends for every row deleted once a receiver listens.
- ``QuerySet.update`` sends no signals: code that changes records in bulk does it inside
  ``watching(pks)`` (the import does).
"""

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from heritage.models import HeritageRecord, RecordTombstone

CHUNK = 500
"""Records per query, well under every database's limit on query parameters."""
BEFORE_SAVE = "_harvestable_before_save"
"""Where ``before_save`` leaves, on the record being saved, what ``after_save`` compares."""


@dataclass(frozen=True)
class HarvestableRecord:
    """What harvesters may hold of a harvestable record: its identifier and its sets."""

    pk: int
    kind: str
    ethnic_groups: tuple[int, ...]


def harvestable_records() -> QuerySet[HeritageRecord]:
    """Live records an anonymous reader may see: what the OAI-PMH repository holds."""
    return HeritageRecord.objects.visible_to(AnonymousUser()).published()


def chunks(pks: Sequence[int]) -> Iterator[Sequence[int]]:
    """``pks`` in slices of at most ``CHUNK``."""
    for start in range(0, len(pks), CHUNK):
        yield pks[start : start + CHUNK]


def harvestable(pks: Sequence[int]) -> dict[int, HarvestableRecord]:
    """Which of the records ``pks`` are harvestable now, with the sets they are in."""
    kinds: dict[int, str] = {}
    for chunk in chunks(pks):
        kinds.update(harvestable_records().filter(pk__in=chunk).values_list("pk", "kind"))
    groups: dict[int, list[int]] = defaultdict(list)
    through = HeritageRecord.ethnic_groups.through
    for chunk in chunks(list(kinds)):
        pairs = through.objects.filter(heritagerecord_id__in=chunk).order_by("ethnicgroup_id")
        for record_id, group_id in pairs.values_list("heritagerecord_id", "ethnicgroup_id"):
            groups[record_id].append(group_id)
    return {pk: HarvestableRecord(pk, kind, tuple(groups[pk])) for pk, kind in kinds.items()}


def bury(gone: Sequence[HarvestableRecord]) -> None:
    """Keep a tombstone, dated now, of each of these records, which just stopped being public."""
    if not gone:
        return
    now = timezone.now()
    pks = [record.pk for record in gone]
    # A tombstone left by a change that bypassed these functions (raw SQL) gives way to this one.
    for chunk in chunks(pks):
        RecordTombstone.objects.filter(pk__in=chunk).delete()
    RecordTombstone.objects.bulk_create(
        [RecordTombstone(record_id=record.pk, deleted_at=now, kind=record.kind) for record in gone],
        batch_size=CHUNK,
    )
    through = RecordTombstone.ethnic_groups.through
    through.objects.bulk_create(
        [
            through(recordtombstone_id=record.pk, ethnicgroup_id=group)
            for record in gone
            for group in record.ethnic_groups
        ],
        batch_size=CHUNK,
    )


def settle(before: Mapping[int, HarvestableRecord], pks: Sequence[int]) -> None:
    """After the records ``pks`` changed: bury those harvestable ``before`` that are no longer,
    and remove the tombstones of those that are harvestable again."""
    back = harvestable_pks(pks)
    for chunk in chunks(sorted(back)):
        RecordTombstone.objects.filter(pk__in=chunk).delete()
    bury([record for pk, record in before.items() if pk not in back])


def harvestable_pks(pks: Sequence[int]) -> set[int]:
    """The primary keys among ``pks`` of records that are harvestable now."""
    return {
        pk
        for chunk in chunks(pks)
        for pk in harvestable_records().filter(pk__in=chunk).values_list("pk", flat=True)
    }


@contextmanager
def watching(pks: Sequence[int]) -> Iterator[None]:
    """Keep tombstones right across a change of the records ``pks`` that sends no signals."""
    before = harvestable(pks)
    yield
    settle(before, pks)


def before_save(sender: type, instance: HeritageRecord, **kwargs: Any) -> None:
    """Note whether the stored record is harvestable, before it is written over."""
    instance.__dict__[BEFORE_SAVE] = harvestable([instance.pk]) if instance.pk else {}


def after_save(sender: type, instance: HeritageRecord, created: bool, **kwargs: Any) -> None:
    """Bury the record if it just stopped being harvestable; unbury it if it is again.

    A record just created has a new primary key, which no tombstone holds.
    """
    before = instance.__dict__.pop(BEFORE_SAVE, {})
    if not created:
        settle(before, [instance.pk])


def before_delete(sender: type, instance: HeritageRecord, **kwargs: Any) -> None:
    """Bury a harvestable record that is being deleted, with the sets it is still in."""
    bury(list(harvestable([instance.pk]).values()))
