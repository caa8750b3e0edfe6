"""The publishing pages: home, topic sections and articles."""

from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index
from wagtailmedia.edit_handlers import MediaChooserPanel

from cms.blocks import ArticleBodyBlock
from cms.models.market import MarketPricesPage, latest_prices, one_market_per_commodity
from cms.models.translated import TranslatedPage
from cms.topics import Topic

ARTICLES_PER_PAGE = 12
HOME_PRICES = 6
HOME_SECTIONS_HOOK = "home_page_sections"
"""Hook of apps built on cms that add a section to the home page: called with the home page and
the request, each returns the section's HTML, or an empty string to add nothing."""


class HomePage(TranslatedPage):
    """The front page: latest news per topic and today's market prices."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)

    content_panels = [*TranslatedPage.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.TopicIndexPage",
        "cms.ProductIndexPage",
        "cms.MarketPricesPage",
        "heritage.HeritageIndexPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Add the newest articles, the topic sections, prices and other apps' sections."""
        context = super().get_context(request, *args, **kwargs)
        context["topics"] = TopicIndexPage.objects.child_of(self).live().public()
        context["latest_articles"] = (
            ArticlePage.objects.live().public().order_by("-date", "-pk")[:8]
        )
        context["latest_prices"] = one_market_per_commodity(latest_prices())[:HOME_PRICES]
        context["prices_page"] = MarketPricesPage.objects.child_of(self).live().first()
        context["home_sections"] = [
            section
            for hook in hooks.get_hooks(HOME_SECTIONS_HOOK)
            if (section := hook(self, request))
        ]
        return context


class TopicIndexPage(TranslatedPage):
    """A section of the site (policy, market, health…) listing its articles, newest first."""

    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices, unique=True)
    intro = models.TextField(_("introduction"), blank=True, max_length=500)

    content_panels = [*TranslatedPage.content_panels, FieldPanel("topic"), FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ArticlePage"]

    class Meta:
        verbose_name = _("topic section")

    def articles(self) -> models.QuerySet["ArticlePage"]:
        """The published articles of this section, newest first."""
        return ArticlePage.objects.child_of(self).live().public().order_by("-date", "-pk")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Add one page of articles, chosen by the ``page`` query parameter."""
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.articles().select_related("lead_image"), ARTICLES_PER_PAGE)
        articles: PaginatorPage = paginator.get_page(request.GET.get("page"))
        context["articles"] = articles
        return context


class ArticlePage(TranslatedPage):
    """A news article: policy news, market information, health advice…"""

    summary = models.TextField(_("summary"), max_length=300)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    date = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    source_url = models.URLField(_("source link"), blank=True)
    audio = models.ForeignKey(
        "media.MediaAsset",
        verbose_name=_("audio version"),
        help_text=_("The article read aloud, for readers who prefer to listen."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    translation_required_fields = ("title", "summary", "body")
    content_panels = [
        *TranslatedPage.content_panels,
        FieldPanel("summary"),
        MediaChooserPanel("audio", media_type="audio"),
        FieldPanel("lead_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("source"), FieldPanel("source_url")],
            heading=_("Publication"),
        ),
    ]
    search_fields = [
        *TranslatedPage.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["cms.TopicIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article")

    @property
    def topic(self) -> str:
        """The topic of the section the article is published in."""
        return self.get_parent().specific.topic
