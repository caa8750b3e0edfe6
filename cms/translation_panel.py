"""The edit view's panel that says, per language, how far the object being edited is translated."""

from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from wagtail.admin.panels import Panel

from cms.languages import CONTENT_LANGUAGES, DEFAULT_LANGUAGE
from cms.translation_exchange import exchangeable, item_key
from cms.translation_state import State, last_translated, overall, summary


class TranslationStatusPanel(Panel):
    """Each language's state for the object as it is being edited (its latest revision): up to
    date, outdated or missing, with how many parts are which, who translated it last, and its
    translation files."""

    class BoundPanel(Panel.BoundPanel):
        """The panel bound to the object in the form."""

        template_name = "cms/admin/translation_status_panel.html"

        def get_context_data(self, parent_context: dict[str, Any] | None = None) -> dict:
            """The languages with their states; none before the object is first saved."""
            context = super().get_context_data(parent_context)
            counted = summary(self.instance) if self.instance.pk else {}
            # Named in the admin's language: native names would fetch every script's face.
            vietnamese = get_language() == DEFAULT_LANGUAGE
            names = {
                language.code: language.name_vi if vietnamese else language.name_en
                for language in CONTENT_LANGUAGES
            }
            latest = last_translated(self.instance) if self.instance.pk else {}
            context["languages"] = [
                (
                    code,
                    names[code],
                    overall(counts),
                    counts[State.MISSING],
                    counts[State.OUTDATED],
                    latest.get(code),
                )
                for code, counts in counted.items()
                if sum(counts.values())
            ]
            if self.instance.pk and exchangeable(type(self.instance)):
                context["export"] = reverse("cms_translations_export")
                context["item"] = item_key(self.instance)
            return context
