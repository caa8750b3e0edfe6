"""The glossary in the admin: editors keep every language's, a translator their languages'."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.languages import CONTENT_LANGUAGES, DEFAULT_LANGUAGE
from cms.models import GlossaryTerm
from cms.translators import translatable_languages


def glossary_visible_to(user: Any) -> QuerySet[GlossaryTerm]:
    """The terms of the languages ``user`` translates (all of them for an editor)."""
    return GlossaryTerm.objects.filter(language__in=translatable_languages(user))


class GlossaryTermForm(WagtailAdminModelForm):
    """A term, in one of the languages its editor translates."""

    language = forms.ChoiceField(label=_("Language"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = translatable_languages(self.for_user) if self.for_user else frozenset()
        self.fields["language"].choices = [
            (entry.code, entry.name_native)
            for entry in CONTENT_LANGUAGES
            if entry.code != DEFAULT_LANGUAGE and entry.code in allowed
        ]

    def save(self, commit: bool = True) -> GlossaryTerm:
        """Save the term, remembering who changed it last."""
        self.instance.updated_by = self.for_user
        return super().save(commit=commit)


class GlossaryViewSet(SnippetViewSet):
    """Each language's glossary, searchable and filtered by language and kind of term."""

    model = GlossaryTerm
    icon = "doc-full"
    menu_label = _("Glossary")
    add_to_admin_menu = False
    list_display = ["term", "translation", "language", "category", "updated_at"]
    list_filter = ["language", "category"]
    search_fields = ["term", "translation"]
    list_per_page = 50

    def get_edit_handler(self) -> ObjectList:
        """The form limiting the language to those the editor translates."""
        panels = [FieldPanel(name) for name in ("language", "term", "translation", "category")]
        return ObjectList(
            [*panels, FieldPanel("note")], base_form_class=GlossaryTermForm
        ).bind_to_model(self.model)

    def get_queryset(self, request: Any) -> QuerySet[GlossaryTerm]:
        """The terms of the languages the reader translates."""
        return glossary_visible_to(request.user)
