"""Market information: commodities, markets, daily prices and the page that shows them."""

import datetime
from dataclasses import dataclass, replace
from typing import Any

from django.db import models
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.search import index

from cms.charts import PricePoint, price_chart_svg
from cms.languages import LANGUAGE_CODES
from cms.models.translated import TranslatedPage

HISTORY_DAYS = 365
LATEST_PRICE_MAX_AGE_DAYS = 30


class Commodity(index.Indexed, models.Model):
    """A product whose market price is followed, e.g. green coffee beans or black pepper."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    unit = models.CharField(_("unit"), max_length=30, help_text=_("e.g. kg"))

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("unit")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("commodity")
        verbose_name_plural = _("commodities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Market(models.Model):
    """A market where prices are recorded, e.g. a provincial wholesale market."""

    name = models.CharField(_("name"), max_length=120)
    province = models.CharField(_("province"), max_length=120)

    panels = [FieldPanel("name"), FieldPanel("province")]

    class Meta:
        verbose_name = _("market")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MarketPrice(models.Model):
    """The price of a commodity at one market on one day, in Vietnamese đồng per unit."""

    commodity = models.ForeignKey(
        Commodity, verbose_name=_("commodity"), on_delete=models.CASCADE, related_name="prices"
    )
    market = models.ForeignKey(
        Market, verbose_name=_("market"), on_delete=models.CASCADE, related_name="prices"
    )
    price = models.PositiveIntegerField(_("price (VND)"))
    date = models.DateField(_("date"))

    panels = [
        FieldPanel("commodity"),
        FieldPanel("market"),
        FieldPanel("price"),
        FieldPanel("date"),
    ]

    class Meta:
        verbose_name = _("market price")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["commodity", "market", "date"], name="one_price_per_market_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commodity} — {self.market} — {self.date}: {self.price}"


@dataclass(frozen=True)
class LatestPrice:
    """The newest price of a commodity at a market, with the one recorded before it."""

    commodity: Commodity
    market: Market
    price: int
    date: datetime.date
    previous_price: int | None

    @property
    def change(self) -> int:
        """Price difference from the previous record (0 when there is none)."""
        return 0 if self.previous_price is None else self.price - self.previous_price


def latest_prices(today: datetime.date | None = None) -> list[LatestPrice]:
    """Newest and previous price of every commodity at every market, by commodity name.

    Only prices of the last ``LATEST_PRICE_MAX_AGE_DAYS`` count: an older price is not news to a
    farmer deciding when to sell, and leaving it out keeps the ranking small.
    """
    since = (today or datetime.date.today()) - datetime.timedelta(days=LATEST_PRICE_MAX_AGE_DAYS)
    ranked = (
        MarketPrice.objects.filter(date__gte=since)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("commodity_id"), F("market_id")],
                order_by=F("date").desc(),
            )
        )
        .filter(rank__lte=2)
    )
    rows = ranked.select_related("commodity", "market").order_by(
        "commodity__name", "market__name", "-date"
    )
    latest: list[LatestPrice] = []
    for row in rows:
        if row.rank == 1:
            latest.append(LatestPrice(row.commodity, row.market, row.price, row.date, None))
        else:
            latest[-1] = replace(latest[-1], previous_price=row.price)
    return latest


def one_market_per_commodity(prices: list[LatestPrice]) -> list[LatestPrice]:
    """The most recently updated market's price for each commodity, in the given order."""
    newest: dict[int, LatestPrice] = {}
    for row in prices:
        current = newest.get(row.commodity.pk)
        if current is None or row.date > current.date:
            newest[row.commodity.pk] = row
    return list(newest.values())


class MarketPricesPage(RoutablePageMixin, TranslatedPage):
    """Latest prices of every commodity, and a year of price history for each."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)

    content_panels = [*TranslatedPage.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("market prices page")

    @path("")
    def latest(self, request: HttpRequest) -> HttpResponse:
        """The newest price of each commodity at each market."""
        return self.render(request, context_overrides={"latest_prices": latest_prices()})

    @path("<slug:commodity>/")
    def history(self, request: HttpRequest, commodity: str) -> HttpResponse:
        """A year of prices for one commodity: a chart per market and a table.

        Its address carries the commodity's slug in the reader's language (Vietnamese where it
        has none); its slug in another language, which an old link may hold, redirects there
        for good.
        """
        item = commodity_by_slug(commodity)
        if item.slug != commodity:
            return HttpResponsePermanentRedirect(
                self.url + self.reverse_subpage("history", args=[item.slug])
            )
        since = datetime.date.today() - datetime.timedelta(days=HISTORY_DAYS)
        prices = (
            MarketPrice.objects.filter(commodity=item, date__gte=since)
            .select_related("market")
            .order_by("market__name", "date")
        )
        by_market: dict[Market, list[PricePoint]] = {}
        for row in prices:
            by_market.setdefault(row.market, []).append(PricePoint(row.date, row.price))
        if not by_market:
            raise Http404
        charts = [
            {
                "market": market,
                "svg": price_chart_svg(points, title=f"{item.name} — {market.name}"),
                "latest": points[-1],
                "lowest": min(points, key=lambda point: point.price),
                "highest": max(points, key=lambda point: point.price),
                "monthly": monthly_averages(points),
            }
            for market, points in by_market.items()
        ]
        context: dict[str, Any] = {"commodity": item, "charts": charts}
        return TemplateResponse(
            request,
            "cms/market_price_history.html",
            {**self.get_context(request), **context},
        )


def commodity_by_slug(slug: str) -> Commodity:
    """The commodity with ``slug`` in the reader's language, else in any language; or 404."""
    reading = Commodity.objects.filter(slug=slug).first()
    if reading is not None:
        return reading
    any_language = models.Q()
    for code in LANGUAGE_CODES:
        any_language |= models.Q(**{build_localized_fieldname("slug", code): slug})
    return get_object_or_404(Commodity.objects.filter(any_language).order_by("pk")[:1])


def monthly_averages(points: list[PricePoint]) -> list[PricePoint]:
    """Average price per calendar month, dated the first of the month, oldest first."""
    months: dict[datetime.date, list[int]] = {}
    for point in points:
        months.setdefault(point.date.replace(day=1), []).append(point.price)
    return [PricePoint(month, round(sum(v) / len(v))) for month, v in sorted(months.items())]
