"""The translation coverage dashboard: counts per language and state, and what needs work."""

import html
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from cms.models import ArticlePage, Commodity
from cms.translation_state import set_reads
from media.models import MediaAsset
from tests.cms.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(health, admin_user):
    """Three health articles: one translated into English, one whose Vietnamese changed since,
    one in Vietnamese only."""
    made = []
    for number, english in enumerate(["Malaria nets", "Clean water", None]):
        page = ArticlePageFactory(parent=health, title=f"Bài số {number}")
        if english:
            page.title_en, page.summary_en = english, "Sleep under a net."
            page.source_en = "Commune health station (demo)"
            page.body_en = [{"type": "paragraph", "value": "<p>Mosquitoes bite at night.</p>"}]
        page.save_revision(user=admin_user).publish()
        made.append(page)
    changed = ArticlePage.objects.get(pk=made[1].pk)
    changed.summary = "Đun sôi nước trước khi uống."
    changed.save_revision(user=admin_user)
    return made


def counts(body, code):
    row = re.search(rf'lang="{code}">[^<]*</a></th>((?:<td>\d+</td>)+)', body).group(1)
    return [int(n) for n in re.findall(r"\d+", row)]


def test_counts_per_language_and_the_items_needing_work_newest_first(admin_client, articles):
    Commodity.objects.create(name="Gạo tẻ", unit="kg")  # a snippet, untranslated
    body = admin_client.get("/admin/translations/?language=en").content.decode()
    # Missing (an article, the rice), outdated, up to date (an article, the home page, the
    # health section, whose factories give them English).
    assert counts(body, "en") == [2, 1, 3]
    assert counts(body, "km") == [6, 0, 0]
    listed = re.findall(r'<td lang="vi">(?:<a href="([^"]*)">)?([^<]+)', body)
    assert [title for _url, title in listed] == ["Gạo tẻ", "Bài số 1", "Bài số 2"]
    assert listed[1][0] == f"/admin/pages/{articles[1].pk}/edit/"
    assert "Bài số 0" not in body.split("audio-coverage")[0]  # up to date: nothing to do
    kind = ContentType.objects.get_for_model(ArticlePage).pk
    body = admin_client.get(f"/admin/translations/?language=en&kind={kind}").content.decode()
    assert counts(body, "en") == [1, 1, 1]
    body = admin_client.get(
        f"/admin/translations/?language=en&state=up_to_date&kind={kind}"
    ).content.decode()
    assert re.findall(r'<td lang="vi"><a href="[^"]*">([^<]+)', body) == ["Bài số 0"]
    body = admin_client.get("/admin/translations/?language=en&topic=market").content.decode()
    assert 'href="?language=km&amp;topic=market"' in body  # a language's link keeps the topic
    assert counts(body, "en") == [0, 0, 0] and '<td lang="vi">' not in body


@pytest.mark.parametrize(
    "query",
    [
        "language=xx%3Cb%3E",
        "kind=%00&topic=%ff&state=..%2f&page=99999999999999999999",
        "state=nope%3Cb%3E&page=-1&language=en&language=%3Cb%3E",
        "topic=" + "x" * 5000,
    ],
)
def test_a_choice_not_understood_is_ignored_not_echoed(admin_client, articles, query):
    """The admin is outside the fuzz crawl: the dashboard's hostile query strings are asked
    here. What is not understood is dropped: no error echoes it back, escaped or not."""
    answer = admin_client.get(f"/admin/translations/?{query}")
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "&lt;b&gt;" not in body and "<b>" not in body and "\x00" not in body
    assert "x" * 100 not in body and "nope" not in body and "error-message" not in body
    assert counts(body, "en") == [1, 1, 3]  # the control: the unfiltered counts


def test_the_edit_view_says_each_languages_state_of_what_is_being_edited(admin_client, articles):
    from wagtail.admin.admin_url_finder import AdminURLFinder

    from tests.heritage.factories import HeritageRecordFactory

    body = admin_client.get(f"/admin/pages/{articles[1].pk}/edit/").content.decode()
    found = re.findall(
        r'<li data-language="(\w+)" data-state="(\w+)">[^:<]*: ([^<]*?) · <a href="([^"]*)"',
        body,
    )
    states = {code: (state, said) for code, state, said, _file in found}
    assert len(states) == 9 and states["km"] == ("missing", "chưa dịch")
    assert states["en"] == ("outdated", "1 phần đã cũ, 0 phần chưa dịch")
    khmer = html.unescape(dict((code, file) for code, *_, file in found)["km"])
    answer = admin_client.get(khmer)  # the page's own translation file
    assert answer.status_code == 200 and f'<file id="cms.articlepage.{articles[1].pk}">' in (
        answer.content.decode()
    )
    body = admin_client.get(f"/admin/pages/{articles[0].pk}/edit/").content.decode()
    assert '<li data-language="en" data-state="up_to_date">Tiếng Anh: ' in body  # the control
    english = re.search(r'<li data-language="en".*?</li>', body).group(0)
    assert '<span class="translation-last">dịch lần cuối: admin, ' in english  # who translated
    record = HeritageRecordFactory()
    record.save_revision()
    url = AdminURLFinder(admin_client.get("/admin/").wsgi_request.user).get_edit_url(record)
    body = admin_client.get(url).content.decode()
    assert '<li data-language="jra" data-state="missing">Tiếng Gia Rai: ' in body


def test_only_people_of_the_admin_see_the_dashboard(client, articles, django_user_model):
    answer = client.get("/admin/translations/")
    assert answer.status_code == 302 and answer["Location"].startswith("/admin/login/")
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    answer = client.get("/admin/translations/")
    assert answer.status_code == 302 and "Bài số" not in answer.content.decode()
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    assert "Bài số 1" in client.get("/admin/translations/?language=en").content.decode()


def test_the_most_read_come_first_when_asked(admin_client, articles):
    kind = ContentType.objects.get_for_model(ArticlePage).pk
    set_reads({(kind, str(articles[2].pk)): 40, (kind, str(articles[1].pk)): 7})
    body = admin_client.get("/admin/translations/?language=km&order=reads").content.decode()
    listed = re.findall(r'<td lang="vi">(?:<a href="[^"]*">)?([^<]+)', body)
    assert listed[:3] == ["Bài số 2", "Bài số 1", "Bài số 0"]
    assert re.findall(r"<td>(\d+)</td>\n</tr>", body)[:3] == ["40", "7", "0"]
    # Told again, what is not named any more was not read.
    set_reads({(kind, str(articles[0].pk)): 3})
    body = admin_client.get("/admin/translations/?language=km&order=reads").content.decode()
    listed = re.findall(r'<td lang="vi">(?:<a href="[^"]*">)?([^<]+)', body)
    assert listed[0] == "Bài số 0"
    assert re.findall(r"<td>(\d+)</td>\n</tr>", body)[:3] == ["3", "0", "0"]


def test_audio_versions_are_counted_per_language_and_the_missing_listed(
    admin_client, articles, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    reading = MediaAsset.objects.create(
        title="Bản đọc", file=ContentFile(b"x", name="a.m4a"), type="audio"
    )
    for page in articles[:2]:
        page = ArticlePage.objects.get(pk=page.pk)
        page.audio_vi = reading
        page.save_revision().publish()
    page = ArticlePage.objects.get(pk=articles[0].pk)
    page.audio_km = reading
    page.save_revision().publish()

    body = admin_client.get("/admin/translations/?language=km").content.decode()
    rows = dict(re.findall(r'<span lang="(\w+)">[^<]*</span></th><td>(\d+)</td><td>\d+</td>', body))
    assert rows["vi"] == "2" and rows["km"] == "1" and rows["jra"] == "0"
    assert re.findall(r"<td>\d+</td><td>(\d+)</td></tr>", body.split("audio-coverage")[1])[0] == "3"
    missing = re.findall(r'<li lang="vi"><a href="[^"]*">([^<]+)', body)
    assert missing == ["Bài số 2", "Bài số 1"]  # newest first; Bài số 0 has Khmer audio
