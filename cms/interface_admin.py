"""The admin's interface strings: a language's list (filtered, paginated) with the English,
the Vietnamese and the translation side by side, a form translating one string, and the whole
catalogue as a PO file to download and upload.

A translator works only on the languages of their translator groups
(``translatable_languages``); any other language is answered as a missing one: 404.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from cms.admin_filters import FilterForm
from cms.interface_catalogue import (
    INTERFACE_LANGUAGES,
    InterfaceString,
    catalogue_po,
    interface_strings,
    plural_count,
    save_translations,
)
from cms.interface_checks import problem_with
from cms.interface_upload import upload_catalogue
from cms.languages import get_language
from cms.po_files import TranslationUploadForm
from cms.text import nfc
from cms.translators import translatable_languages

PER_PAGE = 50
UPLOAD_LIMIT = 5 * 1024 * 1024
"""The largest catalogue uploaded: ours is about 100 KB."""


def editable_language(request: HttpRequest, language: str) -> str:
    """``language``, if its interface strings are translated in the admin and the reader may
    translate them; otherwise the answer for a missing language."""
    if language not in INTERFACE_LANGUAGES or language not in translatable_languages(request.user):
        raise Http404
    return language


class InterfaceFilter(FilterForm):
    """The list's choices: translated or not, and words to look for."""

    state = forms.ChoiceField(
        label=_("State"),
        choices=[
            ("", _("All")),
            ("untranslated", _("Not translated")),
            ("translated", _("Translated")),
        ],
        required=False,
    )
    q = forms.CharField(label=_("Search"), max_length=200, required=False)


def _matches(message: InterfaceString, words: str) -> bool:
    texts = [message.msgctxt, message.msgid, message.msgid_plural, message.vietnamese]
    haystack = nfc(" ".join([*texts, *message.translation])).casefold()
    return nfc(words).casefold() in haystack


def _listed(listed: list[InterfaceString], filters: InterfaceFilter) -> list[InterfaceString]:
    if filters.value("state"):
        wanted = filters.value("state") == "translated"
        listed = [message for message in listed if message.translated == wanted]
    if filters.value("q").strip():
        listed = [message for message in listed if _matches(message, filters.value("q").strip())]
    return listed


def interface_list(request: HttpRequest, language: str) -> TemplateResponse:
    """A language's interface strings, as filtered, a page at a time."""
    language = editable_language(request, language)
    filters = InterfaceFilter(request.GET)
    everything = interface_strings(language)
    listing = Paginator(_listed(everything, filters), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "language": get_language(language),
        "filters": filters,
        "listing": listing,
        "translated": sum(message.translated for message in everything),
        "total": len(everything),
    }
    return TemplateResponse(request, "cms/admin/interface_strings.html", context)


class InterfaceTranslationForm(forms.Form):
    """The translation of one interface string: one field, or one per plural form."""

    def __init__(self, message: InterfaceString, language: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.message = message
        count = plural_count(language) if message.msgid_plural else 1
        for number in range(count):
            label = (
                _("Translation")
                if count == 1
                else _("Plural form %(number)d") % {"number": number + 1}
            )
            self.fields[f"form_{number}"] = forms.CharField(
                label=label,
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 2, "lang": language}),
                initial=message.translation[number] if message.translation else "",
                help_text=_("Leave it empty to use the committed translation, or the Vietnamese."),
            )

    def clean(self) -> dict[str, Any]:
        """Take each form in NFC and check it against the English text."""
        super().clean()
        cleaned = self.cleaned_data
        for name in self.fields:
            text = nfc(cleaned.get(name) or "")
            cleaned[name] = text
            if problem := problem_with(self.message, text):
                self.add_error(name, problem)
        values = [cleaned.get(name, "") for name in self.fields]
        if any(values) and not all(values):
            raise forms.ValidationError(_("Translate every plural form, or leave all empty."))
        return cleaned

    def translation(self) -> tuple[str, ...]:
        """The forms as entered (all empty: no translation)."""
        return tuple(self.cleaned_data[name] for name in self.fields)


def interface_edit(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    """Translate one interface string; saved, back to the list as it was filtered."""
    language = editable_language(request, language)
    message = next((m for m in interface_strings(language) if m.slug == slug), None)
    if message is None:
        raise Http404
    filters = InterfaceFilter(request.GET)
    form = InterfaceTranslationForm(
        message, language, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)  # editable_language refused anyone signed out
        save_translations(language, {message.key: form.translation()}, request.user)
        messages.success(request, _("The translation is saved; the site uses it at once."))
        return redirect(reverse("cms_interface_strings", args=[language]) + filters.query())
    context = {
        "language": get_language(language),
        "message": message,
        "form": form,
        "filters": filters,
    }
    return TemplateResponse(request, "cms/admin/interface_string_edit.html", context)


@never_cache
def interface_download(request: HttpRequest, language: str) -> HttpResponse:
    """The language's interface catalogue as a PO file, with the translations served now."""
    language = editable_language(request, language)
    response = HttpResponse(catalogue_po(language), content_type="text/x-gettext-translation")
    name = f"banlang-interface-{language}-{timezone.localdate():%Y%m%d}.po"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class UploadForm(TranslationUploadForm):
    """A translated PO file of the language's interface strings."""

    limit = UPLOAD_LIMIT
    file = forms.FileField(
        label=_("Translated PO file"),
        help_text=_(
            "The file downloaded here, translated. Nothing is saved if one entry is wrong."
        ),
    )


def interface_upload(request: HttpRequest, language: str) -> TemplateResponse:
    """The upload form; posted, the report of what was saved or why nothing was."""
    language = editable_language(request, language)
    report = None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            report = upload_catalogue(form.cleaned_data["file"].read(), language, request.user)
    else:
        form = UploadForm()
    context = {"language": get_language(language), "form": form, "report": report}
    return TemplateResponse(request, "cms/admin/interface_upload.html", context)
