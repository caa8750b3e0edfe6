"""Template tags for language links, fallback notices and local formatting."""

import datetime
from typing import Any

from django import template
from django.urls import translate_url
from django.utils.encoding import escape_uri_path
from django.utils.translation import get_language
from wagtail.models import Page, Site

from cms.formatting import format_date, format_vnd
from cms.languages import CONTENT_LANGUAGES, DEFAULT_LANGUAGE
from cms.models import TranslatedPage
from cms.text import truncate_graphemes

register = template.Library()


def _code() -> str:
    return get_language() or DEFAULT_LANGUAGE


@register.inclusion_tag("components/language_switcher.html", takes_context=True)
def language_switcher(context: dict[str, Any]) -> dict[str, Any]:
    """Links to this page in every language, each named in its own language and script."""
    request = context["request"]
    page = context.get("page")
    current = _code()
    links = []
    for language in CONTENT_LANGUAGES:
        if isinstance(page, TranslatedPage):
            url = page.url_in(language.code, request)
        else:
            # Quoted: a path that resolves nowhere comes back as it is, NUL and all.
            url = translate_url(escape_uri_path(request.path), language.code)
        links.append({"language": language, "url": url, "current": language.code == current})
    return {"links": links, "current": current}


@register.inclusion_tag("components/site_nav.html", takes_context=True)
def site_nav(context: dict[str, Any]) -> dict[str, Any]:
    """The sections shown in the site menu."""
    request = context["request"]
    site = Site.find_for_request(request)
    root = site.root_page if site else None
    sections = root.get_children().live().public().in_menu() if root else Page.objects.none()
    return {"home": root, "sections": sections, "request": request}


@register.simple_tag(takes_context=True)
def page_alternates(context: dict[str, Any], page: Page) -> list[tuple[str, str]]:
    """``(hreflang, URL)`` pairs of the page's real translations, for ``<link rel=alternate>``."""
    if not isinstance(page, TranslatedPage):
        return []
    return page.alternates(context["request"])


@register.filter
def translated_in(page: TranslatedPage, code: str) -> bool:
    """Whether ``page`` has its own text in language ``code``."""
    return page.has_translation(code)


@register.filter
def vnd(value: int | None) -> str:
    """A price in đồng, formatted for the reader's language: ``45.000 ₫``."""
    return "" if value is None else format_vnd(value, _code())


@register.filter
def local_date(value: datetime.date | None, length: str = "medium") -> str:
    """A date formatted for the reader's language."""
    return "" if value is None else format_date(value, _code(), length)


@register.filter
def truncate_chars(value: str, limit: int) -> str:
    """Shorten text to ``limit`` user-perceived characters without breaking a letter."""
    return truncate_graphemes(value or "", int(limit))
