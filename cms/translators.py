"""Translators: one group per language, whose members change only that language's text.

A member of "Translators (jra)" may open and save pages and heritage records in the admin, as
drafts that go through the moderation workflow (they hold no right to publish). In an edit form
(``limit_to_languages``) every field but their languages' translations is disabled, so whatever
is posted for it is ignored and the stored value kept: the Vietnamese source, the other languages,
and the fields that are not text (slug, dates, topic, protocol…). Inline items (narratives,
captions) are limited alike, and a translator can neither add nor remove one. Above each field
they translate they see the Vietnamese it is translated from, marked ``lang="vi"``.

Someone who may edit as more than a translator (a superuser, or a member of another group with a
right to add, change or publish pages or translated objects, such as "Editors" or "Cultural
officers") is an editor, and changes every language, whatever translator groups they are in too.
"""

from contextlib import suppress
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model, Q
from django.forms import BaseForm
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname
from wagtail.blocks import BlockField, StreamValue
from wagtail.models import Comment, GroupPagePermission, Page, RevisionMixin

from cms.glossary import terms_in
from cms.groups import ensure_group
from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ALL_LANGUAGES: frozenset[str] = frozenset(LANGUAGE_CODES)

TRANSLATOR_GROUPS: dict[str, str] = {
    code: f"Translators ({code})" for code in LANGUAGE_CODES if code != DEFAULT_LANGUAGE
}
"""The translator group of each language but Vietnamese, the source."""

TRANSLATOR_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    *(("cms", f"{action}_glossaryterm") for action in ("add", "change", "delete")),
]
"""Translators keep their languages' glossary (``cms.glossary_admin``)."""
TRANSLATOR_PAGE_PERMISSIONS = ["change_page"]
"""Translators change pages anywhere in the tree, as drafts: no "publish_page"."""

EDITING_ACTIONS = ("add", "change", "publish")
"""The rights that make someone an editor when a group other than a translator's holds them."""


def ensure_translator_groups(**kwargs: Any) -> None:
    """Create each language's translator group, with the right to change pages but not to
    publish them (an ``apps_migrated`` handler; the heritage app adds its records' rights)."""
    # The page table's translated columns are added after the migrations: load no page.
    root = Page.objects.filter(depth=1).order_by("path").values_list("pk", flat=True).first()
    page_permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=TRANSLATOR_PAGE_PERMISSIONS
    )
    for name in TRANSLATOR_GROUPS.values():
        group = ensure_group(name, TRANSLATOR_PERMISSIONS)
        if root is None:
            continue
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=root, permission=permission
            )


def translatable_languages(user: Any) -> frozenset[str]:
    """The content-language codes whose translated fields ``user`` may change: every language for
    someone who is not a translator only (editors, superusers); for a translator only the languages
    of their translator groups; never "vi" for a translator only; none for someone signed out."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return ALL_LANGUAGES
    names = set(user.groups.values_list("name", flat=True))
    own = frozenset(code for code, name in TRANSLATOR_GROUPS.items() if name in names)
    if not own or edits_as_more_than_translator(user):
        return ALL_LANGUAGES
    return own


def edits_as_more_than_translator(user: Any) -> bool:
    """Whether ``user`` holds, other than through translator groups, a right to add, change or
    publish pages or translated objects."""
    others = user.groups.exclude(name__in=TRANSLATOR_GROUPS.values())
    editing = Q()
    for action in EDITING_ACTIONS:
        editing |= Q(codename__startswith=f"{action}_")
    if GroupPagePermission.objects.filter(
        group__in=others, permission__in=Permission.objects.filter(editing)
    ).exists():
        return True
    translated = ContentType.objects.get_for_models(
        *translator.get_registered_models(abstract=False)
    ).values()
    return (
        Permission.objects.filter(editing, content_type__in=translated)
        .filter(Q(group__in=others) | Q(user=user))
        .exists()
    )


def field_languages(model: type[Model]) -> dict[str, str]:
    """Each translated field of ``model`` (``summary_jra``), with its language (``jra``)."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return {}
    return {
        build_localized_fieldname(name, code): code
        for name in options.all_fields
        for code in LANGUAGE_CODES
    }


def limit_to_languages(form: BaseForm, user: Any) -> None:
    """Let ``user`` change, in ``form`` and its inline forms, only their languages' translations
    (nothing changes for an editor)."""
    languages = translatable_languages(user)
    if languages != ALL_LANGUAGES:
        disable_all_but(form, languages, last_saved(form.instance))  # type: ignore[attr-defined]
        for formset in getattr(form, "formsets", {}).values():
            if not issubclass(formset.model, Comment):  # comments are the translator's own
                formset.form = translating_only(formset.form, languages)


def last_saved(instance: Model) -> Model:
    """``instance`` as last saved (its latest revision): the form of a revision being reverted to
    holds an older one, whose other languages a translator must not bring back."""
    if instance.pk is None or not isinstance(instance, RevisionMixin):
        return instance
    return type(instance).objects.get(pk=instance.pk).get_latest_revision_as_object()


def disable_all_but(form: BaseForm, languages: frozenset[str], kept: Model) -> None:
    """Disable every field of ``form`` but the translations into ``languages``, keeping what
    ``kept`` holds there; show its Vietnamese above each translation."""
    model = form._meta.model  # type: ignore[attr-defined]
    localized = field_languages(model)
    for name, field in form.fields.items():
        code = localized.get(name)
        if code in languages:
            source = name.removesuffix(f"_{code}") + f"_{DEFAULT_LANGUAGE}"
            field.help_text = with_vietnamese(field.help_text, getattr(kept, source), code)
            continue
        field.disabled = True
        with suppress(FieldDoesNotExist):  # a field of the form only holds nothing
            form.initial[name] = model._meta.get_field(name).value_from_object(kept)
        if isinstance(field, BlockField):
            field.widget = StreamText(code or DEFAULT_LANGUAGE)
            field.clean = stored_as_it_is


def stored_as_it_is(value: Any) -> Any:
    """A disabled stream's value, the stored one, kept as it is: cleaning it would hold the
    translator's save to rules the stream was not written under (a block's limits changed since),
    on a field shown to them as text, which they cannot change."""
    return value


def with_vietnamese(help_text: "StrOrPromise", source: Any, language: str) -> "StrOrPromise":
    """``help_text``, followed by the Vietnamese text ``source`` (none for what is not text)
    and the glossary's translations into ``language`` of the terms in it."""
    text = plain_text(source)
    if not text:
        return help_text
    context = {
        "help_text": help_text,
        "text": text,
        "language": language,
        "terms": terms_in([text], language),
    }
    return render_to_string("cms/admin/vietnamese_source.html", context)


def plain_text(value: Any) -> str:
    """The text of a text field's value, or of a stream's blocks, one per paragraph; nothing
    for other values (a chosen recording is no text to translate)."""
    if isinstance(value, str):
        return value
    if isinstance(value, StreamValue):
        return "\n\n".join(value.stream_block.get_searchable_content(value))
    return ""


class StreamText(forms.Widget):
    """A stream shown as its text, read-only, in its language (a disabled stream's editor would
    seem to take changes it ignores)."""

    template_name = "cms/admin/stream_text.html"

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        """The text of the stream, with its language."""
        context = super().get_context(name, value, attrs)
        context["widget"]["text"] = plain_text(value)
        context["widget"]["language"] = self.language
        return context


def translating_only(form_class: type[BaseForm], languages: frozenset[str]) -> type[BaseForm]:
    """``form_class`` of inline items, changing only translations into ``languages`` and refusing
    new items (deleting and reordering are disabled with the other fields)."""

    class TranslatingOnly(form_class):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            disable_all_but(self, languages, self.instance)

        def full_clean(self) -> None:
            for name in (DELETION_FIELD_NAME, ORDERING_FIELD_NAME):  # added after __init__
                if name in self.fields:
                    self.fields[name].disabled = True
            super().full_clean()

        def clean(self) -> dict[str, Any]:
            if self.instance.pk is None:
                raise ValidationError(
                    _("A translator translates the items there are; an editor adds new ones."),
                    code="translator_cannot_add",
                )
            return super().clean()

    TranslatingOnly.__name__ = form_class.__name__
    return TranslatingOnly
