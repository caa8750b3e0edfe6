"""The demo: the whole site in ten languages, authentic minority text only, loadable twice."""

import re

from django.core.management import call_command

from cms.demo.loader import load_demo
from cms.languages import LANGUAGE_CODES
from cms.models import ArticlePage, MarketPrice, ProductPage


def test_demo_builds_the_site_and_a_second_run_adds_nothing(client, db):
    first = load_demo("testserver", 80)
    assert first.pages >= 28 + 3 + 8
    assert first.prices >= 6 * 3 * 365
    pages, prices = ArticlePage.objects.count(), MarketPrice.objects.count()

    again = load_demo("testserver", 80)
    assert (again.pages, again.images, again.prices) == (0, 0, 0)
    assert (ArticlePage.objects.count(), MarketPrice.objects.count()) == (pages, prices)

    for code in LANGUAGE_CODES:
        response = client.get(f"/{code}/")
        assert response.status_code == 200
        assert f'<html lang="{code}"' in response.content.decode()

    topics = {article.topic for article in ArticlePage.objects.all()}
    assert len(topics) == 7
    assert ProductPage.objects.count() == 8


def test_demo_minority_text_is_the_labelled_language_samples_only(client, db):
    load_demo("testserver", 80)
    for code in ("hmn", "cjm", "rad", "bdq", "cmo"):
        assert not any(page.has_translation(code) for page in ArticlePage.objects.all())
    khmer = [page for page in ArticlePage.objects.all() if page.has_translation("km")]
    assert len(khmer) == 1
    assert khmer[0].title_vi.startswith("Mẫu ngôn ngữ")
    body = client.get(khmer[0].url_in("km")).content.decode()
    assert re.search("[\u1780-\u17ff]{5}", body)
    assert "Trang này chưa được dịch" not in body


def test_load_demo_command_reports_the_admin_login(db, capsys):
    call_command("load_demo", "--admin-password", "s3cret-demo")
    output = capsys.readouterr().out
    assert "Admin user 'admin' created (password 's3cret-demo')" in output
    call_command("load_demo")
    assert "0 pages" in capsys.readouterr().out
