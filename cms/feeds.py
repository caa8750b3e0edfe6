"""RSS and Atom feeds of articles, one per language and topic (or ``all``)."""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from cms.models import ArticlePage, HomePage, TopicIndexPage
from cms.topics import Topic

FEED_LENGTH = 30
ALL_TOPICS = "all"


class ArticleRssFeed(Feed):
    """The newest articles of a topic in the reader's language, as RSS 2.0."""

    feed_type = Rss201rev2Feed

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
        """The newest published articles."""
        articles = ArticlePage.objects.live().public()
        if section is not None:
            articles = articles.child_of(section)
        return articles.order_by("-date", "-pk")[:FEED_LENGTH]

    def item_title(self, item: ArticlePage) -> str:
        """The article title in the reader's language (Vietnamese if not translated)."""
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        """The article summary."""
        return item.summary

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

    feed_type = Atom1Feed
    subtitle = ArticleRssFeed.description
