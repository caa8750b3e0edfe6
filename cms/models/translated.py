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

    def parent_for_link(self) -> Page:
        """The parent page with only what a link to it shows, its titles and URL paths in every
        language (the breadcrumb), not its whole row of every translated field."""
        return Page.objects.only("title", "url_path", "path", "depth").get(
            path=self.path[: -self.steplen]
        )

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
        """This page when the path ends here, else the page it names below (``route_below``)."""
        if not path_components:
            return super().route(request, path_components)
        return route_below(self, request, path_components)


def route_below(page: Page, request: HttpRequest, path_components: list[str]) -> RouteResult:
    """Route ``path_components`` (not empty) below ``page``: find the pages they name with one
    query, whatever their depth, then let the last of them, or the first that routes differently,
    route the rest.

    wagtail-modeltranslation's own ``route`` loads every child page to compare slugs in Python;
    Wagtail's loads each page on the way. The localized ``url_path_<lang>`` columns already hold
    each page's path with slug fallbacks applied, so the pages on the way are selected by them at
    once, with only their ids and types. One that routes differently (a ``RoutablePageMixin``
    page, whose own routes come before its children) is loaded and routes the rest itself;
    otherwise only the last page is loaded. Only ``page``'s place in the tree is read.
    """
    column = build_localized_fieldname("url_path", translation.get_language() or DEFAULT_LANGUAGE)
    prefixes = [
        f"{page.url_path}{'/'.join(path_components[: depth + 1])}/"
        for depth in range(len(path_components))
    ]
    found = {
        (url_path, depth): (pk, content_type_id, path)
        for url_path, depth, pk, content_type_id, path in Page.objects.filter(
            **{f"{column}__in": prefixes}, path__startswith=page.path, depth__gt=page.depth
        ).values_list(column, "depth", "pk", "content_type_id", "path")
    }
    taken: list[tuple[int, type[Page], str]] = []
    for step, prefix in enumerate(prefixes):
        row = found.get((prefix, page.depth + step + 1))
        if row is None or not row[2].startswith(taken[-1][2] if taken else page.path):
            raise Http404
        pk, content_type_id, path = row
        taken.append((pk, page_model(content_type_id), path))
        if taken[-1][1].route is not TranslatedPage.route:
            break
    pk, model, _path = taken[-1]
    target = model._default_manager.get(pk=pk)
    return target.route(request, path_components[len(taken) :])


def page_model(content_type_id: int) -> type[Page]:
    """The page model a page's content type names."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None or not issubclass(model, Page):
        raise Http404  # a page of a model no longer installed
    return model
