"""Dates are written one way per language, on every page: one definition in
``cms/formatting.py`` that every template and module goes through (feeds aside, which follow
their formats' rules)."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings

from cms.formatting import format_date, format_date_range, format_month
from tests.cms.factories import ArticlePageFactory

ROOT = Path(settings.BASE_DIR)
APPS = ("cms", "heritage", "media", "search", "outreach", "templates")
FEEDS = ("feeds.py", "ical.py", "oai.py", "dublin_core.py")
DAY = datetime.date(2025, 11, 18)


@pytest.mark.parametrize(
    ("code", "written"),
    [("vi", "18 thg 11, 2025"), ("en", "Nov 18, 2025"), ("km", "18 វិច្ឆិកា 2025")],
)
def test_an_article_date_is_written_the_same_way_on_its_page_and_in_listings(
    client, health, code, written
):
    article = ArticlePageFactory(parent=health, date=DAY, title_en="Malaria", slug_en="malaria")
    expected = f'<time datetime="2025-11-18">{written}</time>'
    for url in (article.url_in(code), health.url_in(code)):
        body = client.get(url).content.decode()
        assert body.count(expected) == 1, url


@pytest.mark.parametrize(
    ("code", "run", "month"),
    [
        ("vi", "18\u2009–\u200920 thg 11, 2025", "tháng 11 năm 2025"),
        ("hmn", "18\u2009–\u200920 thg 11, 2025", "tháng 11 năm 2025"),
        ("en", "Nov 18\u2009–\u200920, 2025", "November 2025"),
        ("km", "18 – 20 វិច្ឆិកា 2025", "វិច្ឆិកា 2025"),
    ],
)
def test_a_run_of_days_and_a_month_are_written_like_a_day(code, run, month):
    assert format_date_range(DAY, DAY, code) == format_date(DAY, code)
    assert format_date_range(DAY, DAY + datetime.timedelta(days=2), code) == run
    assert format_month(DAY, code) == month


def test_dates_are_formatted_in_one_place():
    sources = [
        path
        for app in APPS
        for path in (ROOT / app).rglob("*")
        if path.suffix in {".py", ".html"}
        and path.name not in FEEDS
        and "migrations" not in path.parts
    ]
    assert len(sources) > 50
    formatting = ROOT / "cms" / "formatting.py"
    assert "babel.dates" in formatting.read_text()
    others = {
        str(path.relative_to(ROOT))
        for path in sources
        if path != formatting
        and re.search(
            r"babel\.dates|\|date:(?!'Y-m(-d)?')|\|local_date:|strftime", path.read_text()
        )
    }
    assert others == set()
