"""The heritage archive on a cheap phone, with JavaScript off: warnings, calendar, scripts."""

import pytest

from heritage.models import HeritageIndexPage, HeritageRecord
from heritage.protocols import CulturalProtocol
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser]


@pytest.fixture
def no_script(browser):
    """A phone-size page with JavaScript switched off."""
    context = browser.new_context(
        service_workers="block", viewport=PHONE, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


def test_pictures_behind_a_content_warning_open_only_when_the_reader_asks(demo_site, no_script):
    record = (
        HeritageRecord.objects.filter(protocol=CulturalProtocol.PUBLIC)
        .exclude(content_warnings=[])
        .first()
    )
    archive = HeritageIndexPage.objects.get()
    no_script.goto(f"{demo_site.url}{archive.url}{record.slug}/")
    picture = no_script.locator(".content-warning img").first
    assert not picture.is_visible()
    no_script.locator(".content-warning summary").click()
    picture.wait_for(state="visible")
    assert picture.evaluate("image => image.complete && image.naturalWidth > 0")


def test_the_month_calendar_fits_a_phone_screen(demo_site, no_script):
    archive = HeritageIndexPage.objects.get()
    no_script.goto(f"{demo_site.url}{archive.url}calendar/")
    assert no_script.locator("table.calendar").is_visible()
    assert no_script.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
