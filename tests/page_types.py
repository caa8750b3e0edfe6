"""One URL of each kind of public page on the demo site, for the checks that every page type
passes: axe-core in the browser (``tests/browser/test_accessibility.py``) and the Nu Html
Checker (``tests/cms/test_html_validity.py``).

The URLs are read from the loaded demo (``cms.demo.loader.load_demo``), never written out, so a
renamed slug does not leave a check looking at a 404.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import override

from cms.languages import DEFAULT_LANGUAGE
from cms.models import (
    ArticlePage,
    Commodity,
    MarketPricesPage,
    ProductIndexPage,
    ProductPage,
    TopicIndexPage,
)
from heritage.browse import visible_records
from heritage.models import HeritageIndexPage, HeritageKind, HeritageRecord, Place
from heritage.protocols import CulturalProtocol
from outreach import feedback
from outreach.feedback import shown
from outreach.models import Submission
from outreach.subscriptions import find_token

NOT_FOUND = "not found"
"""The page type answered with status 404; every other answers 200."""
SEARCH_WITH_RESULTS = "lễ hội"
SEARCH_WITHOUT_RESULTS = "qzxjvw"
HOLDS = {
    "search with results": ('class="search-results"',),
    "heritage record": ("<audio", "<img"),
}
"""Markup a page must hold to be the case it stands for: a search that found something, a
record that shows a photo and plays a recording."""
LACKS = {"search without results": ('class="search-results"',)}
"""Markup a page must not hold: a search that found nothing lists no results."""


def not_the_case(name: str, body: str) -> list[str]:
    """How the page ``body`` of page type ``name`` misses ``HOLDS`` or ``LACKS``; empty when it
    is the case it stands for."""
    missing = [f"no {markup}" for markup in HOLDS.get(name, ()) if markup not in body]
    return missing + [f"has {markup}" for markup in LACKS.get(name, ()) if markup in body]


def translated_article(code: str) -> ArticlePage:
    """The first demo article written in ``code`` itself, not shown in its fallback."""
    return next(page for page in ArticlePage.objects.live() if page.has_translation(code))


def record_with_audio_and_image() -> HeritageRecord:
    """A public record with both a photo and a recording, each shown to every reader."""
    for record in visible_records(AnonymousUser()).order_by("pk"):
        items = record.media_items.filter(protocol=CulturalProtocol.PUBLIC)
        if (
            items.filter(image__isnull=False).exists()
            and items.filter(media__isnull=False).exists()
        ):
            return record
    raise LookupError("the demo has no public record with a photo and a recording")


def demo_page_urls(code: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Each public page type's name and the path of one page of that type on the demo site,
    in language ``code`` (the articles written in Khmer and Tai Dam stay in their language)."""
    published = feedback.published().order_by("pk").first()
    archive = HeritageIndexPage.objects.live().get()
    market = MarketPricesPage.objects.live().get()
    today = timezone.localdate()
    province = Place.objects.current().provinces().order_by("name").first()
    with override(code):
        archive_url = archive.url_in(code)
        market_url = market.url_in(code)
        history = market_url + market.reverse_subpage(
            "history", args=[Commodity.objects.order_by("pk").first().slug]
        )
        calendar = archive_url + archive.reverse_subpage(
            "calendar_month", args=[today.year, today.month]
        )
        record = archive_url + f"{record_with_audio_and_image().slug}/"
    return {
        "home": f"/{code}/",
        "topic index": TopicIndexPage.objects.live().first().url_in(code),
        "article (vi)": translated_article(DEFAULT_LANGUAGE).url_in(code),
        "article (km)": translated_article("km").url_in("km"),
        "article (blt)": translated_article("blt").url_in("blt"),
        "product index": ProductIndexPage.objects.live().get().url_in(code),
        "product": ProductPage.objects.live().first().url_in(code),
        "market prices": market_url,
        "price history": history,
        "heritage archive": archive_url,
        "heritage archive, filtered": f"{archive_url}?kind={HeritageKind.FESTIVAL}",
        "heritage record": record,
        "calendar month": calendar,
        "search, empty": f"/{code}/search/",
        "search with results": f"/{code}/search/?q={SEARCH_WITH_RESULTS}",
        "search without results": f"/{code}/search/?q={SEARCH_WITHOUT_RESULTS}",
        "offline page": f"/{code}/offline/",
        "subscribe": f"/{code}/subscribe/?province={province.pk}",
        "find a subscription": f"/{code}/subscribe/find/",
        "find a subscription, code": f"/{code}/subscribe/find/{find_token('+84912345678')}/",
        "find a subscription, link sent": f"/{code}/subscribe/find/sent/",
        "ask": f"/{code}/ask/?province={province.pk}",
        "ask, code": f"/{code}/ask/code/",
        "ask, status": f"/{code}/ask/{shown(Submission.objects.order_by('pk').first().reference)}/",
        "answered questions": f"/{code}/ask/answered/",
        "answered question": f"/{code}/ask/answered/{published.pk}/",
        NOT_FOUND: f"/{code}/khong-co-trang-nay/",
    }
