"""The translation coverage dashboard: per language, what is missing or outdated.

Counts and lists come from ``TranslationStatus`` alone (kept by ``cms.translation_state``), so the
page reads no page, record or snippet to draw itself. Objects the reader may not see (heritage
records under a protocol) are left out of the counts and the lists alike
(``cms.admin_visibility``).
"""

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page

from cms.admin_filters import FilterForm
from cms.admin_visibility import hidden_references
from cms.languages import CONTENT_LANGUAGES, DEFAULT_LANGUAGE
from cms.models import TranslationStatus
from cms.topics import Topic
from cms.translation_state import is_followed

PER_PAGE = 50
NEEDS_WORK = (TranslationStatus.State.MISSING, TranslationStatus.State.OUTDATED)


def followed_kinds() -> list[tuple[str, str]]:
    """``(content type id, its name)`` of every model whose translations are followed."""
    models = [m for m in translator.get_registered_models(abstract=False) if is_followed(m)]
    kinds = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    named = [(str(kind.pk), str(model._meta.verbose_name_plural)) for model, kind in kinds.items()]
    return sorted(((pk, name.capitalize()) for pk, name in named), key=lambda choice: choice[1])


class CoverageFilter(FilterForm):
    """The dashboard's choices: a language, and optionally a topic, a kind and a state."""

    language = forms.ChoiceField(label=_("Language"), required=False)
    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("All topics")), *Topic.choices], required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("Missing or outdated")), *TranslationStatus.State.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (language.code, language.name_native)
            for language in CONTENT_LANGUAGES
            if language.code != DEFAULT_LANGUAGE
        ]
        self.fields["kind"].choices = [("", _("All kinds")), *followed_kinds()]


def edit_url(row: TranslationStatus, finder: AdminURLFinder) -> str:
    """Where ``row``'s object is edited: a page's edit view (which refuses whoever may not edit
    it), another object's where the reader may change its kind, else ``""``."""
    model = row.content_type.model_class()
    if model is None:
        return ""
    if issubclass(model, Page):
        return reverse("wagtailadmin_pages:edit", args=[row.object_id])
    return finder.get_edit_url(model(pk=row.object_id)) or ""


def coverage(request: HttpRequest) -> TemplateResponse:
    """Counts per language and state, and the objects needing work in one language."""
    filters = CoverageFilter(request.GET)
    language = filters.value("language") or filters.fields["language"].choices[0][0]
    rows: QuerySet[TranslationStatus] = TranslationStatus.objects.filter(
        hidden_references(request.user)
    )
    if filters.value("topic"):
        rows = rows.filter(topic=filters.value("topic"))
    if filters.value("kind"):
        rows = rows.filter(content_type_id=filters.value("kind"))
    counted = rows.values_list("language", "state").annotate(n=Count("pk")).order_by()
    counts = {(code, state): n for code, state, n in counted}
    table = [
        (entry, [counts.get((entry.code, state), 0) for state in TranslationStatus.State.values])
        for entry in CONTENT_LANGUAGES
        if entry.code != DEFAULT_LANGUAGE
    ]
    states = [filters.value("state")] if filters.value("state") else NEEDS_WORK
    listed = (
        rows.filter(language=language, state__in=states)
        .select_related("content_type")
        .order_by("-changed_at", "-pk")
    )
    listing = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    finder = AdminURLFinder(request.user)
    entries = [(row, edit_url(row, finder)) for row in listing.object_list]
    context = {
        "filters": filters,
        "language": language,
        "states": TranslationStatus.State.choices,
        "table": table,
        "entries": entries,
        "listing": listing,
    }
    return TemplateResponse(request, "cms/admin/translation_coverage.html", context)
