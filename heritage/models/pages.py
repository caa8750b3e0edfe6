"""The public face of the archive: one page that browses, shows and publishes the records."""

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Site

from cms.alternates import with_default
from cms.languages import LANGUAGE_CODES
from cms.metadata import Metadata
from cms.models.translated import TranslatedPage
from heritage import browse
from heritage.display import (
    record_translated,
    record_view,
    visible_media,
    visible_narratives,
)
from heritage.feeds import RecordFeed
from heritage.festival_dates import RULE_FIELDS, Occurrence, next_twelve_months
from heritage.ical import CalendarFile, calendar_name, calendar_window, festival_calendar
from heritage.listing import FilteredPage, facet_block
from heritage.metadata import archive_metadata
from heritage.models.records import HeritageRecord
from heritage.month_calendar import in_range, month_of_festivals
from heritage.privacy import keep_private
from heritage.protocols import is_officer

RECORDS_PER_PAGE = 20
UPCOMING_ON_LANDING = 10
UPCOMING_ON_HOME = 5
SEASONAL_SHOWN = 20
LIST_FIELDS = ("slug", "kind", "title", "summary", "protocol", "updated_at")
CALENDAR_FIELDS = ("slug", "title", *RULE_FIELDS)


class HeritageIndexPage(RoutablePageMixin, TranslatedPage):
    """The heritage archive: browse, record pages, festival calendars, feeds and the sitemap.

    Records are snippets, not pages; this page routes to them by slug. Everything it shows comes
    from ``browse.visible_records(request.user)``, the protocol rule applied to published
    records, so readers see only what their protocols allow.
    """

    intro = models.TextField(_("introduction"), blank=True, max_length=1000)

    content_panels = [*TranslatedPage.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("heritage archive")

    def records(self, request: HttpRequest) -> models.QuerySet[HeritageRecord]:
        """The published records the reader may see."""
        return browse.visible_records(request.user)

    def records_url(self, request: HttpRequest | None = None) -> str:
        """The URL a record's slug is appended to, in the active language."""
        return self.get_url(request)

    def url_in(self, code: str, request: HttpRequest | None = None) -> str:
        """This page's URL in ``code``; on a record or a month, that record's or month's URL.

        The language switcher asks with the current request, so a reader changing language on
        a record stays on it.
        """
        url = super().url_in(code, request)
        match = getattr(request, "routable_resolver_match", None)
        if match is None:
            return url
        return url + self.reverse_subpage(match.url_name, args=match.args, kwargs=match.kwargs)

    def store(self, request: HttpRequest) -> browse.Store:
        """Where counts are kept: shared by anonymous readers, who all see the same records, and
        per signed-in reader and their rights otherwise."""
        if request.user.is_authenticated:
            return browse.reader_store(request.user)
        return browse.shared_store()

    @path("", name="landing")
    def landing(self, request: HttpRequest) -> HttpResponse:
        """The introduction, the coming festivals and the records, filtered and paginated."""
        store = self.store(request)
        choices = browse.Choices.load(store)
        filters, errors = browse.parse_filters(request.GET, choices)
        today = timezone.localdate()
        browser = browse.Browser(self.records(request), filters, today.year, store)
        paginator = CountedPaginator(RECORDS_PER_PAGE, browser.count())
        page = paginator.get_page(request.GET.get("page"))
        ids = browser.page_ids(page.number, RECORDS_PER_PAGE)
        found = browser.records.only(*LIST_FIELDS).in_bulk(ids)
        page.object_list = [found[pk] for pk in ids if pk in found]
        upcoming = store(
            f"upcoming:{today}",
            lambda: coming_festivals(browser.records, today, UPCOMING_ON_LANDING, browser.rules),
        )
        # Links carry the checked filters only: whatever else the request held, repeated in
        # each of a hundred facet links, would make a small request cost a large page.
        checked = filters.query()
        response = self.render(
            request,
            context_overrides={
                "records": FilteredPage(page, checked),
                "records_url": self.records_url(request),
                "filters": filters,
                "filter_errors": errors,
                "facet_block": facet_block(browser, choices, checked, store),
                "upcoming_festivals": upcoming,
            },
        )
        if errors:
            response.status_code = 400
        return keep_private(response, request)

    @path("calendar/", name="this_month")
    def this_month(self, request: HttpRequest) -> HttpResponse:
        """The festival calendar of the current month."""
        today = timezone.localdate()
        return self.calendar_month(request, today.year, today.month)

    @path("calendar/<int:year>/<int:month>/", name="calendar_month")
    def calendar_month(self, request: HttpRequest, year: int, month: int) -> HttpResponse:
        """A month as a table of days with their lunar dates and festivals; seasons below."""
        if not in_range(year, month):
            raise Http404
        records = self.records(request)
        store = self.store(request)
        keys = store("keys", lambda: browse.key_counts(records))
        rules = browse.rule_counts(keys)
        response = self.render(
            request,
            template="heritage/calendar_month.html",
            context_overrides={
                "month": month_of_festivals(records.only(*CALENDAR_FIELDS), year, month, rules),
                "seasonal": Paginator(
                    records.filter(browse.in_season(keys, month, year))
                    .only(*LIST_FIELDS)
                    .order_by("-updated_at", "-pk"),
                    SEASONAL_SHOWN,
                ).page(1),
                "records_url": self.records_url(request),
            },
        )
        return keep_private(response, request)

    def _calendar_file(
        self,
        request: HttpRequest,
        store: browse.Store,
        filters: browse.Filters,
        subject: str = "",
    ) -> HttpResponse:
        """The festivals matching ``filters`` that the requester may see, as an iCalendar file.

        Calendar apps poll subscriptions; the same anonymous answer is kept for the day.
        """
        today = timezone.localdate()
        start = _calendar_start(request, today)
        browser = browse.Browser(self.records(request), filters, today.year, store)
        host = request.get_host()

        def build() -> CalendarFile:
            return festival_calendar(
                browser.results(),
                name=calendar_name(self.title, subject),
                records_url=request.build_absolute_uri(self.records_url(request)),
                host=host.split(":")[0],
                today=today,
                start=start,
            )

        key = f"ics:{host}:{get_language()}:{filters.key}:{today}:{start}"
        calendar = store(key, build)
        response = HttpResponse(calendar.body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="festivals.ics"'
        if calendar.next_start is not None:
            following = request.build_absolute_uri(
                f"{request.path}?from={calendar.next_start.isoformat()}"
            )
            response["Link"] = f'<{following}>; rel="next"'
        return keep_private(response, request)

    # Routes naming a file reach the page through heritage.urls, and Wagtail routes every path
    # with a slash at the end: the patterns accept one, and reverse to URLs without it.
    @re_path(r"^calendar\.ics/?$", name="calendar_ics")
    def calendar_ics(self, request: HttpRequest) -> HttpResponse:
        """Every festival the requester may see, as an iCalendar subscription."""
        return self._calendar_file(request, self.store(request), browse.Filters())

    @re_path(r"^calendar/province/(?P<province_id>[0-9]+)\.ics/?$", name="province_ics")
    def province_ics(self, request: HttpRequest, province_id: str) -> HttpResponse:
        """The festivals of places lying in a province in force today."""
        store = self.store(request)
        province = int(province_id)
        name = browse.Choices.load(store).provinces.get(province)
        if name is None:
            raise Http404
        return self._calendar_file(request, store, browse.Filters(province=province), name)

    @re_path(r"^calendar/ethnic-group/(?P<code>\w+)\.ics/?$", name="ethnic_group_ics")
    def ethnic_group_ics(self, request: HttpRequest, code: str) -> HttpResponse:
        """The festivals of one ethnic group, by its GSO code."""
        store = self.store(request)
        name = browse.Choices.load(store).ethnic_groups.get(code)
        if name is None:
            raise Http404
        return self._calendar_file(request, store, browse.Filters(ethnic_group=code), name.text)

    @re_path(r"^feed\.xml/?$", name="feed")
    def feed(self, request: HttpRequest) -> HttpResponse:
        """RSS of the newest public records, in the reader's language."""
        return RecordFeed()(request, index=self)

    @re_path(r"^(?P<slug>[-\w]+)/$", name="record")
    def record(self, request: HttpRequest, slug: str) -> HttpResponse:
        """One record, with the narratives and media the reader may see; 404 if they may not."""
        record = get_object_or_404(
            self.records(request)
            .select_related("recording_place")
            .prefetch_related("ethnic_groups", "places", "labels", "sources"),
            slug=slug,
        )
        user = request.user
        narratives = visible_narratives(record, user)
        media = visible_media(record, user)
        url = request.build_absolute_uri(f"{self.records_url(request)}{record.slug}/")
        view = record_view(
            record,
            url=url,
            narratives=narratives,
            media=media,
            today=timezone.localdate(),
            officer=is_officer(user),
        )
        response = self.render(
            request,
            template="heritage/record_page.html",
            context_overrides={"view": view, "record_alternates": self.record_alternates(record)},
        )
        return keep_private(response, request, view.shows_restricted)

    def page_metadata(
        self, request: HttpRequest, context: dict[str, Any], metadata: Metadata
    ) -> Metadata:
        """The title, description and schema.org data of the route the request reached, from
        what that route shows this reader (``cms.metadata`` asks for it)."""
        return archive_metadata(self, request, context, metadata)

    def record_alternates(self, record: HeritageRecord) -> list[tuple[str, str]]:
        """``(hreflang, absolute URL)`` of a record in each language it is translated into."""
        return with_default(
            (code, f"{self.full_url_in(code)}{record.slug}/")
            for code in LANGUAGE_CODES
            if record_translated(record, code)
        )


def _calendar_start(request: HttpRequest, today: datetime.date) -> datetime.date | None:
    """The first day of a calendar file after the first (``?from=YYYY-MM-DD``); a day that is
    not a date within the calendar's window names no file (404)."""
    given = request.GET.get("from")
    if given is None:
        return None
    try:
        start = datetime.date.fromisoformat(given)
    except ValueError:
        raise Http404 from None
    first, last = calendar_window(today)
    if not first < start <= last:
        raise Http404
    return start


def coming_festivals(
    records: models.QuerySet[HeritageRecord],
    today: datetime.date,
    limit: int,
    counts: dict[browse.Rule, int] | None = None,
) -> list[Occurrence]:
    """The first ``limit`` festivals among ``records`` in the next twelve months, soonest first."""
    first, last = next_twelve_months(today)
    return browse.upcoming(records.only(*CALENDAR_FIELDS), first, last, limit, counts)


class CountedPaginator(Paginator):
    """A paginator told its number of items (which may come from a cache), not given them.

    Its pages are empty until the caller fills ``page.object_list``.
    """

    def __init__(self, per_page: int, count: int) -> None:
        super().__init__([], per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        """The number of items, as told."""
        return self.known_count


def heritage_index(site: Site | None) -> HeritageIndexPage | None:
    """The site's live heritage archive page, if it has one."""
    pages = HeritageIndexPage.objects.live()
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    return pages.first()


def home_festivals(home: TranslatedPage, request: HttpRequest) -> str:
    """The home page's section of coming festivals; empty without an archive page or festivals.

    Only public records: the home page is the same for every reader.
    """
    index = HeritageIndexPage.objects.child_of(home).live().first()
    if index is None:
        return ""
    public = browse.visible_records(AnonymousUser())
    today = timezone.localdate()
    festivals = browse.shared_store()(
        f"home:{today}", lambda: coming_festivals(public, today, UPCOMING_ON_HOME)
    )
    if not festivals:
        return ""
    context = {
        "heritage_page": index,
        "heritage_records_url": index.records_url(request),
        "upcoming_festivals": festivals,
    }
    return render_to_string("heritage/includes/home_festivals.html", context, request=request)
