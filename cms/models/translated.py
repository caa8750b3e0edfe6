"""What every translated page knows about its languages."""

from typing import Any, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname
from wagtail.admin.panels import Panel
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from cms.admin_choices import VisibleChoicesPageForm
from cms.alternates import sitemap_entries, with_default
from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from cms.translation_panel import TranslationStatusPanel


class TranslatedPage(Page):
    """A page whose reader-visible fields are translated with modeltranslation.

    A language counts as translated when every field in ``translation_required_fields`` has a
    value in it; otherwise readers see the Vietnamese text with a notice, and the language is
    left out of hreflang alternates and the sitemap.
    """

    translation_required_fields: ClassVar[tuple[str, ...]] = ("title",)
    base_form_class = VisibleChoicesPageForm
    content_panels: ClassVar[list[Panel]] = [
        *Page.content_panels,
        TranslationStatusPanel(heading=_("Translations")),
    ]

    class Meta:
        abstract = True

    def has_translation(self, code: str) -> bool:
        """Whether this page has its own text in language ``code``."""
        for name in self.translation_required_fields:
            value = getattr(self, build_localized_fieldname(name, code), None)
            if value is None or (hasattr(value, "__len__") and len(value) == 0):
                return False
        return True

    def translated_languages(self) -> list[str]:
        """The codes of the languages this page is really written in."""
        return [code for code in LANGUAGE_CODES if self.has_translation(code)]

    def url_in(self, code: str, request: HttpRequest | None = None) -> str:
        """This page's URL in language ``code`` (its translated slugs under ``/<code>/``)."""
        with translation.override(code):
            return self.get_url(request)

    def full_url_in(self, code: str, request: HttpRequest | None = None) -> str:
        """This page's absolute URL in language ``code``."""
        with translation.override(code):
            return self.get_full_url(request)

    def alternates(self, request: HttpRequest | None = None) -> list[tuple[str, str]]:
        """``(hreflang, absolute URL)`` for each real translation, plus ``x-default`` (vi)."""
        return with_default(
            (code, self.full_url_in(code, request)) for code in self.translated_languages()
        )

    def get_sitemap_urls(self, request: HttpRequest | None = None) -> list[dict[str, Any]]:
        """One sitemap entry per translated language, each listing all the alternates."""
        return sitemap_entries(
            ((code, self.full_url_in(code, request)) for code in self.translated_languages()),
            self.last_published_at or self.latest_revision_created_at,
        )

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        """Find the child named by the next path component with one indexed query.

        wagtail-modeltranslation's own ``route`` loads every child page to compare slugs in
        Python; with thousands of articles per topic that dominates the response time. The
        localized ``url_path_<lang>`` columns already hold each page's path with slug fallbacks
        applied, so the child can be selected by it directly.
        """
        if not path_components:
            return super().route(request, path_components)
        language = translation.get_language() or DEFAULT_LANGUAGE
        target = f"{self.url_path}{path_components[0]}/"
        found = (
            Page.objects.child_of(self)
            .filter(**{build_localized_fieldname("url_path", language): target})
            .values_list("pk", "content_type_id")
            .first()
        )
        if found is None:
            raise Http404
        pk, content_type_id = found
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        assert model is not None  # a page's content type names an installed page model
        child: Page = model._default_manager.get(pk=pk)
        return child.route(request, path_components[1:])
