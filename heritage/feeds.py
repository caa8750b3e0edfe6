"""An RSS feed of the heritage records published or updated most recently, in each language."""

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from modeltranslation.utils import build_localized_fieldname

from cms.feeds import LanguageTaggedRss, first_where
from cms.languages import DEFAULT_LANGUAGE
from cms.text_language import reading_code
from heritage.browse import visible_records
from heritage.display import TRANSLATED_FIELDS, record_translated, translated_condition
from heritage.models.records import HeritageRecord

if TYPE_CHECKING:
    from heritage.models.pages import HeritageIndexPage

FEED_LENGTH = 30


class RecordFeed(Feed):
    """The newest public records, those in the reader's language first, each entry in one
    language and saying which (see ``cms.feeds``).

    A feed is read by aggregators that never sign in, so it holds only what anyone may see.
    """

    feed_type = LanguageTaggedRss

    def get_object(self, request: HttpRequest, index: "HeritageIndexPage") -> "HeritageIndexPage":
        """The archive's index page, which serves the feed."""
        self.request = request
        return index

    def title(self, index: "HeritageIndexPage") -> str:
        """ "Bản Làng — <archive title>"."""
        return f"Bản Làng — {index.title}"

    def link(self, index: "HeritageIndexPage") -> str:
        """The archive's landing page."""
        return index.get_url(self.request)

    def description(self, index: "HeritageIndexPage") -> str:
        """The archive's introduction."""
        return index.intro

    def items(self, index: "HeritageIndexPage") -> QuerySet[HeritageRecord]:
        """The most recently updated published records anyone may see."""
        self.records_url = index.get_url(self.request)
        public = visible_records(AnonymousUser())
        newest = public.only(
            "slug", *TRANSLATED_FIELDS, "first_published_at", "updated_at"
        ).order_by("-updated_at", "-pk")
        return first_where(newest, translated_condition(reading_code()))[:FEED_LENGTH]

    def item_title(self, item: HeritageRecord) -> str:
        """The record's title in the entry's language."""
        return self._text(item, "title")

    def item_description(self, item: HeritageRecord) -> str:
        """The record's summary, in the same language as the title."""
        return self._text(item, "summary")

    def item_extra_kwargs(self, item: HeritageRecord) -> dict[str, Any]:
        """The language the entry is in, for ``dc:language``."""
        return {"language": self._language(item)}

    def _language(self, item: HeritageRecord) -> str:
        """The reader's language where the record is translated into it (as its page says),
        else Vietnamese: an entry is in one language."""
        code = reading_code()
        return code if record_translated(item, code) else DEFAULT_LANGUAGE

    def _text(self, item: HeritageRecord, name: str) -> str:
        return getattr(item, build_localized_fieldname(name, self._language(item)), None) or ""

    def item_link(self, item: HeritageRecord) -> str:
        """The record's page in the reader's language."""
        return f"{self.records_url}{item.slug}/"

    def item_pubdate(self, item: HeritageRecord) -> datetime.datetime:
        """When the record was first published."""
        return item.first_published_at or item.updated_at

    def item_updateddate(self, item: HeritageRecord) -> datetime.datetime:
        """When the record last changed."""
        return item.updated_at
