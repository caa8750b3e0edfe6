"""Searching on a cheap phone with JavaScript off: a box on every page, results before facets."""

import pytest

from cms.models import ArticlePage
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser]

TOUCH_TARGET = 44
"""The smallest comfortable touch target, in CSS pixels (WCAG 2.5.5)."""


@pytest.fixture
def no_script(browser):
    """A phone-size page with JavaScript switched off."""
    context = browser.new_context(
        service_workers="block", viewport=PHONE, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


def _box(page, selector: str) -> dict[str, float]:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("language", ["vi", "km"])
def test_the_header_search_box_fits_one_line_of_a_phone(demo_site, no_script, language):
    article = ArticlePage.objects.filter(slug_vi__startswith="ngu-man").first()
    no_script.goto(demo_site.url + article.url_in(language))
    field = _box(no_script, "header form[role=search] input[name=q]")
    button = _box(no_script, "header form[role=search] button")
    assert field["height"] >= TOUCH_TARGET
    assert button["height"] >= TOUCH_TARGET
    assert button["width"] >= TOUCH_TARGET
    assert field["width"] >= 150
    assert abs(field["y"] - button["y"]) < 1
    assert field["x"] + field["width"] <= button["x"]
    assert button["x"] + button["width"] <= PHONE["width"]
    assert field["y"] + field["height"] < PHONE["height"] / 2
    assert no_script.evaluate("document.documentElement.scrollWidth") == PHONE["width"]


def test_searching_from_the_header_without_javascript_opens_the_results(demo_site, no_script):
    no_script.goto(demo_site.url + "/en/")
    no_script.get_by_role("searchbox", name="Search articles, products and heritage").fill(
        "festival"
    )
    no_script.keyboard.press("Enter")
    no_script.wait_for_url("**/en/search/?q=festival")
    assert no_script.locator(".search-results .search-hit").count() == 10


def test_the_first_result_starts_on_the_first_screen(demo_site, no_script):
    no_script.goto(demo_site.url + "/vi/search/?q=le+hoi")
    assert no_script.locator(".search-facets section").count() >= 3
    assert no_script.locator(".search-facets li").count() >= 10
    first = _box(no_script, ".search-results .search-hit")
    assert first["y"] < PHONE["height"]
    facets = _box(no_script, ".search-facets")
    assert facets["y"] > first["y"]
    assert no_script.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
