"""RSS and Atom feeds of the questions published with their answers ("you asked, we
answered"), one per language's site: each entry says the language it is written in."""

from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import SyndicationFeed
from django.utils.translation import gettext as _

from cms.feeds import FEED_LENGTH, LanguageTaggedAtom, LanguageTaggedRss
from outreach import feedback
from outreach.models import Submission


class AnsweredRssFeed(Feed):
    """The latest published questions and answers, newest first."""

    feed_type: type[SyndicationFeed] = LanguageTaggedRss

    def title(self) -> str:
        """The feed's name, in the reader's language."""
        return _("You asked, we answered")

    def description(self) -> str:
        """What the feed holds."""
        return _(
            "Residents' questions and the answers of the offices responsible, published with "
            "the residents' agreement."
        )

    def link(self) -> str:
        """The list the feed follows."""
        return reverse("outreach_ask:answered_list")

    def items(self) -> QuerySet[Submission]:
        """The latest published, with only what is published of them."""
        return (
            feedback.published()
            .only("public_question", "answer", "language", "published_at")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item: Submission) -> str:
        """The question as published."""
        return item.public_question

    def item_description(self, item: Submission) -> str:
        """The answer."""
        return item.answer

    def item_link(self, item: Submission) -> str:
        """The published question's page."""
        return reverse("outreach_ask:answered", args=[item.pk])

    def item_pubdate(self, item: Submission) -> Any:
        """When it was published."""
        return item.published_at

    def item_extra_kwargs(self, item: Submission) -> dict[str, str]:
        """The language the question was asked in (its answer is in it or beside it)."""
        return {"language": item.language}


class AnsweredAtomFeed(AnsweredRssFeed):
    """The same, as Atom."""

    feed_type = LanguageTaggedAtom
    subtitle = AnsweredRssFeed.description
