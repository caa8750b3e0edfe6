"""Reading offline and on a tiny data plan, in Chromium with the service worker at work."""

import pytest

from cms.models import ArticlePage, MarketPricesPage, ProductPage, TopicIndexPage
from cms.topics import Topic
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser]

KEPT = "async (path) => Boolean(await caches.match(path, {ignoreVary: true}))"


@pytest.fixture
def resident(browser):
    """A phone with JavaScript and service workers, as most residents' browsers."""
    context = browser.new_context(viewport=PHONE)
    yield context, context.new_page()
    context.close()


def wait_until_kept(page, path, tries=300):
    """Wait for the worker to keep ``path`` (``wait_for_function`` does not await a promise)."""
    for _ in range(tries):
        if page.evaluate(KEPT, path):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{path} was never kept")


def policy_article() -> ArticlePage:
    """An article the worker does not keep ahead of time (not under health)."""
    section = TopicIndexPage.objects.get(topic=Topic.POLICY)
    return ArticlePage.objects.child_of(section).live().first()


def test_article_read_once_reads_the_same_offline(demo_site, resident):
    context, page = resident
    first, second = ArticlePage.objects.live().order_by("pk")[:2]
    page.goto(demo_site.url + first.url_in("vi"))
    first_text = page.locator("article").inner_text()
    wait_until_kept(page, first.url_in("vi"))
    page.goto(demo_site.url + second.url_in("vi"))
    second_text = page.locator("article").inner_text()
    wait_until_kept(page, second.url_in("vi"))
    context.set_offline(True)
    page.reload()
    assert page.locator("article").inner_text() == second_text
    page.goto(demo_site.url + first.url_in("vi"))
    assert page.locator("article").inner_text() == first_text
    assert first.title_vi in first_text


@pytest.mark.parametrize(
    ("code", "heading", "heading_lang"),
    [("km", "Bạn đang ngoại tuyến", "vi"), ("en", "You are offline", None)],
)
def test_page_never_read_offline_shows_the_offline_page_in_the_readers_language(
    demo_site, resident, code, heading, heading_lang
):
    context, page = resident
    page.goto(demo_site.url + f"/{code}/")
    wait_until_kept(page, f"/{code}/offline/")
    never_read = policy_article().url_in(code)
    assert not page.evaluate(KEPT, never_read)
    context.set_offline(True)
    page.goto(demo_site.url + never_read)
    assert page.locator("html").get_attribute("lang") == code
    assert page.locator("h1").inner_text() == heading
    assert page.locator("h1").get_attribute("lang") == heading_lang
    assert page.locator("article").count() == 0


def test_market_prices_are_kept_for_reading_offline_before_they_are_opened(demo_site, resident):
    context, page = resident
    prices = MarketPricesPage.objects.get()
    page.goto(demo_site.url + "/vi/")
    wait_until_kept(page, prices.url_in("vi"))
    context.set_offline(True)
    page.goto(demo_site.url + prices.url_in("vi"))
    assert page.locator("h1").inner_text() == prices.title_vi
    assert page.locator(".price-table tbody tr").count() > 0


def image_requests(browser, path, headers):
    context = browser.new_context(
        viewport=PHONE, extra_http_headers=headers, service_workers="block"
    )
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request))
    page.goto(path, wait_until="networkidle")
    images = [request.url for request in requested if request.resource_type == "image"]
    fonts = [request.url for request in requested if request.url.endswith("fonts.css")]
    links = page.locator("a.image-link").count()
    context.close()
    return images, fonts, links


def test_reader_saving_data_loads_no_image_until_asked(demo_site, browser):
    product = ProductPage.objects.live().filter(photos__isnull=False).first()
    path = demo_site.url + product.url_in("vi")
    photos = product.photos.count()
    images, fonts, links = image_requests(browser, path, {})
    assert len(images) >= photos > 0
    assert len(fonts) == 1
    assert links == 0
    images, fonts, links = image_requests(browser, path, {"Save-Data": "on"})
    assert images == []
    assert fonts == []
    assert links == photos
