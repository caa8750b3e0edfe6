"""Template tags for language links, text in its language, fallback notices and formatting."""

import datetime
from collections.abc import Iterable
from typing import Any

from django import template
from django.db import models
from django.forms.utils import ErrorList
from django.urls import translate_url
from django.utils import translation
from django.utils.encoding import escape_uri_path
from django.utils.functional import Promise
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop
from wagtail.models import Page, Site

from cms.admin_filters import FilterForm
from cms.formatting import (
    format_clock,
    format_date,
    format_moment,
    format_month,
    format_vnd,
    written_language,
)
from cms.languages import CONTENT_LANGUAGES, DEFAULT_LANGUAGE
from cms.languages import get_language as get_language_entry
from cms.models import TranslatedPage
from cms.text import truncate_graphemes
from cms.text_language import (
    MESSAGE_ID_LANGUAGE,
    Message,
    Text,
    field_language,
    message_language,
    reading_code,
    shown_message,
    tagged_html,
)

register = template.Library()

PAGE_NOT_TRANSLATED = gettext_noop(
    "This page is not yet translated into %(language)s. You are reading the Vietnamese version."
)
ITEMS_NOT_TRANSLATED = gettext_noop(
    "Some of what is listed here is not yet translated into %(language)s and is shown in "
    "Vietnamese."
)


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
def text_lang(instance: Any, name: str) -> str:
    """The language a reader sees ``instance.<name>`` in: theirs, or Vietnamese if untranslated."""
    return field_language(instance, name)


@register.filter
def lang_attr(value: Text | Message | str, around: str = "") -> SafeString:
    """`` lang="…"`` for text in ``value``'s language (a code, a ``Text`` or a ``Message``), when
    that differs from the language of the surrounding element: ``around``, by default the page's.
    """
    lang = value.lang if isinstance(value, Text | Message) else value
    if not lang or lang == (around or reading_code()):
        return mark_safe("")
    return format_html(' lang="{}"', lang)


def _shows_fallback(item: Any, paths: Iterable[str], code: str) -> bool:
    """Whether any of the fields at ``paths`` (``title``, ``commodity.name``…) falls back."""
    for path in paths:
        *related, name = path.split(".")
        instance = item
        for step in related:
            instance = getattr(instance, step, None)
        if instance is not None and field_language(instance, name, code) != code:
            return True
    return False


@register.simple_tag
def fallback_notice_text(
    page: Any, items: Iterable[Any] | str = "", fields: str = "", untranslated: bool = False
) -> Text:
    """The notice that the page, or some of the ``items`` it lists, is shown in Vietnamese.

    ``fields`` names what the listing shows of each item (``"title summary"``; default
    ``title``); ``untranslated`` says that what the page shows (a heritage record within the
    archive's page) is not translated. The notice is in the reader's language, or in the
    language of the catalogue it came from, with the reader's language named in its own script.
    Empty when all is translated.
    """
    code = reading_code()
    if untranslated or (isinstance(page, TranslatedPage) and not page.has_translation(code)):
        message = PAGE_NOT_TRANSLATED
    elif items and any(_shows_fallback(item, (fields or "title").split(), code) for item in items):
        message = ITEMS_NOT_TRANSLATED
    else:
        return Text("", code)
    entry = get_language_entry(code)
    name = format_html('<span lang="{}">{}</span>', entry.code, entry.name_native)
    return Text(mark_safe(escape(gettext(message)) % {"language": name}), message_language(message))


@register.filter
def vnd(value: int | None) -> str:
    """A price in đồng, formatted for the reader's language: ``45.000 ₫``."""
    return "" if value is None else format_vnd(value, _code())


@register.simple_tag
def filter_query(filters: FilterForm, **changes: Any) -> str:
    """The query string of a listing's understood filters with ``changes``
    (``cms.admin_filters.FilterForm.query``)."""
    return filters.query(**changes)


@register.filter
def clock(seconds: float | None) -> str:
    """A length of time as a clock shows it, ``1:05``; nothing for none."""
    return format_clock(seconds) if seconds else ""


@register.filter
def choice_label(instance: models.Model, name: str) -> Message:
    """The label of the choice in field ``name`` of ``instance``, with the language it is in."""
    field = instance._meta.get_field(name)
    assert isinstance(field, models.Field)  # a field with choices, not a reverse relation
    return shown_message(dict(field.flatchoices)[getattr(instance, name)])


@register.filter
def as_message(text: Promise) -> Message:
    """A lazily translated string (a form field's label) with the language it is shown in."""
    return shown_message(text)


@register.filter
def tagged_errors(errors: ErrorList) -> list[Message]:
    """A form's or a field's errors (``form.non_field_errors``, ``field.errors``), each with
    the language it is shown in."""
    messages = []
    for error in errors.as_data():
        for item in error.error_list:
            params = item.params or {}
            text = str(item.message % params if params else item.message)
            if not isinstance(item.message, Promise):
                lang = reading_code()
            elif str(item.message):
                lang = shown_message(item.message).lang
            else:  # a plural message, whose id depends on its number
                lang = _plural_language(item.message, params, text)
            messages.append(Message(escape(text), lang))
    return messages


def _plural_language(message: Promise, params: dict[str, Any], shown: str) -> str:
    """The language a plural lazy ``message`` was ``shown`` in: its English message id, the
    Vietnamese fallback, or the reader's own."""
    with translation.override(None):
        if shown == str(message % params):
            return MESSAGE_ID_LANGUAGE
    with translation.override(DEFAULT_LANGUAGE):
        return DEFAULT_LANGUAGE if shown == str(message % params) else reading_code()


@register.filter
def tagged(text: Text | Message) -> SafeString:
    """``text`` in ``<span lang="…">`` when its language is not the page's."""
    return tagged_html(text)


@register.filter
def local_date(value: datetime.date | None) -> SafeString | str:
    """A day written the site's one way for the reader's language (``cms.formatting``)."""
    return (
        "" if value is None else tagged_html(format_date(value, _code()), written_language(_code()))
    )


@register.filter
def local_moment(value: datetime.datetime | None) -> str:
    """A day and time of day for the reader's language (admin listings)."""
    return "" if value is None else format_moment(value, _code())


@register.filter
def local_month(value: datetime.date | None) -> SafeString | str:
    """The month of ``value`` with its year, for the reader's language."""
    return (
        ""
        if value is None
        else tagged_html(format_month(value, _code()), written_language(_code()))
    )


@register.filter
def truncate_chars(value: str, limit: int) -> str:
    """Shorten text to ``limit`` user-perceived characters without breaking a letter."""
    return truncate_graphemes(value or "", int(limit))


@register.simple_tag
def written_lang() -> str:
    """The language dates and month and day names are written in for the reader."""
    return written_language(_code())
