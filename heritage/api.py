"""A read-only JSON API of the records: a filtered, paginated list and each record in full.

Answers hold only what ``request.user`` may see, as the pages do: anonymous callers get public
records, narratives and media items only. ``?lang=`` picks the language of the text (default
Vietnamese); a field without text in it falls back to Vietnamese and says so in ``language``.
"""

import datetime
import html
from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.core.validators import slug_unicode_re
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Site

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from cms.text_language import Message
from heritage import browse
from heritage.display import (
    IMAGE_RENDITIONS,
    Text,
    describe_rule,
    label_view,
    localized,
    narrative_view,
    places_with_provinces,
    visible_media,
    visible_narratives,
)
from heritage.models import CommunityNarrative, HeritageRecord, RecordMedia
from heritage.models.pages import LIST_FIELDS, heritage_index
from heritage.privacy import keep_private
from heritage.protocols import CulturalProtocol

RECORDS_PER_PAGE = 20


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    """JSON with letters as they are: ``\\uXXXX`` escapes would triple Vietnamese text on 2G."""
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _text(text: Text | Message) -> dict[str, str]:
    return {"text": _plain(text), "language": text.lang}


def _plain(text: Text | Message) -> str:
    """What a reader reads: an interface string unescaped from the HTML it is kept as."""
    return text.text if isinstance(text, Text) else html.unescape(str(text))


def _error(request: HttpRequest, status: int, *messages: str) -> JsonResponse:
    return keep_private(_json({"errors": list(messages)}, status), request)


def _language(request: HttpRequest) -> str | None:
    code = request.GET.get("lang", DEFAULT_LANGUAGE)
    return code if code in LANGUAGE_CODES else None


class RecordLinks:
    """Absolute URLs of a record: in this API and on the site's archive page, if there is one."""

    def __init__(self, request: HttpRequest, code: str) -> None:
        self.request = request
        self.code = code
        page = heritage_index(Site.find_for_request(request))
        self.page_url = page.full_url_in(code, request) if page else None

    def api(self, record: HeritageRecord) -> str:
        """The record in this API, in the same language."""
        path = reverse("heritage_api:record", args=[record.slug])
        return self.request.build_absolute_uri(f"{path}?lang={self.code}")

    def page(self, record: HeritageRecord) -> str | None:
        """The record's page on the site."""
        return f"{self.page_url}{record.slug}/" if self.page_url else None


def _summary(record: HeritageRecord, links: RecordLinks) -> dict[str, Any]:
    return {
        "slug": record.slug,
        "url": links.api(record),
        "html_url": links.page(record),
        "title": _text(localized(record, "title")),
        "summary": _text(localized(record, "summary")),
        "kind": record.kind,
        "kind_label": str(record.get_kind_display()),
        "protocol": record.protocol,
        "ethnic_groups": [group.code for group in record.ethnic_groups.all()],
        "updated_at": record.updated_at.isoformat(),
    }


@require_GET
def record_list(request: HttpRequest) -> JsonResponse:
    """One page of the records the caller may see, filtered by kind, ethnic group or province."""
    code = _language(request)
    if code is None:
        return _error(
            request, 400, _("Unknown language: use one of %s.") % ", ".join(LANGUAGE_CODES)
        )
    with translation.override(code):
        choices = browse.Choices.load()
        filters, errors = browse.parse_filters(request.GET, choices)
        number = request.GET.get("page", "1")
        if not number.isascii() or not number.isdigit():
            errors.append(_("The page must be a whole number."))
        if errors:
            return _error(request, 400, *errors)
        browser = browse.Browser(
            browse.visible_records(request.user), filters, timezone.localdate().year
        )
        results = (
            browser.results()
            .only(*LIST_FIELDS)
            .prefetch_related("ethnic_groups")
            .order_by("-updated_at", "-pk")
        )
        paginator = Paginator(results, RECORDS_PER_PAGE)
        try:
            page = paginator.page(int(number))
        except EmptyPage:
            return _error(request, 404, _("There is no page %s.") % number)
        links = RecordLinks(request, code)
        query = request.GET.copy()

        def neighbour(target: int) -> str:
            query["page"] = str(target)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        items = [_summary(record, links) for record in page]
        answer = {
            "language": code,
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": neighbour(page.next_page_number()) if page.has_next() else None,
            "previous": neighbour(page.previous_page_number()) if page.has_previous() else None,
            "results": items,
        }
    restricted = any(item["protocol"] != CulturalProtocol.PUBLIC for item in items)
    return keep_private(_json(answer), request, restricted)


def _image(request: HttpRequest, item: RecordMedia) -> dict[str, Any]:
    assert item.image is not None  # called for an item with an image
    renditions = item.image.get_renditions(*IMAGE_RENDITIONS)
    return {
        "type": "image",
        "renditions": [
            {
                "url": request.build_absolute_uri(rendition.url),
                "width": rendition.width,
                "height": rendition.height,
            }
            for rendition in renditions.values()
        ],
    }


def _recording(request: HttpRequest, item: RecordMedia) -> dict[str, Any]:
    asset = item.media
    assert asset is not None  # a media item holds an image or a recording, never neither
    return {
        "type": asset.type,
        "title": asset.title,
        "language": asset.language,
        "renditions": [
            {
                "profile": rendition.profile,
                "url": request.build_absolute_uri(rendition.file.url),
                "mime_type": rendition.mime_type,
                "size": rendition.size,
            }
            for rendition in asset.renditions.all()
        ],
        "captions": [
            {"language": caption.language, "url": request.build_absolute_uri(caption.file.url)}
            for caption in asset.captions.all()
        ],
    }


def _dates(record: HeritageRecord, today: datetime.date) -> dict[str, Any]:
    return {
        "rule": record.date_rule,
        "month": record.date_month,
        "day": record.date_day,
        "leap_month": record.date_leap_month,
        "duration_days": record.duration_days,
        "season": _text(localized(record, "season")),
        "season_start_month": record.season_start_month,
        "season_end_month": record.season_end_month,
        "in_words": describe_rule(record),
        "occurrences": [
            {"start": start.isoformat(), "end": end.isoformat()}
            for year in (today.year, today.year + 1)
            for start, end in record.occurrences(year)
        ],
    }


@require_GET
def record_detail(request: HttpRequest, slug: str) -> JsonResponse:
    """A record with the narratives and media items the caller may see; 404 if they may not."""
    code = _language(request)
    if code is None:
        return _error(
            request, 400, _("Unknown language: use one of %s.") % ", ".join(LANGUAGE_CODES)
        )
    user = request.user
    # A slug no record can have is missing without asking: PostgreSQL refuses a NUL in any text.
    record = (
        browse.visible_records(user)
        .select_related("recording_place")
        .prefetch_related("ethnic_groups", "places", "labels", "sources")
        .filter(slug=slug)
        .first()
        if slug_unicode_re.match(slug)
        else None
    )
    if record is None:
        return _error(request, 404, _("No such record."))
    narratives = list(visible_narratives(record, user))
    media = list(visible_media(record, user))
    with translation.override(code):
        links = RecordLinks(request, code)
        answer = _summary(record, links) | {
            "language": code,
            "description": _text(localized(record, "description")),
            "ethnic_groups": [
                {"code": group.code, "name": group.name} for group in record.ethnic_groups.all()
            ],
            "places": [
                {
                    "id": item.place.pk,
                    "name": item.place.name,
                    "in_force": item.place.is_current,
                    "province": (
                        {"id": item.province.pk, "name": item.province.name}
                        if item.province
                        else None
                    ),
                }
                for item in places_with_provinces(list(record.places.all()))
            ],
            "dates": _dates(record, timezone.localdate()),
            "practitioners": record.practitioner_names(),
            "narratives": [
                {
                    "title": _text(view.title),
                    "text": _text(view.text),
                    "told_by": view.told_by,
                    "told_in": view.language,
                    "protocol": view.protocol,
                }
                for view in map(narrative_view, narratives)
            ],
            "media": [
                {
                    "caption": _text(localized(item, "caption")),
                    "credit": item.credit,
                    "protocol": item.protocol,
                    **(_image(request, item) if item.image else _recording(request, item)),
                }
                for item in media
            ],
            "labels": [
                {
                    "label": label.code,
                    "name": _plain(label.name),
                    "explanation": _text(label.explanation),
                }
                for label in map(label_view, record.labels.all())
            ],
            "content_warnings": list(record.content_warnings or []),
            "content_warning_note": _text(localized(record, "content_warning_note")),
            "sources": [
                {"citation": source.citation, "url": source.url} for source in record.sources.all()
            ],
            "recorded_by": record.recorded_by,
            "recorded_on": record.recorded_on.isoformat() if record.recorded_on else None,
            "recording_place": str(record.recording_place) if record.recording_place else None,
            "consent_obtained": record.consent_obtained,
            "consent_given_by": record.consent_given_by,
            "rights": {
                "uri": record.rights_statement,
                "label": str(record.get_rights_statement_display()),
                "holder": record.rights_holder,
            },
        }
    parts: list[CommunityNarrative | RecordMedia] = [*narratives, *media]
    restricted = record.protocol != CulturalProtocol.PUBLIC or any(
        item.protocol != CulturalProtocol.PUBLIC for item in parts
    )
    return keep_private(_json(answer), request, restricted)
