"""The page-weight budget: an article without images transfers at most 35 KB compressed."""

import pytest

from cms.demo.loader import load_demo
from cms.languages import get_language
from cms.models import ArticlePage
from tests.page_weight import weigh

BUDGET_BYTES = 35_000


@pytest.fixture
def demo(db):
    load_demo("testserver", 80)


def article_weight(client, page, code):
    response = client.get(page.url_in(code), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = client.get(page.url_in(code)).content.decode()
    return weigh(html, len(response.content))


def longest_article():
    return max(
        ArticlePage.objects.all(), key=lambda page: len(str(page.body_vi)) + len(page.title_vi)
    )


@pytest.mark.parametrize("code", ["vi", "en", "hmn"])
def test_longest_latin_script_article_is_within_budget(client, demo, code):
    weight = article_weight(client, longest_article(), code)
    assert list(weight.fonts) and all(name.startswith("latin.") for name in weight.fonts)
    assert weight.total <= BUDGET_BYTES, weight


@pytest.mark.parametrize("code", ["km", "blt"])
def test_minority_script_article_is_within_budget_with_its_font(client, demo, code):
    page = next(page for page in ArticlePage.objects.all() if page.has_translation(code))
    weight = article_weight(client, page, code)
    assert any(name.startswith(f"{get_language(code).font}.") for name in weight.fonts), weight
    assert weight.total <= BUDGET_BYTES, weight


def test_a_vietnamese_page_downloads_no_khmer_tai_viet_or_cham_font(client, demo):
    weight = article_weight(client, longest_article(), "vi")
    assert not any(name.startswith(("khmer.", "tai-viet.", "cham.")) for name in weight.fonts)
