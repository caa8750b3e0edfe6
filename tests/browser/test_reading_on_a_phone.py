"""What a resident sees on a cheap phone: the right scripts, fonts loaded only when needed."""

import pytest

from cms.models import ArticlePage

pytestmark = [pytest.mark.browser]


def font_requests(page):
    return sorted(
        {url.rsplit("/", 1)[1].split(".")[0] for url in page.requested if url.endswith(".woff2")}
    )


def sample_article(code):
    return next(page for page in ArticlePage.objects.all() if page.has_translation(code))


def test_khmer_article_is_drawn_with_the_khmer_font(demo_site, phone):
    article = sample_article("km")
    phone.goto(demo_site.url + article.url_in("km"))
    phone.evaluate("document.fonts.ready")
    assert phone.locator("html").get_attribute("lang") == "km"
    heading = phone.locator("h1")
    assert any("\u1780" <= character <= "\u17ff" for character in heading.inner_text())
    assert phone.evaluate("""document.fonts.check('16px "Ban Lang Sans"', 'ក្សត្រ')""")
    assert font_requests(phone) == ["khmer", "latin"]
    assert "Ban Lang Sans" in heading.evaluate("element => getComputedStyle(element).fontFamily")


def test_vietnamese_article_downloads_only_the_latin_font(demo_site, phone):
    article = (
        ArticlePage.objects.filter(slug_vi__startswith="ngu-man").first()
        or ArticlePage.objects.first()
    )
    phone.goto(demo_site.url + article.url_in("vi"))
    phone.evaluate("document.fonts.ready")
    assert font_requests(phone) == ["latin"]


def test_opening_the_language_menu_loads_the_scripts_it_shows(demo_site, phone):
    phone.goto(demo_site.url + "/vi/")
    phone.evaluate("document.fonts.ready")
    assert font_requests(phone) == ["latin"]
    phone.locator("summary").click()
    phone.locator('a[lang="km"]').wait_for()
    phone.evaluate("document.fonts.ready")
    phone.wait_for_function("""document.fonts.check('16px "Ban Lang Sans"', 'ភាសាខ្មែរ')""")
    assert font_requests(phone) == ["cham", "khmer", "latin", "tai-viet"]


def test_untranslated_article_in_mong_shows_vietnamese_with_the_notice(demo_site, phone):
    article = ArticlePage.objects.exclude(slug_vi__startswith="mau-ngon-ngu").first()
    phone.goto(demo_site.url + article.url_in("hmn"))
    assert phone.locator("html").get_attribute("lang") == "hmn"
    assert "Hmôngz" in phone.locator(".notice").inner_text()
    assert phone.locator("article").get_attribute("lang") == "vi"
    assert article.title_vi in phone.locator("h1").inner_text()


def test_reading_and_switching_language_work_without_javascript(demo_site, browser):
    context = browser.new_context(
        service_workers="block", viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(demo_site.url + "/vi/")
    page.locator("summary").click()
    page.locator('a[lang="en"]').click()
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h2#news-heading").inner_text() == "Latest news"
    context.close()


def test_pages_raise_no_console_errors_or_policy_violations(demo_site, phone):
    errors = []
    phone.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    for path in ["/vi/", "/km/", "/vi/gia-ca-thi-truong/green-coffee/", "/vi/san-pham-ocop/"]:
        response = phone.goto(demo_site.url + path)
        assert response.status == 200, path
    assert errors == []


def test_nothing_overflows_the_phone_screen(demo_site, phone):
    for path in ["/vi/", "/vi/gia-ca-thi-truong/green-coffee/", "/km/"]:
        phone.goto(demo_site.url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
