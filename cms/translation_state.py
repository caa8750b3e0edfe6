"""Whether each translation is missing, up to date or outdated, field by field and block by block.

Every model with modeltranslation fields (pages, heritage records, snippets) is split into units:
each translated field, or for a StreamField each of its Vietnamese blocks (``body/<block id>``).
When a translation into a language is saved, ``record`` remembers a hash of each of its units'
Vietnamese source (``TranslationSource``): saving a translation vouches for it against the source
as it is. Later, a unit is *up to date* while its source still has that hash, *outdated* once the
source changed, and *missing* when the language has no text for it (or, in a StreamField, when
the block was added to the Vietnamese after the translation was saved). A translation saved before
any of this was recorded counts as outdated: nobody checked it against its source.

An object's parts edited inside it (a record's narratives and captions, a product's photos) are
followed with it, each of their translated fields a unit (``narratives/<id>/text``): the hook
``TRANSLATED_PARTS_HOOK`` keeps out those not everyone who may see the object may see, so that
no count or file about the object tells of them. A part added in a draft is followed once it is
published and has a key.

A StreamField translation whose blocks keep the ids of the Vietnamese blocks they translate (as
an imported translation does, ``cms.translation_exchange``) is followed block by block: each
block is vouched for when its own translation changes, and a block left out is missing. A
translation written block by block in the editor shares no id with its source and is vouched for
as a whole.

Objects with revisions (pages, heritage records) are recorded from each revision saved, drafts
included, so that what editors work on is what the state describes; others, and those never
edited through revisions (an import, the demo), on each save.
"""

import enum
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname
from wagtail import hooks
from wagtail.fields import StreamField

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from cms.models.translation_sources import TranslationSource, TranslationStatus
from cms.text import nfc, nfc_data

TRANSLATED_PARTS_HOOK = "filter_translated_parts"
"""Hooks called with an object, the name of a relation to its parts and the parts, that return
those of the parts to follow with the object."""
UNTRACKED = frozenset({"slug", "url_path"})
"""Translated fields that are addresses, not text: made from the title, never translated."""
TRANSLATIONS = tuple(code for code in LANGUAGE_CODES if code != DEFAULT_LANGUAGE)


class State(enum.StrEnum):
    """Where one unit's translation into one language stands."""

    MISSING = "missing"
    OUTDATED = "outdated"
    UP_TO_DATE = "up_to_date"


@dataclass
class FieldUnits:
    """One translated field of an object: its units' source hashes (in the source's order),
    a hash of its translation into each language (``None`` where there is none), and for a
    StreamField translation aligned with its source, a hash of each unit's translated block."""

    name: str
    sources: dict[str, str] = field(default_factory=dict)
    translations: dict[str, str | None] = field(default_factory=dict)
    aligned: dict[str, dict[str, str]] = field(default_factory=dict)
    blocks: bool = False


def digest(value: Any) -> str:
    """A stable hash of a unit's value: text in NFC, data as sorted JSON."""
    text = nfc(value) if isinstance(value, str) else json.dumps(nfc_data(value), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def tracked_fields(model: type[models.Model]) -> list[str]:
    """The translated fields of ``model`` whose translations are followed, in the order the
    model defines them; none for a model modeltranslation does not know."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    order = {field.name: index for index, field in enumerate(model._meta.get_fields())}
    return sorted(
        (name for name in options.all_fields if name not in UNTRACKED), key=order.__getitem__
    )


def column(model: models.Model | type[models.Model], name: str) -> models.Field:
    """The field ``name`` of ``model`` (or of an instance's model): a translated field or one of
    its per-language columns."""
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field)  # translated fields are columns, never reverse relations
    return found


def localized_names(model: type[models.Model]) -> set[str]:
    """The names of the per-language columns of ``model``'s followed fields."""
    return {
        build_localized_fieldname(name, code)
        for name in tracked_fields(model)
        for code in LANGUAGE_CODES
    }


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return not hasattr(value, "__len__") or len(value) > 0


def _raw(model_field: models.Field, value: Any) -> Any:
    """What is stored of ``value``: a StreamField's list of blocks, an object's key."""
    if isinstance(model_field, StreamField):
        return model_field.get_prep_value(value) if value is not None else []
    if isinstance(value, models.Model):
        return value.pk
    return value


def block_unit(name: str, block_id: str) -> str:
    """The unit of a StreamField ``name``'s block ``block_id``."""
    return f"{name}/{block_id}"


def _block_digests(name: str, raw: list[dict[str, Any]]) -> dict[str, str]:
    return {
        block_unit(name, block["id"]): digest({k: v for k, v in block.items() if k != "id"})
        for block in raw
        if block.get("id")
    }


def part_unit(relation: str, part: models.Model, name: str) -> str:
    """The unit of the field ``name`` of ``part``, a child of its object's ``relation``."""
    return f"{relation}/{part.pk}/{name}"


def part_relations(model: type[models.Model]) -> list[str]:
    """The names of ``model``'s relations to parts with translated text."""
    return [
        relation.get_accessor_name()
        for relation in get_all_child_relations(model)
        if tracked_fields(relation.related_model)
    ]


def parts_of(instance: models.Model) -> list[tuple[str, models.Model]]:
    """``(relation, part)`` of each part of ``instance`` followed with it, in the editor's order:
    those saved, and kept by every ``TRANSLATED_PARTS_HOOK``."""
    found: list[tuple[str, models.Model]] = []
    for relation in part_relations(type(instance)):
        parts = [part for part in getattr(instance, relation).all() if part.pk is not None]
        for keep in hooks.get_hooks(TRANSLATED_PARTS_HOOK):
            parts = keep(instance, relation, parts)
        found += [(relation, part) for part in parts]
    return found


def _field_units(instance: models.Model, name: str, unit: str) -> FieldUnits:
    """The units of ``instance``'s translated field ``name``: ``unit`` for a text, one per
    block for a StreamField."""
    model_field = column(instance, build_localized_fieldname(name, DEFAULT_LANGUAGE))
    source = getattr(instance, model_field.attname)
    units = FieldUnits(unit, blocks=isinstance(model_field, StreamField))
    if units.blocks:
        units.sources = _block_digests(name, _raw(model_field, source))
    elif _present(source):
        units.sources[unit] = digest(_raw(model_field, source))
    for code in TRANSLATIONS:
        localized = column(instance, build_localized_fieldname(name, code))
        value = getattr(instance, localized.attname)
        units.translations[code] = digest(_raw(localized, value)) if _present(value) else None
        if units.blocks and units.translations[code] is not None:
            translated = _block_digests(name, _raw(localized, value))
            if translated.keys() & units.sources.keys():
                units.aligned[code] = translated
    return units


def units_of(instance: models.Model) -> list[FieldUnits]:
    """Each followed field of ``instance`` and of its parts, split into its units."""
    found = [_field_units(instance, name, name) for name in tracked_fields(type(instance))]
    for relation, part in parts_of(instance):
        found += [
            _field_units(part, name, part_unit(relation, part, name))
            for name in tracked_fields(type(part))
        ]
    return found


def _stored(instance: models.Model) -> dict[tuple[str, str], TranslationSource]:
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    rows = TranslationSource.objects.filter(content_type=content_type, object_id=str(instance.pk))
    return {(row.language, row.unit): row for row in rows}


def _field_of(unit: str) -> str:
    """The field a unit is of: itself, a StreamField's name for a block, or a part's field."""
    relation, _, rest = unit.partition("/")
    return unit if rest.count("/") == 1 else relation


def record(instance: models.Model, user: User | None = None) -> None:
    """Remember, for each translation of ``instance`` that changed since last recorded, the
    source of each of its units as it is now (by ``user``); forget what a deleted translation
    or source unit was made from."""
    fields = units_of(instance)
    if not fields:
        return
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    stored = _stored(instance)
    vouched: dict[tuple[str, str], tuple[str, str]] = {}
    followed = {units.name for units in fields}
    # What was recorded of a part since removed, or now kept for fewer people.
    gone = [row.pk for (_, unit), row in stored.items() if _field_of(unit) not in followed]
    for units in fields:
        for code, translation in units.translations.items():
            mine = {
                unit: row
                for (language, unit), row in stored.items()
                if language == code and _field_of(unit) == units.name
            }
            if translation is None or not units.sources:
                gone += [row.pk for row in mine.values()]
                continue
            gone += [row.pk for unit, row in mine.items() if unit not in units.sources]
            if code in units.aligned:
                blocks = units.aligned[code]
                gone += [row.pk for unit, row in mine.items() if unit not in blocks]
                vouched |= {
                    (code, unit): (source_hash, blocks[unit])
                    for unit, source_hash in units.sources.items()
                    if unit in blocks
                    and (unit not in mine or mine[unit].translation_hash != blocks[unit])
                }
                continue
            if mine and all(row.translation_hash == translation for row in mine.values()):
                continue
            vouched |= {
                (code, unit): (source_hash, translation)
                for unit, source_hash in units.sources.items()
            }
    if gone:
        TranslationSource.objects.filter(pk__in=gone).delete()
    _store(instance, content_type, vouched, user)
    _keep_status(instance, content_type, fields)


def vouch(instance: models.Model, code: str, units: set[str], user: User | None = None) -> None:
    """Record that the translations of ``units`` into ``code`` were checked against the
    Vietnamese as it is now (a translator confirmed an outdated translation)."""
    _mark(instance, code, units, user, current=True)


def doubt(instance: models.Model, code: str, units: set[str], user: User | None = None) -> None:
    """Record that the translations of ``units`` into ``code`` were made from an older
    Vietnamese text (an import whose source had changed since its export): they are outdated."""
    _mark(instance, code, units, user, current=False)


def _mark(
    instance: models.Model,
    code: str,
    units: set[str],
    user: User | None,
    *,
    current: bool,
) -> None:
    fields = units_of(instance)
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    marked = {
        (code, unit): (
            source_hash if current else "",
            field_units.aligned[code][unit]
            if code in field_units.aligned
            else field_units.translations[code] or "",
        )
        for field_units in fields
        for unit, source_hash in field_units.sources.items()
        if unit in units
        and field_units.translations[code] is not None
        and unit in field_units.aligned.get(code, {unit: ""})
    }
    _store(instance, content_type, marked, user)
    _keep_status(instance, content_type, fields)


def _store(
    instance: models.Model,
    content_type: ContentType,
    hashes: dict[tuple[str, str], tuple[str, str]],
    user: User | None,
) -> None:
    """Remember, for each ``(language, unit)`` of ``hashes``, its ``(source hash,
    translation hash)``, as vouched for by ``user`` now."""
    if not hashes:
        return
    TranslationSource.objects.bulk_create(
        [
            TranslationSource(
                content_type=content_type,
                object_id=str(instance.pk),
                language=code,
                unit=unit,
                source_hash=source_hash,
                translation_hash=translation_hash,
                recorded_by=user,
            )
            for (code, unit), (source_hash, translation_hash) in hashes.items()
        ],
        update_conflicts=True,
        unique_fields=["content_type", "object_id", "language", "unit"],
        update_fields=["source_hash", "translation_hash", "recorded_at", "recorded_by"],
    )


STATUS_FIELDS = ["state", "missing", "outdated", "up_to_date", "topic", "title", "changed_at"]


def _keep_status(
    instance: models.Model, content_type: ContentType, fields: list[FieldUnits]
) -> None:
    """Store how far ``instance`` is translated into each language (``TranslationStatus``)."""
    rows = TranslationStatus.objects.filter(content_type=content_type, object_id=str(instance.pk))
    counted = _counted(_states(fields, _stored(instance)))  # units hashed once per save
    if not any(sum(counts.values()) for counts in counted.values()):
        rows.delete()  # nothing in Vietnamese to translate
        return
    title = getattr(instance, build_localized_fieldname("title", DEFAULT_LANGUAGE), None)
    topic = getattr(instance, "topic", "")
    statuses = [
        TranslationStatus(
            content_type=content_type,
            object_id=str(instance.pk),
            language=code,
            state=overall(counts),
            missing=counts[State.MISSING],
            outdated=counts[State.OUTDATED],
            up_to_date=counts[State.UP_TO_DATE],
            topic=topic if isinstance(topic, str) else "",
            title=str(title or instance)[:255],
        )
        for code, counts in counted.items()
    ]
    TranslationStatus.objects.bulk_create(
        statuses,
        update_conflicts=True,
        unique_fields=["content_type", "object_id", "language"],
        update_fields=STATUS_FIELDS,
    )


def overall(counts: dict[State, int]) -> State:
    """An object's state in a language from its units': nothing translated is missing, all
    up to date is up to date, anything between is outdated."""
    if not counts[State.UP_TO_DATE] and not counts[State.OUTDATED]:
        return State.MISSING
    if not counts[State.MISSING] and not counts[State.OUTDATED]:
        return State.UP_TO_DATE
    return State.OUTDATED


def forget(instance: models.Model) -> None:
    """Forget what was recorded of a deleted object's translations."""
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    for model in (TranslationSource, TranslationStatus):
        model.objects.filter(content_type=content_type, object_id=str(instance.pk)).delete()


READS_CHUNK = 500
"""Objects named by one statement of ``set_reads``."""


@transaction.atomic
def set_reads(reads: dict[tuple[int, str], int]) -> None:
    """Remember how often objects were read lately, ``{(content type id, object id): reads}``,
    and that every object not named was not read. The reach counts (``outreach``) tell it; the
    dashboard lists the most read first with it."""
    TranslationStatus.objects.exclude(reads=0).update(reads=0)
    # Read counts repeat (the many pages read a few times), so one statement per count and kind.
    alike: dict[tuple[int, int], list[str]] = defaultdict(list)
    for (content_type_id, object_id), count in reads.items():
        alike[content_type_id, count].append(object_id)
    for (content_type_id, count), object_ids in alike.items():
        for start in range(0, len(object_ids), READS_CHUNK):
            TranslationStatus.objects.filter(
                content_type_id=content_type_id,
                object_id__in=object_ids[start : start + READS_CHUNK],
            ).update(reads=count)


def unit_states(instance: models.Model) -> dict[str, dict[str, State]]:
    """For each language but Vietnamese, the state of each unit of ``instance``."""
    return _states(units_of(instance), _stored(instance))


def _states(
    fields: list[FieldUnits], stored: dict[tuple[str, str], TranslationSource]
) -> dict[str, dict[str, State]]:
    states: dict[str, dict[str, State]] = {code: {} for code in TRANSLATIONS}
    for units in fields:
        for code, translation in units.translations.items():
            checked = any(
                language == code and _field_of(unit) == units.name for language, unit in stored
            )
            aligned = units.aligned.get(code)
            for unit, source_hash in units.sources.items():
                row = stored.get((code, unit))
                if translation is None or (aligned is not None and unit not in aligned):
                    state = State.MISSING
                elif row is None:
                    # A block added to the source since: missing. A field never checked: outdated.
                    state = State.MISSING if units.blocks and checked else State.OUTDATED
                else:
                    state = State.UP_TO_DATE if row.source_hash == source_hash else State.OUTDATED
                states[code][unit] = state
    return states


def last_translated(instance: models.Model) -> dict[str, TranslationSource]:
    """For each language, the unit of ``instance`` whose translation was vouched for last:
    who translated (or confirmed) it, and when."""
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    rows = (
        TranslationSource.objects.filter(content_type=content_type, object_id=str(instance.pk))
        .select_related("recorded_by")
        .order_by("language", "-recorded_at", "-pk")
    )
    latest: dict[str, TranslationSource] = {}
    for row in rows:
        latest.setdefault(row.language, row)
    return latest


def summary(instance: models.Model) -> dict[str, dict[State, int]]:
    """For each language but Vietnamese, how many units of ``instance`` are in each state."""
    return _counted(unit_states(instance))


def _counted(states: dict[str, dict[str, State]]) -> dict[str, dict[State, int]]:
    counted = {}
    for code, units in states.items():
        counts = dict.fromkeys(State, 0)
        for state in units.values():
            counts[state] += 1
        counted[code] = counts
    return counted


def is_followed(model: type[models.Model]) -> bool:
    """Whether ``model``'s translations are followed: it has translated text and is an item
    of its own (a page, a record, a snippet), not a part edited inside another (a photo's
    caption, a record's narrative), whose protocol and listing are its parent's."""
    if any(isinstance(field, ParentalKey) for field in model._meta.get_fields()):
        return False
    return bool(tracked_fields(model))
