"""Template tags of the heritage pages: text in its language, dates, lunar days and JSON-LD."""

import datetime
import json
from typing import Any

from babel.dates import format_skeleton, get_day_names
from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template import Context
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cms.formatting import cldr_locale
from heritage.audience import visible_children
from heritage.display import RecordView, Text, format_span, localized, reading_code, record_view
from heritage.festival_dates import Occurrence
from heritage.models import HeritageRecord
from heritage.month_calendar import Day

register = template.Library()

JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter(name="localized")
def localized_filter(item: models.Model, name: str) -> Text:
    """Field ``name`` of ``item`` in the reader's language, or in Vietnamese."""
    return localized(item, name)


@register.filter
def lang_attr(text: Text) -> SafeString:
    """`` lang="…"`` when the text is not in the page's language, else nothing."""
    if not isinstance(text, Text) or text.lang == reading_code():
        return mark_safe("")
    return format_html(' lang="{}"', text.lang)


@register.filter
def span(occurrence: Occurrence) -> str:
    """An occurrence's days in the reader's format."""
    return format_span(occurrence.start, occurrence.end)


@register.filter
def ld_json(data: dict[str, Any]) -> SafeString:
    """A ``<script type="application/ld+json">`` data block, safe inside HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def lunar_label(day: Day) -> str:
    """The lunar day, with its month on the first day of a lunar month: ``15`` or ``1/2``."""
    lunar = day.lunar
    if not day.starts_lunar_month:
        return str(lunar.day)
    if lunar.leap:
        return _("%(day)s/%(month)s leap") % {"day": lunar.day, "month": lunar.month}
    return f"{lunar.day}/{lunar.month}"


@register.filter
def month_title(day: datetime.date) -> str:
    """The month of ``day`` with its year: ``tháng 2 năm 2026``, ``February 2026``…"""
    return format_skeleton("yMMMM", day, locale=cldr_locale(reading_code()))


@register.simple_tag
def weekday_names() -> list[tuple[str, str]]:
    """Monday to Sunday, as (abbreviation, full name) in the reader's language."""
    locale = cldr_locale(reading_code())
    short = get_day_names("abbreviated", locale=locale)
    full = get_day_names("wide", locale=locale)
    return [(short[day], full[day]) for day in range(7)]


@register.simple_tag(takes_context=True)
def preview_record(context: Context, record: HeritageRecord) -> RecordView:
    """The record as readers will see it, from the editor's unsaved form or a revision, for the
    admin preview: with the narratives and media items the editor may see.
    """
    user = context["request"].user
    return record_view(
        record,
        url="",
        narratives=visible_children(user, record, list(record.narratives.all())),
        media=visible_children(user, record, list(record.media_items.all())),
        today=timezone.localdate(),
        officer=False,
    )
