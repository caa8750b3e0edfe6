"""Template tags of the heritage pages: text in its language, dates and lunar days."""

import datetime

from django import template
from django.db import models
from django.template import Context
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cms import formatting
from cms.formatting import written_language
from cms.templatetags.cms_tags import lang_attr
from cms.text_language import tagged_html
from heritage.audience import visible_children
from heritage.display import (
    RecordView,
    Text,
    format_span,
    localized,
    month_title,
    reading_code,
    record_view,
)
from heritage.festival_dates import Occurrence
from heritage.models import HeritageRecord
from heritage.month_calendar import Day

register = template.Library()


@register.filter(name="localized")
def localized_filter(item: models.Model, name: str) -> Text:
    """Field ``name`` of ``item`` in the reader's language, or in Vietnamese."""
    return localized(item, name)


register.filter("lang_attr", lang_attr)


@register.filter
def span(occurrence: Occurrence) -> SafeString:
    """An occurrence's days in the reader's format."""
    return tagged_html(
        format_span(occurrence.start, occurrence.end), written_language(reading_code())
    )


@register.filter
def lunar_label(day: Day) -> str:
    """The lunar day, with its month on the first day of a lunar month: ``15`` or ``1/2``."""
    lunar = day.lunar
    if not day.starts_lunar_month:
        return str(lunar.day)
    if lunar.leap:
        return _("%(day)s/%(month)s leap") % {"day": lunar.day, "month": lunar.month}
    return f"{lunar.day}/{lunar.month}"


@register.filter("month_title")
def month_title_filter(day: datetime.date) -> SafeString:
    """The month of ``day`` with its year, in the reader's format."""
    return tagged_html(month_title(day), written_language(reading_code()))


@register.simple_tag
def weekday_names() -> list[tuple[str, str]]:
    """Monday to Sunday, as (abbreviation, full name) in the reader's language."""
    return formatting.weekday_names(reading_code())


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
