"""RSS and Atom feeds of articles, one per language and topic (or ``all``).

A language's feed lists the entries written in it first, then Vietnamese ones for the rest.
Each entry is wholly in one language (title and summary both), and says which: Atom puts
``xml:lang`` on the entry; RSS 2.0 has only the channel's ``<language>``, so each item carries
a Dublin Core ``<dc:language>`` (RSS 2.0 allows namespaced extensions) and a Vietnamese item in
the Khmer channel says ``vi`` rather than passing for Khmer.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.contrib.syndication.views import Feed
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator
from modeltranslation.utils import build_localized_fieldname

from cms.languages import DEFAULT_LANGUAGE
from cms.models import ArticlePage, HomePage, TopicIndexPage
from cms.text_language import field_language, reading_code
from cms.topics import Topic

FEED_LENGTH = 30
ALL_TOPICS = "all"
ENTRY_FIELDS = ("title", "summary")
"""What a feed entry shows of an article or record."""
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


class LanguageTaggedRss(Rss201rev2Feed):
    """RSS 2.0 whose items each name their language with ``<dc:language>``."""

    def rss_attributes(self) -> dict[str, str]:
        """The RSS attributes, with the Dublin Core namespace."""
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        """The standard item elements, then the item's language."""
        super().add_item_elements(handler, item)
        handler.addQuickElement("dc:language", item["language"])


class LanguageTaggedAtom(Atom1Feed):
    """Atom 1.0 whose entries each carry ``xml:lang``."""

    def item_attributes(self, item: dict[str, Any]) -> dict[str, str]:
        """``xml:lang`` of the entry."""
        return {**super().item_attributes(item), "xml:lang": item["language"]}


def own_language_first(
    items: QuerySet, code: str, fields: Sequence[str] = ENTRY_FIELDS
) -> QuerySet:
    """``items`` with those having ``fields`` in language ``code`` first (order kept within)."""
    written = models.Q()
    for name in fields:
        written &= models.Q(**{f"{build_localized_fieldname(name, code)}__gt": ""})
    return first_where(items, written)


def first_where(items: QuerySet, condition: models.Q) -> QuerySet:
    """``items`` with those meeting ``condition`` first (order kept within)."""
    return items.annotate(
        in_reader_language=models.Case(
            models.When(condition, then=models.Value(0)),
            default=models.Value(1),
            output_field=models.IntegerField(),
        )
    ).order_by("in_reader_language", *items.query.order_by)


def entry_language(item: models.Model, code: str, fields: Sequence[str] = ENTRY_FIELDS) -> str:
    """The one language an entry is shown in: ``code`` if all its ``fields`` are, else vi."""
    if all(field_language(item, name, code) == code for name in fields):
        return code
    return DEFAULT_LANGUAGE


def entry_text(item: models.Model, name: str, code: str) -> str:
    """Field ``name`` of ``item`` in the entry's language."""
    lang = entry_language(item, code)
    return getattr(item, build_localized_fieldname(name, lang), None) or ""


class ArticleRssFeed(Feed):
    """The newest articles of a topic in the reader's language, as RSS 2.0."""

    feed_type: type[SyndicationFeed] = LanguageTaggedRss

    def get_object(self, request: HttpRequest, topic: str) -> TopicIndexPage | None:
        """The topic section named in the URL, or ``None`` for all topics."""
        self.request = request
        if topic == ALL_TOPICS:
            return None
        # Only a topic is looked up: PostgreSQL refuses a NUL in any text it is asked about.
        sections = TopicIndexPage.objects.live().public()
        section = sections.filter(topic=topic).first() if topic in Topic.values else None
        if section is None:
            raise Http404
        return section

    def title(self, section: TopicIndexPage | None) -> str:
        """ "Bản Làng — <topic>"."""
        name = section.title if section else _("All news")
        return f"Bản Làng — {name}"

    def link(self, section: TopicIndexPage | None) -> str:
        """The section page, or the home page for all topics."""
        page = section or HomePage.objects.live().first()
        return page.get_url(self.request) if page else "/"

    def description(self, section: TopicIndexPage | None) -> str:
        """The section's introduction."""
        return section.intro if section else _("News for ethnic-minority and mountainous areas")

    def items(self, section: TopicIndexPage | None) -> QuerySet[ArticlePage]:
        """The newest published articles in the reader's language, then the newest others."""
        articles = ArticlePage.objects.live().public()
        if section is not None:
            articles = articles.child_of(section)
        newest = articles.order_by("-date", "-pk")
        return own_language_first(newest, reading_code())[:FEED_LENGTH]

    def item_title(self, item: ArticlePage) -> str:
        """The article title in the reader's language (Vietnamese if not translated)."""
        return entry_text(item, "title", reading_code())

    def item_description(self, item: ArticlePage) -> str:
        """The article summary, in the same language as the title."""
        return entry_text(item, "summary", reading_code())

    def item_extra_kwargs(self, item: ArticlePage) -> dict[str, Any]:
        """The language the entry is in, for ``xml:lang`` or ``dc:language``."""
        return {"language": entry_language(item, reading_code())}

    def item_link(self, item: ArticlePage) -> str:
        """The article in the reader's language."""
        return item.get_url(self.request)

    def item_pubdate(self, item: ArticlePage) -> datetime.datetime:
        """Publication date, at midnight local time."""
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time()))

    def item_updateddate(self, item: ArticlePage) -> datetime.datetime | None:
        """When the article was last published."""
        return item.last_published_at


class ArticleAtomFeed(ArticleRssFeed):
    """The same articles as Atom 1.0."""

    feed_type = LanguageTaggedAtom
    subtitle = ArticleRssFeed.description
