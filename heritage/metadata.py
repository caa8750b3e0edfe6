"""What the archive's pages say about themselves to search engines and link previews.

The archive refines the metadata ``cms.metadata`` gives its page: a record's title, summary,
photo and schema.org description (with the ``Event`` of its next festival), a month's festival
calendar, a filtered view's filters. Everything comes from what the route already put together
for this reader, so a record's metadata exists only on the page that may show the record.
"""

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop

from cms.metadata import Metadata, absolute, description_text, interface_language
from cms.text_language import Text, message_language
from heritage import browse
from heritage.display import IMAGE_RENDITIONS, RecordView, month_name, month_title
from heritage.models.records import HeritageKind
from heritage.month_calendar import Month

if TYPE_CHECKING:
    from heritage.models.pages import HeritageIndexPage

CALENDAR_DESCRIPTION = gettext_noop(
    "The festivals of %(month)s in the heritage archive, with their lunar dates."
)


def record_metadata(request: HttpRequest, view: RecordView, metadata: Metadata) -> Metadata:
    """A record's page: its title, summary, first photo and schema.org description."""
    summary = view.summary or view.description
    photo = next((item.image for item in view.media if item.image), None)
    return replace(
        metadata,
        title=view.title,
        description=(
            Text(description_text(summary.text), summary.lang) if summary else metadata.description
        ),
        url=view.url,
        lang=view.title.lang,
        og_type="article",
        image_url=absolute(request, photo.get_rendition(IMAGE_RENDITIONS[-1]).url) if photo else "",
        structured_data=tuple(view.json_ld),
    )


def calendar_metadata(
    page: "HeritageIndexPage", request: HttpRequest, month: Month, metadata: Metadata
) -> Metadata:
    """A month of the festival calendar, at its own address."""
    name = month_title(month.first)
    lang = interface_language()
    return replace(
        metadata,
        title=Text(f"{name} · {metadata.title}", lang),
        description=Text(
            gettext(CALENDAR_DESCRIPTION) % {"month": name}, message_language(CALENDAR_DESCRIPTION)
        ),
        url=page.get_full_url(request)
        + page.reverse_subpage("calendar_month", args=(month.year, month.month)),
        lang=lang,
    )


def filtered_metadata(
    page: "HeritageIndexPage", request: HttpRequest, filters: browse.Filters, metadata: Metadata
) -> Metadata:
    """The archive narrowed down by filters: their values before the archive's title."""
    choices = browse.Choices.load(page.store(request))
    names = [
        str(HeritageKind(filters.kind).label) if filters.kind in HeritageKind.values else "",
        str(choices.ethnic_groups.get(filters.ethnic_group or "", "")),
        choices.provinces.get(filters.province or 0, ""),
        month_name(filters.month) if filters.month else "",
    ]
    title = " · ".join([name for name in names if name] + [metadata.title.text])
    return replace(metadata, title=Text(title, metadata.title.lang))


def archive_metadata(
    page: "HeritageIndexPage", request: HttpRequest, context: dict[str, Any], metadata: Metadata
) -> Metadata:
    """The metadata of whichever of the archive's pages the request reached."""
    if isinstance(context.get("view"), RecordView):
        return record_metadata(request, context["view"], metadata)
    if isinstance(context.get("month"), Month):
        return calendar_metadata(page, request, context["month"], metadata)
    filters = context.get("filters")
    if isinstance(filters, browse.Filters) and filters.active:
        return filtered_metadata(page, request, filters, metadata)
    return metadata
