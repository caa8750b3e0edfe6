"""What a reader gets: translated URLs, the fallback notice, alternates, feeds and the sitemap."""

import re
import xml.etree.ElementTree as ET

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import sitemaps
from tests.cms.factories import ArticlePageFactory

NOTICE_VI = "Trang này chưa được dịch sang"


def test_article_has_a_translated_url_per_language(client, article):
    assert article.url_in("vi") == "/vi/suc-khoe/phong-chong-sot-ret-mua-mua/"
    assert article.url_in("en") == "/en/health/preventing-malaria-in-the-rainy-season/"
    assert article.url_in("hmn") == "/hmn/suc-khoe/phong-chong-sot-ret-mua-mua/"
    response = client.get(article.url_in("en"))
    assert response.status_code == 200
    assert "Preventing malaria in the rainy season" in response.content.decode()


def test_english_slug_does_not_route_under_vietnamese(client, article):
    assert client.get("/vi/health/preventing-malaria-in-the-rainy-season/").status_code == 404


def test_untranslated_article_shows_vietnamese_text_with_notice_in_reader_language(client, article):
    body = client.get(article.url_in("hmn")).content.decode()
    assert '<html lang="hmn"' in body
    assert "Phòng chống sốt rét mùa mưa" in body
    assert f'{NOTICE_VI} <span lang="hmn">Hmôngz</span>' in body
    assert '<article class="article" lang="vi">' in body


def test_translated_article_has_no_notice(client, article):
    body = client.get(article.url_in("en")).content.decode()
    assert "not yet translated" not in body
    assert NOTICE_VI not in body
    assert '<article class="article">' in body


def test_english_reader_gets_the_notice_in_english(client, health):
    page = ArticlePageFactory(parent=health, title="Chỉ có tiếng Việt", slug="chi-co-tieng-viet")
    body = client.get(page.url_in("en")).content.decode()
    assert (
        'This page is not yet translated into <span lang="en">English</span>. You are reading '
        "the Vietnamese"
    ) in body


def test_hreflang_lists_only_real_translations(client, article):
    body = client.get(article.url_in("hmn")).content.decode()
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', body))
    assert alternates == {
        "vi": "http://testserver/vi/suc-khoe/phong-chong-sot-ret-mua-mua/",
        "en": "http://testserver/en/health/preventing-malaria-in-the-rainy-season/",
        "x-default": "http://testserver/vi/suc-khoe/phong-chong-sot-ret-mua-mua/",
    }


def test_a_translation_missing_its_body_does_not_count(article):
    article.title_km = "ការការពារជំងឺគ្រុនចាញ់"
    article.summary_km = "គេងក្នុងមុង"
    article.save()
    assert not article.has_translation("km")
    assert article.translated_languages() == ["vi", "en"]


def test_language_switcher_links_to_the_same_article_in_each_language(client, article):
    body = client.get(article.url_in("vi")).content.decode()
    assert 'href="/en/health/preventing-malaria-in-the-rainy-season/" hreflang="en"' in body
    assert 'href="/km/suc-khoe/phong-chong-sot-ret-mua-mua/" hreflang="km"' in body


def test_routing_an_article_costs_the_same_queries_however_many_siblings(client, health, article):
    def queries_for_article():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(article.url_in("vi")).status_code == 200
        return len(captured)

    queries_for_article()
    few = queries_for_article()
    for number in range(25):
        ArticlePageFactory(parent=health, title=f"Bài thứ {number}", slug=f"bai-thu-{number}")
    assert queries_for_article() == few


def test_the_breadcrumb_links_the_section_in_each_language_from_its_titles_and_paths_alone(
    client, article
):
    with CaptureQueriesContext(connection) as captured:
        english = client.get(article.url_in("en")).content.decode()
    parent = [query["sql"] for query in captured if '"wagtailcore_page"."path" = ' in query["sql"]]
    khmer = client.get(article.url_in("km")).content.decode()
    assert '<p class="breadcrumb"><a href="/en/health/">Health</a></p>' in english
    # No Khmer title: the Vietnamese one, marked as such.
    assert '<p class="breadcrumb"><a href="/km/suc-khoe/" lang="vi">Sức khỏe</a></p>' in khmer
    assert len(parent) == 1
    assert '"title_km"' in parent[0] and '"url_path_km"' in parent[0]
    assert '"search_description_km"' not in parent[0]  # nor any column a link does not show


def test_sitemap_lists_each_translation_with_its_alternates(client, article):
    urls = sitemaps.entries(client)
    vi_url = "http://testserver/vi/suc-khoe/phong-chong-sot-ret-mua-mua/"
    en_url = "http://testserver/en/health/preventing-malaria-in-the-rainy-season/"
    assert vi_url in urls and en_url in urls
    assert "http://testserver/hmn/suc-khoe/phong-chong-sot-ret-mua-mua/" not in urls
    links = {
        link.get("hreflang"): link.get("href")
        for link in urls[en_url].findall("x:link", sitemaps.NS)
    }
    assert links == {"vi": vi_url, "en": en_url, "x-default": vi_url}


def test_rss_feed_per_language_and_topic(client, article):
    response = client.get("/en/feeds/health/rss.xml")
    assert response.status_code == 200
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("language") == "en"
    item = channel.find("item")
    assert item.findtext("title") == "Preventing malaria in the rainy season"
    assert (
        item.findtext("link")
        == "http://testserver/en/health/preventing-malaria-in-the-rainy-season/"
    )


def test_atom_feed_of_all_topics_in_vietnamese(client, article):
    response = client.get("/vi/feeds/all/atom.xml")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    titles = [
        entry.findtext("{http://www.w3.org/2005/Atom}title")
        for entry in feed.iter("{http://www.w3.org/2005/Atom}entry")
    ]
    assert titles == ["Phòng chống sốt rét mùa mưa"]


def test_feed_of_unknown_topic_is_not_found(client, home):
    assert client.get("/vi/feeds/weather/rss.xml").status_code == 404


def test_topic_index_lists_articles_newest_first_and_paginates(client, health):
    import datetime

    for day in range(1, 15):
        ArticlePageFactory(
            parent=health,
            title=f"Tin ngày {day}",
            slug=f"tin-ngay-{day}",
            date=datetime.date(2026, 10, day),
        )
    first = client.get("/vi/suc-khoe/").content.decode()
    assert first.index("Tin ngày 14") < first.index("Tin ngày 13")
    assert "Tin ngày 2<" not in first
    second = client.get("/vi/suc-khoe/?page=2").content.decode()
    assert "Tin ngày 2<" in second and "Tin ngày 1<" in second


def test_pages_carry_a_content_security_policy_without_inline_code(client, article):
    response = client.get(article.url_in("vi"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", body, re.DOTALL)
    code = [(tag, text) for tag, text in scripts if 'type="application/ld+json"' not in tag]
    assert [re.search(r'src="([^"]+)"', tag)[1] for tag, _ in code] == ["/static/js/offline.js"]
    assert [text.strip() for _, text in code] == [""]
    assert len(scripts) - len(code) == 1, "the page's schema.org data"
    assert not re.search(r"\son[a-z]+=", body)
    assert " style=" not in body and "<style" not in body


def test_robots_txt_points_at_the_sitemap(client, home):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_article_describes_itself_with_its_summary_in_the_readers_language(client, article):
    body = client.get(article.url_in("en")).content.decode()
    assert '<meta name="description" content="Sleep under a net every night' in body
