"""What a reader sees of a record: its text in their language, dates in words, citation, JSON-LD.

Text fields are translated with modeltranslation. Where a record lacks the reader's language the
Vietnamese text is shown, and every piece of text here carries the language it is really in, so
templates can mark it with ``lang``.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname
from wagtail.images import get_image_model

from cms import formatting
from cms.formatting import format_date
from cms.languages import DEFAULT_LANGUAGE
from cms.languages import get_language as language_entry
from cms.text_language import Message, Text, localized_text, reading_code, shown_message
from heritage.festival_dates import DateRule
from heritage.labels import LABEL_EXPLANATIONS, ContentWarning, LocalContextsLabel
from heritage.models.records import (
    CommunityNarrative,
    HeritageRecord,
    RecordLabel,
    RecordMedia,
    RecordSource,
)
from heritage.models.reference import PROVINCE_LEVELS, Place, provinces_of
from heritage.protocols import CulturalProtocol
from media.models import ProcessingStatus

ARCHIVE_NAME = "Bản Làng"
TRANSLATED_FIELDS = ("title", "summary", "description")
"""A record counts as translated into a language when each of these that has Vietnamese text
has text in that language too."""


def pick_text(item: models.Model, name: str, languages: Iterable[str | None]) -> Text:
    """The first of ``languages`` in which ``item`` has text in field ``name``."""
    for code in languages:
        if code:
            value = getattr(item, build_localized_fieldname(name, code), None)
            if value:
                return Text(value, code)
    return Text("", DEFAULT_LANGUAGE)


def localized(item: models.Model, name: str) -> Text:
    """Field ``name`` in the reader's language, or in Vietnamese when it is not translated."""
    return localized_text(item, name)


def record_translated(record: HeritageRecord, code: str) -> bool:
    """Whether the record has its own text in language ``code``."""
    return all(
        getattr(record, build_localized_fieldname(name, code), None)
        or not getattr(record, build_localized_fieldname(name, DEFAULT_LANGUAGE), None)
        for name in TRANSLATED_FIELDS
    )


def translated_condition(code: str) -> models.Q:
    """``record_translated`` as a database filter."""
    condition = models.Q()
    for name in TRANSLATED_FIELDS:
        own = build_localized_fieldname(name, code)
        vietnamese = build_localized_fieldname(name, DEFAULT_LANGUAGE)
        condition &= models.Q(**{f"{own}__gt": ""}) | ~models.Q(**{f"{vietnamese}__gt": ""})
    return condition


def format_span(start: datetime.date, end: datetime.date) -> str:
    """A day or a run of days in the reader's format: ``3 – 5 thg 3, 2026``."""
    return formatting.format_date_range(start, end, reading_code())


def month_name(month: int) -> str:
    """The name of a Gregorian month in the reader's language."""
    return formatting.month_name(month, reading_code())


def month_title(day: datetime.date) -> str:
    """The month of ``day`` with its year: ``tháng 2 năm 2026``, ``February 2026``…"""
    return formatting.format_month(day, reading_code())


@dataclass(frozen=True)
class Dates:
    """When a record takes place: its rule in words and its next Gregorian dates."""

    rule: str
    occurrences: list[tuple[datetime.date, datetime.date]]
    next: tuple[datetime.date, datetime.date] | None

    def spans(self) -> list[str]:
        """The occurrences in the reader's format."""
        return [format_span(start, end) for start, end in self.occurrences]


def describe_rule(record: HeritageRecord) -> str:
    """The record's date rule in words, or an empty string when it has none."""
    if record.date_rule == DateRule.LUNAR and record.date_month and record.date_day:
        numbers = {"day": record.date_day, "month": record.date_month}
        if record.date_leap_month:
            return _("Day %(day)s of the leap lunar month %(month)s") % numbers
        return _("Day %(day)s of lunar month %(month)s") % numbers
    if record.date_rule == DateRule.GREGORIAN and record.date_month and record.date_day:
        day = datetime.date(2024, record.date_month, record.date_day)
        return _("Every year on %(date)s") % {
            "date": formatting.format_day_month(day, reading_code())
        }
    if record.date_rule == DateRule.SEASON:
        season = str(localized(record, "season"))
        start, end = record.season_start_month, record.season_end_month
        if start and end:
            months = _("%(first)s to %(last)s") % {
                "first": month_name(start),
                "last": month_name(end),
            }
            return f"{season} ({months})" if season else months
        return season
    return ""


def record_dates(record: HeritageRecord, today: datetime.date) -> Dates:
    """The rule in words, with this year's and next year's dates of a dated festival."""
    spans = [span for year in (today.year, today.year + 1) for span in record.occurrences(year)]
    upcoming = next((span for span in spans if span[1] >= today), None)
    return Dates(describe_rule(record), spans, upcoming)


@dataclass(frozen=True)
class PlaceInProvince:
    """A place a record is linked to, and the province it lies in today."""

    place: Place
    province: Place | None

    @property
    def moved(self) -> bool:
        """Whether today's province is worth naming (the place is not that province)."""
        return self.province is not None and self.province.pk != self.place.pk


def places_with_provinces(places: Sequence[Place]) -> list[PlaceInProvince]:
    """Each place with today's province, looked up together."""
    found = provinces_of([place.pk for place in places])
    provinces = Place.objects.in_bulk(set(found.values()))
    return [
        PlaceInProvince(place, provinces[found[place.pk]] if place.pk in found else None)
        for place in places
    ]


@dataclass(frozen=True)
class Narrative:
    """A community narrative as shown: its text, who told it and in which language."""

    title: Text
    text: Text
    told_by: str
    language: str
    told_in: str
    protocol: str


def narrative_text(narrative: CommunityNarrative, name: str, code: str) -> Text:
    """Field ``name`` of ``narrative`` for a reader of ``code``: in ``code``, else in the
    language it was told in, else in Vietnamese."""
    return pick_text(narrative, name, (code, narrative.language, DEFAULT_LANGUAGE))


def narrative_view(narrative: CommunityNarrative) -> Narrative:
    """The narrative in the reader's language (``narrative_text``)."""
    code = reading_code()
    told_by = ", ".join(str(name) for name in (narrative.community, narrative.contributor) if name)
    told_in = language_entry(narrative.language).name_native if narrative.language else ""
    return Narrative(
        title=narrative_text(narrative, "title", code),
        text=narrative_text(narrative, "text", code),
        told_by=told_by,
        language=narrative.language,
        told_in=told_in,
        protocol=narrative.protocol,
    )


@dataclass(frozen=True)
class MediaItem:
    """A photo, recording or film as shown, with its caption and credit."""

    item: RecordMedia
    caption: Text

    @property
    def image(self) -> Any:
        """The Wagtail image, if this is a photo."""
        return self.item.image

    @property
    def media(self) -> Any:
        """The audio or video asset, if this is a recording."""
        return self.item.media


@dataclass(frozen=True)
class Label:
    """A Local Contexts label with its explanation."""

    name: Message
    code: str
    is_biocultural: bool
    explanation: Text | Message


def label_view(label: RecordLabel) -> Label:
    """The community's explanation in the reader's language, else vi, else the standard one."""
    kind = LocalContextsLabel(label.label)
    explanation = localized(label, "explanation") or shown_message(LABEL_EXPLANATIONS[kind])
    return Label(shown_message(kind.label), label.label, label.is_biocultural, explanation)


def citation(record_title: str, record: HeritageRecord, url: str, today: datetime.date) -> str:
    """How to cite the record: who recorded it, its title, the archive, when, where, accessed."""
    code = reading_code()
    parts = [record.recorded_by] if record.recorded_by else []
    parts.append(f"“{record_title}”")
    archive = ARCHIVE_NAME
    if record.recorded_on:
        archive = _("%(archive)s, recorded %(date)s") % {
            "archive": ARCHIVE_NAME,
            "date": format_date(record.recorded_on, code),
        }
    parts.append(archive)
    parts.append(_("%(url)s (accessed %(date)s)") % {"url": url, "date": format_date(today, code)})
    return ". ".join(parts) + "."


SCHEMA = "https://schema.org"


def schema_place(item: PlaceInProvince) -> dict[str, Any]:
    """A place as a schema.org ``Place``: its name, today's province and its coordinates."""
    place = item.place
    address: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": "VN"}
    province = item.province or (place if place.level in PROVINCE_LEVELS else None)
    if province is not None:
        address["addressRegion"] = province.name
    if place.level not in PROVINCE_LEVELS:
        address["addressLocality"] = place.name
    data: dict[str, Any] = {"@type": "Place", "name": str(place), "address": address}
    if place.latitude is not None and place.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(place.latitude),
            "longitude": float(place.longitude),
        }
    return data


def festival_event(
    view: "RecordView", span: tuple[datetime.date, datetime.date], places: list[dict[str, Any]]
) -> dict[str, Any]:
    """schema.org ``Event`` of the record's festival on ``span``, held in person where it is."""
    start, end = span
    event: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Event",
        "@id": f"{view.url}#festival",
        "name": view.title.text,
        "url": view.url,
        "inLanguage": view.title.lang,
        "startDate": start.isoformat(),
        "endDate": end.isoformat(),
        "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
        "eventStatus": f"{SCHEMA}/EventScheduled",
    }
    if view.summary:
        event["description"] = view.summary.text
    if places:
        event["location"] = places
    return event


def json_ld(view: "RecordView") -> list[dict[str, Any]]:
    """schema.org description of the record: a ``CreativeWork`` and, for a festival with
    dates, the ``Event`` of its next occurrence that the work is about."""
    record = view.record
    places = [schema_place(item) for item in view.places]
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "CreativeWork",
        "name": view.title.text,
        "url": view.url,
        "inLanguage": view.title.lang,
        "license": record.rights_statement,
        "genre": record.get_kind_display(),
        "isPartOf": {"@type": "WebSite", "name": ARCHIVE_NAME},
    }
    if view.summary:
        data["description"] = view.summary.text
    if record.updated_at:
        data["dateModified"] = record.updated_at.isoformat()
    if places:
        data["contentLocation"] = places
    if record.recorded_by:
        data["creator"] = {"@type": "Person", "name": record.recorded_by}
    if record.recorded_on:
        data["dateCreated"] = record.recorded_on.isoformat()
    if record.rights_holder:
        data["copyrightHolder"] = {"@type": "Organization", "name": record.rights_holder}
    if view.ethnic_groups:
        data["keywords"] = [str(group) for group in view.ethnic_groups]
    if not view.dates.next:
        return [data]
    event = festival_event(view, view.dates.next, places)
    data["about"] = {"@id": event["@id"]}
    return [data, event]


@dataclass
class RecordView:
    """Everything the record template shows, already limited to what the reader may see."""

    record: HeritageRecord
    url: str
    title: Text
    summary: Text
    description: Text
    translated: bool
    dates: Dates
    ethnic_groups: list[Any]
    places: list[PlaceInProvince]
    narratives: list[Narrative]
    media: list[MediaItem]
    labels: list[Label]
    sources: list[RecordSource]
    warnings: list[Message]
    warning_note: Text
    citation: str
    recording_place: Place | None
    consent_document_url: str

    @property
    def shows_restricted(self) -> bool:
        """Whether anything shown is under a protocol other than public."""
        return (
            self.record.protocol != CulturalProtocol.PUBLIC
            or any(item.protocol != CulturalProtocol.PUBLIC for item in self.narratives)
            or any(item.item.protocol != CulturalProtocol.PUBLIC for item in self.media)
        )

    @property
    def json_ld(self) -> list[dict[str, Any]]:
        """The schema.org description."""
        return json_ld(self)


def record_view(
    record: HeritageRecord,
    *,
    url: str,
    narratives: Iterable[CommunityNarrative],
    media: Iterable[RecordMedia],
    today: datetime.date,
    officer: bool,
) -> RecordView:
    """Put a record together for reading, with the narratives and media the reader may see.

    A record not yet saved (an editor's first preview) has no ethnic groups or places to list.
    """
    code = reading_code()
    title = localized(record, "title")
    warnings = [
        shown_message(ContentWarning(value).label)
        for value in record.content_warnings or []
        if value in ContentWarning.values
    ]
    document = record.consent_document
    saved = record.pk is not None
    return RecordView(
        record=record,
        url=url,
        title=title,
        summary=localized(record, "summary"),
        description=localized(record, "description"),
        translated=record_translated(record, code),
        dates=record_dates(record, today),
        ethnic_groups=list(record.ethnic_groups.all()) if saved else [],
        places=places_with_provinces(list(record.places.all())) if saved else [],
        narratives=[narrative_view(narrative) for narrative in narratives],
        media=[MediaItem(item, localized(item, "caption")) for item in media],
        labels=[label_view(label) for label in record.labels.all()],
        sources=list(record.sources.all()),
        warnings=warnings,
        warning_note=localized(record, "content_warning_note"),
        citation=citation(title.text, record, url, today),
        recording_place=record.recording_place,
        consent_document_url=document.url if officer and document else "",
    )


IMAGE_RENDITIONS = ("width-360", "width-720")
"""The image sizes a record shows: one for phones, one for wider screens."""


def visible_narratives(
    record: HeritageRecord, user: AbstractBaseUser | AnonymousUser
) -> models.QuerySet[CommunityNarrative]:
    """The record's community narratives ``user`` may read."""
    return (
        CommunityNarrative.objects.visible_to(user)
        .filter(record=record)
        .select_related("community")
    )


def visible_media(
    record: HeritageRecord, user: AbstractBaseUser | AnonymousUser
) -> models.QuerySet[RecordMedia]:
    """The record's images and ready recordings ``user`` may see, with what showing them needs."""
    return (
        RecordMedia.objects.visible_to(user)
        .filter(record=record)
        .filter(models.Q(image__isnull=False) | models.Q(media__status=ProcessingStatus.READY))
        .select_related("media")
        .prefetch_related(
            models.Prefetch(
                "image", get_image_model().objects.prefetch_renditions(*IMAGE_RENDITIONS)
            ),
            "media__renditions",
            "media__captions",
        )
    )
