"""Which items a translator may take away in a translation file, and finding them again.

An item is named in files by its key, ``<app label>.<model name>.<primary key>`` of its most
specific model (``cms.articlepage.12``). Only items with revisions travel (pages, heritage
records): an import becomes a draft revision, never a published change, and a snippet has no
drafts. A key naming nothing, or something the translator may not see or edit, is answered
the same way (``editable`` returns ``None``).

What is exported is the latest revision, drafts included, as the translation state describes it.
"""

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.utils import translation
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page, RevisionMixin, Site

from cms.admin_visibility import is_visible, primary_keys
from cms.glossary import Glossary
from cms.languages import DEFAULT_LANGUAGE
from cms.models.translation_sources import TranslationStatus
from cms.translation_files import ExportedItem
from cms.translation_state import State, is_followed, unit_states
from cms.translation_units import text_units

EXPORT_LIMIT = 500
"""The most items one file holds: a district translator's month of work, a few megabytes."""


class TooManyItems(Exception):
    """More items were chosen than a file holds (``EXPORT_LIMIT``)."""

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(count, limit)
        self.count, self.limit = count, limit


def site_name() -> str:
    """How files name this site: the default site's host name."""
    site = Site.objects.filter(is_default_site=True).first()
    return site.hostname if site is not None else ""


def item_key(instance: Model) -> str:
    """The key naming ``instance`` in translation files."""
    meta = instance._meta
    return f"{meta.app_label}.{meta.model_name}.{instance.pk}"


def exchangeable(model: type[Model]) -> bool:
    """Whether items of ``model`` travel in translation files."""
    return is_followed(model) and issubclass(model, RevisionMixin)


def may_edit(user: Any, instance: Model) -> bool:
    """Whether ``user`` may edit ``instance`` in the admin."""
    if isinstance(instance, Page):
        return instance.permissions_for_user(user).can_edit()
    return bool(AdminURLFinder(user).get_edit_url(instance))


def editable(user: Any, key: str) -> Model | None:
    """The latest revision (a draft too) of the item ``key`` names, if ``user`` may edit it."""
    parts = key.split(".")
    if len(parts) != 3:
        return None
    try:
        model = apps.get_model(parts[0], parts[1])
    except (LookupError, ValueError):
        return None
    keys = primary_keys(model, [parts[2]])
    if not keys or not exchangeable(model):
        return None
    instance = model._default_manager.filter(pk=keys[0]).first()
    if instance is None or not is_visible(user, model, instance.pk):
        return None
    if not may_edit(user, instance):
        return None
    return instance.get_latest_revision_as_object()  # type: ignore[attr-defined]


def exported(instance: Model, language: str, glossary: Glossary) -> ExportedItem | None:
    """``instance`` as it goes into a file for ``language``, with the terms of ``glossary``
    each unit holds; ``None`` when it has no text."""
    units = text_units(instance, language)
    if not units:
        return None
    states = unit_states(instance)[language]
    with translation.override(DEFAULT_LANGUAGE):
        title = str(instance)
    return ExportedItem(
        key=item_key(instance),
        title=title,
        units=units,
        outdated={unit for unit, state in states.items() if state == State.OUTDATED},
        terms={unit.key: found for unit in units if (found := glossary.terms_in([unit.source]))},
    )


def exported_items(
    user: Any, rows: QuerySet[TranslationStatus], language: str
) -> list[ExportedItem]:
    """The items of ``rows`` (already limited to what ``user`` may see) that travel and that
    ``user`` may edit, ready for a file in ``language``; ``TooManyItems`` beyond
    ``EXPORT_LIMIT``."""
    kinds = {
        kind.pk: kind.model_class()
        for kind in ContentType.objects.filter(pk__in=rows.values("content_type"))
    }
    travelling = [pk for pk, model in kinds.items() if model is not None and exchangeable(model)]
    chosen = rows.filter(content_type__in=travelling)
    if (count := chosen.count()) > EXPORT_LIMIT:
        raise TooManyItems(count, EXPORT_LIMIT)
    glossary = Glossary.of(language)
    items = []
    for kind, object_id in chosen.values_list("content_type", "object_id"):
        meta = kinds[kind]._meta  # type: ignore[union-attr]
        instance = editable(user, f"{meta.app_label}.{meta.model_name}.{object_id}")
        item = exported(instance, language, glossary) if instance is not None else None
        if item is not None:
            items.append(item)
    return items
