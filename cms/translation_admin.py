"""The translation coverage dashboard: per language, what is missing or outdated; and the
offline round trip: what it lists exported as XLIFF or PO, and a translated file imported.

Counts and lists come from ``TranslationStatus`` alone (kept by ``cms.translation_state``), so the
page reads no page, record or snippet to draw itself. Objects the reader may not see (heritage
records under a protocol) are left out of the counts, the lists and the files alike
(``cms.admin_visibility``); a file holds only what its reader may edit.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from modeltranslation.translator import translator
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page

from cms import audio_coverage
from cms.admin_filters import FilterForm
from cms.admin_visibility import hidden_references
from cms.glossary import Glossary
from cms.interface_catalogue import interface_coverage
from cms.languages import CONTENT_LANGUAGES, DEFAULT_LANGUAGE, get_language
from cms.models import TranslationStatus
from cms.po_files import TranslationUploadForm
from cms.topics import Topic
from cms.translation_exchange import (
    TooManyItems,
    editable,
    exported,
    exported_items,
    site_name,
)
from cms.translation_files import write_po, write_xliff
from cms.translation_import import import_file
from cms.translation_state import TRANSLATIONS, is_followed
from cms.translators import translatable_languages

PER_PAGE = 50
AUDIO_LISTED = 20
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
    order = forms.ChoiceField(
        label=_("Order"),
        choices=[("", _("Last saved first")), ("reads", _("Most read first"))],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        languages, kinds = self.fields["language"], self.fields["kind"]
        assert isinstance(languages, forms.ChoiceField) and isinstance(kinds, forms.ChoiceField)
        languages.choices = [
            (language.code, language.name_native)
            for language in CONTENT_LANGUAGES
            if language.code != DEFAULT_LANGUAGE
        ]
        kinds.choices = [("", _("All kinds")), *followed_kinds()]


def edit_url(row: TranslationStatus, finder: AdminURLFinder) -> str:
    """Where ``row``'s object is edited: a page's edit view (which refuses whoever may not edit
    it), another object's where the reader may change its kind, else ``""``."""
    model = row.content_type.model_class()
    if model is None:
        return ""
    if issubclass(model, Page):
        return reverse("wagtailadmin_pages:edit", args=[row.object_id])
    return finder.get_edit_url(model(pk=row.object_id)) or ""


def _rows(request: HttpRequest, filters: CoverageFilter) -> QuerySet[TranslationStatus]:
    """The statuses of the objects the reader may see, of the topic and kind chosen."""
    rows: QuerySet[TranslationStatus] = TranslationStatus.objects.filter(
        hidden_references(request.user)
    )
    if filters.value("topic"):
        rows = rows.filter(topic=filters.value("topic"))
    if filters.value("kind"):
        rows = rows.filter(content_type_id=filters.value("kind"))
    return rows


def _listed(
    rows: QuerySet[TranslationStatus], filters: CoverageFilter, language: str
) -> QuerySet[TranslationStatus]:
    states = [filters.value("state")] if filters.value("state") else NEEDS_WORK
    first = "-reads" if filters.value("order") == "reads" else "-changed_at"
    return rows.filter(language=language, state__in=states).order_by(first, "-pk")


def coverage(request: HttpRequest) -> TemplateResponse:
    """Counts per language and state, and the objects needing work in one language."""
    filters = CoverageFilter(request.GET)
    language = filters.value("language") or TRANSLATIONS[0]
    rows = _rows(request, filters)
    counted = rows.values_list("language", "state").annotate(n=Count("pk")).order_by()
    counts = {(code, state): n for code, state, n in counted}
    table = [
        (entry, [counts.get((entry.code, state), 0) for state in TranslationStatus.State.values])
        for entry in CONTENT_LANGUAGES
        if entry.code != DEFAULT_LANGUAGE
    ]
    listed = _listed(rows, filters, language).select_related("content_type")
    listing = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    finder = AdminURLFinder(request.user)
    entries = [(row, edit_url(row, finder)) for row in listing.object_list]
    translating = translatable_languages(request.user)
    interface = [
        (get_language(code), translated, total, code in translating)
        for code, (translated, total) in interface_coverage().items()
    ]
    context = {
        "filters": filters,
        "language": language,
        "states": TranslationStatus.State.choices,
        "table": table,
        "entries": entries,
        "listing": listing,
        "interface": interface,
        "most_read": filters.value("order") == "reads",
        "audio": audio_coverage.counts(filters.value("topic")),
        "without_audio": audio_coverage.without_audio(language, filters.value("topic"))[
            :AUDIO_LISTED
        ],
    }
    return TemplateResponse(request, "cms/admin/translation_coverage.html", context)


FORMATS = {
    "xliff": (write_xliff, "application/xliff+xml", "xlf"),
    "po": (write_po, "text/x-gettext-translation", "po"),
}


class ExportChoice(CoverageFilter):
    """What to export: the dashboard's choices, or one item, and a format."""

    item = forms.CharField(required=False, max_length=100)
    format = forms.ChoiceField(choices=[("xliff", "XLIFF 2.1"), ("po", "PO")], required=False)


@never_cache
def export(request: HttpRequest) -> HttpResponse:
    """A translation file of the items listed on the dashboard for its choices (or of one
    item), that the reader may edit, as XLIFF (the default) or PO. An item the reader may not
    edit is answered as a missing one: 404."""
    choice = ExportChoice(request.GET)
    language = choice.value("language") or TRANSLATIONS[0]
    if request.GET.get("item"):
        instance = editable(request.user, choice.value("item"))
        if instance is None:
            raise Http404  # named nothing, or nothing the reader may edit: the same answer
        item = exported(instance, language, Glossary.of(language))
        items = [item] if item is not None else []
    else:
        try:
            items = exported_items(
                request.user, _listed(_rows(request, choice), choice, language), language
            )
        except TooManyItems as error:
            limit = {"count": error.count, "limit": error.limit}
            messages.error(
                request, _("%(count)d items match; a file holds %(limit)d: choose fewer.") % limit
            )
            return redirect(reverse("cms_translations") + choice.query(item=None, format=None))
    if not items:
        messages.info(request, _("Nothing to export for these choices."))
        return redirect(reverse("cms_translations") + choice.query(item=None, format=None))
    writer, content_type, extension = FORMATS[choice.value("format") or "xliff"]
    response = HttpResponse(writer(items, language, site_name()), content_type=content_type)
    name = f"banlang-{language}-{timezone.localdate():%Y%m%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


IMPORT_LIMIT = 20 * 1024 * 1024
"""The largest file imported: an export of ``EXPORT_LIMIT`` long articles, with room."""


class ImportForm(TranslationUploadForm):
    """A translated file to import."""

    limit = IMPORT_LIMIT
    file = forms.FileField(
        label=_("Translated file (XLIFF or PO)"),
        help_text=_("A file exported here, translated. Its translations become drafts."),
    )


def import_translations(request: HttpRequest) -> TemplateResponse:
    """The import form; posted, the import's report."""
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = import_file(form.cleaned_data["file"].read(), request.user)
    else:
        form = ImportForm()
    context = {"form": form, "report": report}
    return TemplateResponse(request, "cms/admin/translation_import.html", context)
