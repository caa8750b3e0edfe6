"""An object's text to translate, unit by unit, and a translation put back into its fields.

A unit is a translated text field (``summary``) or one text inside a StreamField block: the
block's own text (``body.<block id>``), a text of a structure (``body.<block id>.caption``) or an
item of a list (``body.<block id>.facts.<item id>``). Blocks without text (images, recordings)
have no unit: a translation takes them from the Vietnamese as they are. A part followed with its
object (``cms.translation_state.parts_of``) has a unit per text field
(``narratives.<id>.text``).

A translated StreamField block keeps the id of the Vietnamese block it translates, so that each
translated block is followed on its own (``cms.translation_state``) and found again by the next
round trip.
"""

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from modeltranslation.utils import build_localized_fieldname
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField

from cms.languages import DEFAULT_LANGUAGE
from cms.text import nfc
from cms.translation_state import (
    block_unit,
    column,
    part_relations,
    part_unit,
    parts_of,
    tracked_fields,
)

SEPARATOR = "."
"""Between the parts of a unit's key: field names, block names and ids never hold one, and
XLIFF ids (NMTOKEN) may."""


@dataclass(frozen=True)
class TextUnit:
    """One text of an object to translate into one language."""

    key: str
    """``summary``, ``body.<block id>``, ``body.<block id>.caption``…"""
    state_unit: str
    """The unit whose translation state this text is part of (``cms.translation_state``)."""
    label: str
    html: bool
    """Whether the text is rich text (HTML whose markup a translation keeps)."""
    source: str
    translation: str
    max_length: int | None = None


def _label(text: Any) -> str:
    return str(text or "").strip().capitalize()


def _texts(
    block: blocks.Block, raw: Any, path: tuple[str, ...], label: str
) -> Iterator[tuple[tuple[str, ...], str, blocks.Block, str]]:
    """``(path, label, block, text)`` of each text in ``raw``, a value of ``block`` as stored."""
    if isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            if isinstance(raw, dict):
                yield from _texts(child, raw.get(name), (*path, name), f"{label} › {child.label}")
    elif isinstance(block, blocks.ListBlock):
        for index, item in enumerate(raw or []):
            if isinstance(item, dict) and "id" in item:
                yield from _texts(block.child_block, item["value"], (*path, item["id"]), label)
            else:
                yield from _texts(block.child_block, item, (*path, str(index)), label)
    elif isinstance(block, blocks.StreamBlock):
        for item in raw or []:
            child = block.child_blocks.get(item.get("type"))
            if child is not None and item.get("id"):
                yield from _texts(child, item["value"], (*path, item["id"]), _label(child.label))
    elif isinstance(block, blocks.RichTextBlock | blocks.CharBlock | blocks.TextBlock):
        if isinstance(raw, str) and raw.strip():
            yield path, label, block, raw
    elif isinstance(block, blocks.BlockQuoteBlock) and isinstance(raw, str) and raw.strip():
        yield path, label, block, raw


def _put(block: blocks.Block, raw: Any, path: tuple[str, ...], text: str) -> Any:
    """``raw`` (a value of ``block`` as stored) with the text at ``path`` replaced by ``text``."""
    if not path:
        return text
    head, rest = path[0], path[1:]
    if isinstance(block, blocks.StructBlock):
        return {**raw, head: _put(block.child_blocks[head], raw.get(head), rest, text)}
    if isinstance(block, blocks.ListBlock):
        return [
            {**item, "value": _put(block.child_block, item["value"], rest, text)}
            if isinstance(item, dict) and item.get("id") == head
            else item
            for item in raw
        ]
    raise KeyError(head)


def _max_length(block: blocks.Block) -> int | None:
    form_field = getattr(block, "field", None)
    return getattr(form_field, "max_length", None)


def _stored_blocks(instance: models.Model, name: str, code: str) -> list[dict[str, Any]]:
    model_field = column(instance, build_localized_fieldname(name, code))
    value = getattr(instance, model_field.attname)
    return list(model_field.get_prep_value(value)) if value is not None else []


def _stream_block(instance: models.Model, name: str) -> blocks.StreamBlock:
    """The blocks a StreamField ``name`` of ``instance`` may hold."""
    model_field = column(instance, name)
    assert isinstance(model_field, StreamField)  # called for StreamFields only
    return model_field.stream_block


def _block_units(instance: models.Model, name: str, code: str) -> Iterator[TextUnit]:
    stream = _stream_block(instance, name)
    translated = {block["id"]: block for block in _stored_blocks(instance, name, code)}
    for block in _stored_blocks(instance, name, DEFAULT_LANGUAGE):
        child = stream.child_blocks.get(block["type"])
        if child is None:
            continue
        twin = translated.get(block["id"])
        theirs: dict[tuple[str, ...], str] = {}
        if twin is not None and twin["type"] == block["type"]:
            theirs = {path: text for path, _, _, text in _texts(child, twin["value"], (), "")}
        for path, label, leaf, text in _texts(child, block["value"], (), _label(child.label)):
            yield TextUnit(
                key=SEPARATOR.join((name, block["id"], *path)),
                state_unit=block_unit(name, block["id"]),
                label=f"{_label(column(instance, name).verbose_name)} › {label}",
                html=isinstance(leaf, blocks.RichTextBlock),
                source=nfc(text),
                translation=nfc(theirs.get(path, "")),
                max_length=_max_length(leaf),
            )


def _text_unit(
    instance: models.Model, name: str, code: str, key: str, state_unit: str, label: str
) -> TextUnit | None:
    """The unit of ``instance``'s text field ``name``; ``None`` if it is not text or is empty."""
    model_field = column(instance, build_localized_fieldname(name, DEFAULT_LANGUAGE))
    if not isinstance(model_field, models.CharField | models.TextField):
        return None  # a recording, a choice of object: not text
    source = getattr(instance, model_field.attname) or ""
    if not source.strip():
        return None
    return TextUnit(
        key=key,
        state_unit=state_unit,
        label=label,
        html=isinstance(model_field, RichTextField),
        source=nfc(source),
        translation=nfc(getattr(instance, build_localized_fieldname(name, code)) or ""),
        max_length=model_field.max_length,
    )


def text_units(instance: models.Model, code: str) -> list[TextUnit]:
    """The texts of ``instance`` and of its parts to translate into ``code``, in the order an
    editor reads them, each with its current translation (``""`` where there is none)."""
    found: list[TextUnit] = []
    for name in tracked_fields(type(instance)):
        model_field = column(instance, build_localized_fieldname(name, DEFAULT_LANGUAGE))
        if isinstance(model_field, StreamField):
            found += _block_units(instance, name, code)
        elif unit := _text_unit(
            instance, name, code, name, name, _label(column(instance, name).verbose_name)
        ):
            found.append(unit)
    numbers: dict[str, int] = {}
    for relation, part in parts_of(instance):
        numbers[relation] = numbers.get(relation, 0) + 1
        title = f"{_label(part._meta.verbose_name)} {numbers[relation]}"
        for name in tracked_fields(type(part)):
            label = f"{title} › {_label(column(part, name).verbose_name)}"
            key = SEPARATOR.join((relation, str(part.pk), name))
            if unit := _text_unit(part, name, code, key, part_unit(relation, part, name), label):
                found.append(unit)
    return found


def put_translation(instance: models.Model, code: str, targets: dict[str, str]) -> bool:
    """Put the texts ``targets`` (by unit key) into the fields in ``code`` of ``instance`` and
    of its parts, as ``translated_fields`` says; whether anything changed."""
    changed = translated_fields(instance, code, targets)
    for attname, value in changed.items():
        setattr(instance, attname, value)
    for relation in part_relations(type(instance)):
        # Held in memory, the parts changed here are the ones the next revision serialises.
        setattr(instance, relation, list(getattr(instance, relation).all()))
    for relation, part in parts_of(instance):
        for name in tracked_fields(type(part)):
            key = SEPARATOR.join((relation, str(part.pk), name))
            attname = build_localized_fieldname(name, code)
            if key in targets and targets[key] != (getattr(part, attname) or ""):
                setattr(part, attname, targets[key])
                changed[key] = targets[key]
    return bool(changed)


def translated_fields(instance: models.Model, code: str, targets: dict[str, str]) -> dict[str, Any]:
    """The values of ``instance``'s fields in ``code`` once the texts ``targets`` (by unit key)
    are put in, for the fields that change.

    A StreamField translation is rebuilt on its Vietnamese blocks: a block keeps its translated
    texts (found by block id) with the new ones put in, is copied as it is when it holds no
    text, and is left out while none of its texts is translated. Its shape is the Vietnamese
    block's: a text the translation lacks stays in Vietnamese, and blocks of a translation that
    match no Vietnamese block are dropped."""
    changed: dict[str, Any] = {}
    for name in tracked_fields(type(instance)):
        localized = build_localized_fieldname(name, code)
        model_field = column(instance, localized)
        if isinstance(model_field, StreamField):
            if not any(key.split(SEPARATOR, 1)[0] == name for key in targets):
                continue  # a translation written in the editor keeps its own blocks
            before = _stored_blocks(instance, name, code)
            after = _rebuilt(instance, name, code, targets)
            if after != before:
                changed[model_field.attname] = after
        elif name in targets and targets[name] != (getattr(instance, model_field.attname) or ""):
            changed[model_field.attname] = targets[name]
    return changed


def _rebuilt(
    instance: models.Model, name: str, code: str, targets: dict[str, str]
) -> list[dict[str, Any]]:
    stream = _stream_block(instance, name)
    translated = {block["id"]: block for block in _stored_blocks(instance, name, code)}
    rebuilt = []
    for block in _stored_blocks(instance, name, DEFAULT_LANGUAGE):
        child = stream.child_blocks.get(block["type"])
        twin = translated.get(block["id"])
        if twin is not None and twin["type"] != block["type"]:
            twin = None
        paths = [path for path, *_ in _texts(child, block["value"], (), "")] if child else []
        if not paths:
            rebuilt.append(copy.deepcopy(twin or block))
            continue
        texts = (
            {path: text for path, _, _, text in _texts(child, twin["value"], (), "")}
            if twin
            else {}
        )
        for path in paths:
            key = SEPARATOR.join((name, block["id"], *path))
            if key in targets:
                texts[path] = targets[key]
        if twin is None and not texts:
            continue
        value = copy.deepcopy(block["value"])
        for path in paths:
            if path in texts:
                value = texts[path] if not path else _put(child, value, path, texts[path])
        rebuilt.append({**block, "value": value})
    return rebuilt
