"""Signal handlers of the cms app."""

from typing import Any

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import models
from django.db.models.signals import post_delete, pre_save
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.languages import LANGUAGE_CODES
from cms.text import nfc, nfc_data

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


def register() -> None:
    """Connect the cms signal handlers."""
    pre_save.connect(normalise_text_fields, dispatch_uid="cms.normalise_text_fields")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_site_menu, dispatch_uid=f"cms.forget_site_menu.{signal}")
    post_delete.connect(forget_site_menu, sender=Page, dispatch_uid="cms.forget_site_menu.delete")
