"""Signal handlers of the cms app."""

from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import models
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django_tasks.signals import task_started
from modelcluster.fields import ParentalKey
from modeltranslation.translator import translator
from wagtail.fields import StreamField
from wagtail.models import Page, Revision, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move, published

from cms import sites, translation_state
from cms.groups import apps_migrated, send_apps_migrated
from cms.languages import LANGUAGE_CODES
from cms.page_indexes import index_page_paths
from cms.text import nfc, nfc_data
from cms.translators import ensure_translator_groups

NORMALISED_APPS = frozenset({"cms", "heritage", "media", "outreach", "search"})


def normalise_text_fields(
    sender: type[models.Model], instance: models.Model, **kwargs: Any
) -> None:
    """Store every text of our models in NFC, whatever the keyboard or import produced.

    Vietnamese typed on some keyboards, and text pasted from PDFs, arrives decomposed (NFD):
    it looks the same but neither matches nor sorts like the composed form.
    """
    if sender._meta.app_label not in NORMALISED_APPS:
        return
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(field, StreamField):
            if value is not None:
                raw = field.get_prep_value(value)
                normalised = nfc_data(raw)
                if normalised != raw:
                    setattr(instance, field.attname, normalised)
        elif isinstance(value, str) and isinstance(field, models.CharField | models.TextField):
            setattr(instance, field.attname, nfc(value))


def forget_site_menu(**kwargs: Any) -> None:
    """Drop the cached section menu in every language when pages change."""
    cache.delete_many([make_template_fragment_key("site_nav", [code]) for code in LANGUAGE_CODES])


def translation_saved(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """Remember what the translations of an object were made from, unless its revisions say
    it (``revision_saved``): an object never edited through revisions (an import, the demo)
    is followed from its saves."""
    if kwargs.get("raw") or getattr(instance, "latest_revision_id", None) is not None:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not set(update_fields) & translation_state.localized_names(
        sender
    ):
        return  # a state, a count: no translation changed
    translation_state.record(instance)


def revision_saved(sender: type[Revision], instance: Revision, **kwargs: Any) -> None:
    """Remember what the translations in a revision (a draft too) were made from."""
    if kwargs.get("raw") or not kwargs.get("created"):
        return
    model = instance.content_type.model_class()
    if model is not None and translation_state.is_followed(model):
        translation_state.record(instance.as_object(), user=instance.user)


def translation_published(
    sender: type[models.Model], instance: models.Model, revision: Revision | None, **kwargs: Any
) -> None:
    """Follow the parts a published revision gave keys to: a part added in a draft had none when
    the draft was recorded (``translation_state.parts_of``)."""
    if translation_state.is_followed(sender) and translation_state.part_relations(sender):
        translation_state.record(instance, user=revision.user if revision else None)


def part_changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """Follow a part saved or deleted outside its object's revisions (an import, the demo)
    with the object it is part of, as ``translation_saved`` follows the object."""
    if kwargs.get("raw"):
        return
    for field in instance._meta.get_fields():
        if isinstance(field, ParentalKey) and getattr(instance, field.attname) is not None:
            translation_saved(field.related_model, getattr(instance, field.name))


def translated_deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """Forget the translation state of an object deleted."""
    translation_state.forget(instance)


def catalogues_for_task(**kwargs: Any) -> None:
    """Before a task runs (a message rendered in a reader's language), take up the interface
    strings translated in the admin since, as a request does (``cms.interface_reload``)."""
    from cms.interface_reload import reload_changed_catalogues

    reload_changed_catalogues()


def register() -> None:
    """Connect the cms signal handlers."""
    pre_save.connect(normalise_text_fields, dispatch_uid="cms.normalise_text_fields")
    post_migrate.connect(send_apps_migrated, dispatch_uid="cms.apps_migrated")
    apps_migrated.connect(ensure_translator_groups, dispatch_uid="cms.translator_groups")
    post_migrate.connect(
        index_page_paths,
        sender=apps.get_app_config("cms"),
        dispatch_uid="cms.index_page_paths",
    )
    task_started.connect(catalogues_for_task, dispatch_uid="cms.catalogues_for_task")
    post_save.connect(revision_saved, sender=Revision, dispatch_uid="cms.revision_saved")
    published.connect(translation_published, dispatch_uid="cms.translation_published")
    for model in translator.get_registered_models(abstract=False):
        if translation_state.is_followed(model):
            post_delete.connect(
                translated_deleted, sender=model, dispatch_uid=f"cms.translated_deleted.{model}"
            )
            post_save.connect(
                translation_saved, sender=model, dispatch_uid=f"cms.translation_saved.{model}"
            )
        elif any(
            isinstance(field, ParentalKey) and translation_state.is_followed(field.related_model)
            for field in model._meta.get_fields()
        ):
            for changed in (post_save, post_delete):
                changed.connect(
                    part_changed, sender=model, dispatch_uid=f"cms.part_changed.{model}"
                )
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_site_menu, dispatch_uid=f"cms.forget_site_menu.{signal}")
    post_delete.connect(forget_site_menu, sender=Page, dispatch_uid="cms.forget_site_menu.delete")
    for changed in (post_save, post_delete):
        changed.connect(sites.forget_sites, sender=Site, dispatch_uid=f"cms.forget_sites.{changed}")
    for model in get_page_models():
        post_save.connect(
            sites.forget_sites_of_root_page,
            sender=model,
            dispatch_uid=f"cms.forget_sites.root_page.{model}",
        )
    post_page_move.connect(sites.forget_sites, dispatch_uid="cms.forget_sites.move")
