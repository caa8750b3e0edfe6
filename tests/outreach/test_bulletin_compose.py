"""Bulletins written by hand in the admin, and what each channel gets, before anything is sent:
a hand-written bulletin's preview, and an article's bulletin before the article is published."""

import datetime
import html
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone
from django_tasks import default_task_backend
from wagtail.models import GroupPagePermission
from wagtail.users.models import UserProfile

from outreach import bulletins
from outreach.models import Bulletin, BulletinState, BulletinText, Contact, Message, Purpose
from tests.cms.factories import ArticlePageFactory, TopicIndexPageFactory
from tests.outreach.factories import make_subscriber

pytestmark = pytest.mark.usefixtures("home", "outbox_channels")

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
STORM = "Bão số 9 đổ bộ chiều nay. Không ra đồng, không qua suối."
STORM_KM = "ព្យុះលេខ ៩ ចូលដល់ល្ងាចនេះ"


def writer(name):
    """An outreach officer who writes bulletins."""
    group, _ = Group.objects.get_or_create(name="Bulletin writers (test)")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_bulletin", "add_bulletin", "change_bulletin"]
        )
    )
    user = User.objects.create_user(name, password="x")
    user.groups.add(group)
    return user


def seen(response):
    """The words of the admin page's main area, without tags, as a reader sees them."""
    main = response.content.decode().split("<main", 1)[1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def in_vietnam(moment):
    """How the form writes a moment: Vietnam's wall clock, to the minute."""
    return moment.astimezone(VIETNAM).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def province(dak_lak):
    return dak_lak


@pytest.fixture
def alert(province, ea_sup):
    """The form of an urgent storm alert for Đắk Lắk (and Ea Súp), by SMS and e-mail, in
    Vietnamese and Khmer."""
    return {
        "name": "Bão số 9",
        "purpose": Purpose.ALERTS,
        "topic": "",
        "urgent": "on",
        "channels": ["sms", "email"],
        "provinces": [province.pk],
        "communes": [ea_sup.pk],
        "send_at": "",
        "text-vi-short": STORM,
        "text-vi-title": "Bão số 9",
        "text-vi-body": "Bão số 9 đổ bộ chiều nay.",
        "text-vi-link": "https://banlang.example/vi/bao-so-9/",
        "text-km-short": STORM_KM,
        "text-km-title": "ព្យុះលេខ ៩",
        "text-km-body": "",
        "text-km-link": "",
    }


@pytest.fixture
def author(db):
    return writer("author")


def test_an_officer_writes_an_urgent_alert_in_two_languages_and_it_waits_as_a_draft(
    client, author, alert, province, ea_sup
):
    profile = UserProfile.get_for_user(author)
    profile.current_time_zone = "America/New_York"
    profile.save()
    client.force_login(author)
    form = client.get("/admin/bulletins/new/")
    assert form.status_code == 200 and 'name="text-km-short"' in form.content.decode()
    moment = (timezone.now() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    response = client.post("/admin/bulletins/new/", {**alert, "send_at": in_vietnam(moment)})
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/bulletins/{bulletin.pk}/"
    assert (bulletin.name, bulletin.purpose, bulletin.topic, bulletin.urgent) == (
        "Bão số 9",
        "alerts",
        "",
        True,
    )
    assert (bulletin.state, bulletin.created_by, bulletin.send_at) == (
        BulletinState.DRAFT,
        author,
        moment,  # entered in Vietnam's time, whatever the officer's own time zone
    )
    assert bulletin.channels == ["sms", "email"]
    assert list(bulletin.provinces.all()) == [province]
    assert list(bulletin.communes.all()) == [ea_sup]
    texts = {text.language: text for text in bulletin.texts.all()}
    assert sorted(texts) == ["km", "vi"]  # only the languages written: nothing generated
    assert (texts["km"].short, texts["km"].title) == (STORM_KM, "ព្យុះលេខ ៩")
    assert texts["vi"].link == "https://banlang.example/vi/bao-so-9/"
    page = seen(client.get(response["Location"]))
    local = moment.astimezone(VIETNAM)
    assert f"{local.day} thg {local.month}, {local.year} {local:%H:%M}" in page
    assert "giờ Việt Nam" in page
    edit = client.get(f"/admin/bulletins/{bulletin.pk}/edit/").content.decode()
    assert f'value="{in_vietnam(moment)}"' in edit  # shown in Vietnam's time too


def test_an_sms_text_over_six_parts_is_refused_with_its_size_and_nothing_is_saved(
    client, author, alert
):
    client.force_login(author)
    too_long = {**alert, "text-km-short": "ạ" * 403}
    response = client.post("/admin/bulletins/new/", too_long)
    assert response.status_code == 200
    assert "Bản tin chưa được lưu" in seen(response)
    assert "403 ký tự ucs2 cần 7 tin SMS; chỉ gửi tối đa 6" in seen(response)
    assert (Bulletin.objects.count(), BulletinText.objects.count()) == (0, 0)
    # Without marks the same text takes 3 parts: folding (the officer's choice) makes it fit.
    client.post("/admin/bulletins/new/", {**too_long, "fold_sms": "on"})
    assert Bulletin.objects.get().fold_sms is True
    # Without SMS among the channels, its length does not matter.
    client.post("/admin/bulletins/new/", {**too_long, "channels": ["email"]})
    assert Bulletin.objects.count() == 2


def test_a_send_at_in_the_past_is_refused(client, author, alert):
    client.force_login(author)
    past = timezone.now() - datetime.timedelta(minutes=5)
    response = client.post("/admin/bulletins/new/", {**alert, "send_at": in_vietnam(past)})
    assert response.status_code == 200
    assert "Thời điểm gửi đã qua" in seen(response)
    assert Bulletin.objects.count() == 0
    future = timezone.now() + datetime.timedelta(hours=1)
    client.post("/admin/bulletins/new/", {**alert, "send_at": in_vietnam(future)})
    assert Bulletin.objects.count() == 1


def test_vietnamese_is_required_and_another_language_only_once_it_is_begun(client, author, alert):
    client.force_login(author)
    no_vietnamese = {**alert, "text-vi-short": "", "text-vi-title": ""}
    assert "Cần có nội dung tiếng Việt" in seen(client.post("/admin/bulletins/new/", no_vietnamese))
    half_english = {**alert, "text-en-title": "Storm no. 9"}
    assert "Viết cả nội dung ngắn" in seen(client.post("/admin/bulletins/new/", half_english))
    assert Bulletin.objects.count() == 0
    client.post("/admin/bulletins/new/", {**half_english, "text-en-short": "Storm no. 9 tonight"})
    assert sorted(Bulletin.objects.get().texts.values_list("language", flat=True)) == [
        "en",
        "km",
        "vi",
    ]


def test_news_needs_a_topic_and_an_alert_keeps_none(client, author, alert):
    client.force_login(author)
    news = {**alert, "purpose": Purpose.BULLETINS}
    assert "Chọn chủ đề của tin" in seen(client.post("/admin/bulletins/new/", news))
    assert Bulletin.objects.count() == 0
    client.post("/admin/bulletins/new/", {**news, "topic": "health"})
    client.post("/admin/bulletins/new/", {**alert, "topic": "health"})
    assert sorted(Bulletin.objects.values_list("purpose", "topic")) == [
        ("alerts", ""),
        ("bulletins", "health"),
    ]


def test_a_draft_is_edited_and_a_language_left_blank_is_removed_but_a_sent_one_is_not(
    client, author, alert
):
    client.force_login(author)
    client.post("/admin/bulletins/new/", alert)
    bulletin = Bulletin.objects.get()
    changed = {**alert, "text-vi-short": "Bão số 9 đã vào đất liền.", "name": "Bão số 9 (2)"}
    changed.update({f"text-km-{field}": "" for field in ("short", "title", "body", "link")})
    response = client.post(f"/admin/bulletins/{bulletin.pk}/edit/", changed)
    assert response["Location"] == f"/admin/bulletins/{bulletin.pk}/"
    bulletin.refresh_from_db()
    assert bulletin.name == "Bão số 9 (2)"
    assert list(bulletin.texts.values_list("language", "short")) == [
        ("vi", "Bão số 9 đã vào đất liền.")
    ]
    Bulletin.objects.filter(pk=bulletin.pk).update(state=BulletinState.SCHEDULED)
    assert client.get(f"/admin/bulletins/{bulletin.pk}/edit/").status_code == 404
    assert client.post(f"/admin/bulletins/{bulletin.pk}/edit/", alert).status_code == 404
    bulletin.refresh_from_db()
    assert bulletin.name == "Bão số 9 (2)"


def test_a_written_bulletin_waits_for_a_second_person_then_goes_at_its_time(
    client, author, alert, province, ea_sup, settings, django_capture_on_commit_callbacks
):
    settings.BANLANG_OUTREACH = {**settings.BANLANG_OUTREACH, "APPROVAL_ABOVE": 2}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    for number in range(3):
        make_subscriber(
            number, province=province, commune=ea_sup, purposes=(Purpose.ALERTS,), channels=("sms",)
        )
    moment = (timezone.now() + datetime.timedelta(days=1)).replace(second=0, microsecond=0)
    client.force_login(author)
    client.post("/admin/bulletins/new/", {**alert, "send_at": in_vietnam(moment)})
    bulletin = Bulletin.objects.get()
    refused = client.post(f"/admin/bulletins/{bulletin.pk}/send/", follow=True)
    assert "người khác phải duyệt" in seen(refused)
    bulletin.refresh_from_db()
    assert (bulletin.state, bulletin.audience) == (BulletinState.AWAITING_APPROVAL, 3)
    client.force_login(writer("approver"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/bulletins/{bulletin.pk}/send/")
    bulletin.refresh_from_db()
    assert bulletin.state == BulletinState.SCHEDULED
    (queued,) = default_task_backend.results
    assert (queued.task.name, list(queued.args), queued.task.run_after) == (
        "build_bulletin",
        [bulletin.pk],
        moment,
    )
    assert Message.objects.count() == 0  # nothing before its time


@pytest.fixture
def audience_in_province(province, ea_sup):
    """Two Vietnamese readers, a Khmer one and a Mông one in Đắk Lắk, by SMS and e-mail."""
    make_subscriber(1, province=province, purposes=(Purpose.ALERTS,))
    make_subscriber(2, province=province, commune=ea_sup, purposes=(Purpose.ALERTS,))
    make_subscriber(3, province=province, language="km", purposes=(Purpose.ALERTS,))
    make_subscriber(4, province=province, language="hmn", purposes=(Purpose.ALERTS,))
    make_subscriber(5, province=province)  # news only: not an alert's audience


def test_the_detail_page_shows_each_channels_text_sms_sizes_and_audience_counts_only(
    client, author, alert, audience_in_province
):
    client.force_login(author)
    client.post("/admin/bulletins/new/", {**alert, "channels": ["sms", "email", "push", "zalo"]})
    bulletin = Bulletin.objects.get()
    page = seen(client.get(f"/admin/bulletins/{bulletin.pk}/"))
    vietnamese, khmer = page.split("Tiếng Việt (vi)", 1)[1].split("ភាសាខ្មែរ (km)", 1)
    assert f"SMS {STORM} 56 ký tự ucs2, 1 SMS 56 ký tự gsm7, 1 SMS" in vietnamese
    assert f"Zalo {STORM}" in vietnamese
    assert "E-mail Bão số 9 Bão số 9 đổ bộ chiều nay. https://banlang.example/vi/bao-so-9/" in (
        vietnamese
    )
    assert "Thông báo trên trình duyệt Bão số 9" in vietnamese
    assert f"SMS {STORM_KM} 25 ký tự ucs2, 1 SMS" in khmer  # Khmer has no marks to drop
    audience = page.split("Người nhận", 1)[1]
    assert "Theo kênh E-mail 4 SMS 4 Thông báo trên trình duyệt 0 Zalo 0" in audience
    assert "Theo ngôn ngữ Tiếng Việt (vi) 4 Hmôngz (hmn) 2 nhận tiếng Việt ភាសាខ្មែរ (km) 2" in (
        audience
    )
    # Counts only: the people behind them are in the database, never on the page.
    assert Contact.objects.filter(address__startswith="+8491").count() == 5
    assert "+8491" not in page and "example.vn" not in page and "91000000" not in page


def test_folded_sms_shows_what_is_sent_without_marks(client, author, alert):
    client.force_login(author)
    client.post("/admin/bulletins/new/", {**alert, "fold_sms": "on"})
    page = seen(client.get(f"/admin/bulletins/{Bulletin.objects.get().pk}/"))
    assert f"SMS {bulletins.sms.fold(STORM)} 56 ký tự ucs2, 1 SMS 56 ký tự gsm7, 1 SMS" in page
    assert f"SMS {STORM} " not in page


@pytest.fixture
def people(province, ea_sup):
    """Followers of health: Khmer, Vietnamese, Mông; one news reader of markets only."""
    make_subscriber(1, province=province, commune=ea_sup, language="km")
    make_subscriber(2, province=province)
    make_subscriber(3, province=province, language="hmn")
    make_subscriber(4, province=province, topics=("market",))


@pytest.fixture
def draft_article(health):
    """An article not yet published, translated into Khmer, with a newer draft revision."""
    page = ArticlePageFactory(
        parent=health,
        title="Phòng chống sốt rét",
        slug="phong-chong-sot-ret",
        summary="Ngủ màn mỗi đêm",
        title_km="ការការពារជំងឺគ្រុនចាញ់",
        summary_km="គេងក្នុងមុងរាល់យប់",
        body_km=[{"type": "paragraph", "value": "<p>មូសចម្លងជំងឺគ្រុនចាញ់</p>"}],
        live=False,
    )
    page.title = "Phòng chống sốt rét mùa mưa"
    page.save_revision()
    return page


@pytest.fixture
def page_editor(home):
    group = Group.objects.create(name="Page editors (test)")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for permission_type in ("add", "change", "publish"):
        GroupPagePermission.objects.create(group=group, page=home, permission_type=permission_type)
    user = User.objects.create_user("page editor", password="x")
    user.groups.add(group)
    return user


def test_an_editor_sees_the_articles_bulletin_before_publishing_and_nothing_is_saved(
    client, page_editor, draft_article, people
):
    client.force_login(page_editor)
    response = client.get(f"/admin/bulletins/article/{draft_article.pk}/")
    assert response.status_code == 200
    page = seen(response)
    vietnamese, khmer = page.split("Tiếng Việt (vi)", 1)[1].split("ភាសាខ្មែរ (km)", 1)
    # The latest draft's title, measured with its marks and without.
    sms = "SMS Phòng chống sốt rét mùa mưa http://testserver/vi/suc-khoe/phong-chong-sot-ret/"
    assert f"{sms} 78 ký tự ucs2, 2 SMS 78 ký tự gsm7, 1 SMS" in vietnamese
    assert "E-mail Phòng chống sốt rét mùa mưa Ngủ màn mỗi đêm http://testserver/vi/" in (
        vietnamese
    )
    assert "SMS ការការពារជំងឺគ្រុនចាញ់ http://testserver/km/" in khmer
    audience = page.split("Người nhận", 1)[1]
    assert "Theo kênh E-mail 3 SMS 3 Thông báo trên trình duyệt 0 Zalo 0" in audience
    assert "Theo ngôn ngữ Tiếng Việt (vi) 2 Hmôngz (hmn) 2 nhận tiếng Việt ភាសាខ្មែរ (km) 2" in (
        audience
    )
    assert "+8491" not in page and "example.vn" not in page
    assert (Bulletin.objects.count(), BulletinText.objects.count()) == (0, 0)


def test_the_preview_is_what_publishing_makes(draft_article, people):
    page = draft_article.get_latest_revision_as_object()
    previewed = [
        (text.language, text.short, text.title, text.body, text.link)
        for text in bulletins.article_texts(page)
    ]
    assert (Bulletin.objects.count(), BulletinText.objects.count()) == (0, 0)
    made = bulletins.bulletin_from_article(page)
    assert previewed == list(
        made.texts.order_by("pk").values_list("language", "short", "title", "body", "link")
    )
    assert [language for language, *_ in previewed] == ["vi", "km"]


def test_the_page_editor_links_to_the_preview_only_where_the_topic_notifies(
    client, page_editor, draft_article, home
):
    culture = TopicIndexPageFactory(parent=home, topic="culture", slug="van-hoa", slug_en="c")
    quiet = ArticlePageFactory(parent=culture, title="Lễ hội cồng chiêng", slug="le-hoi")
    client.force_login(page_editor)
    link = f"/admin/bulletins/article/{draft_article.pk}/"
    assert link in client.get(f"/admin/pages/{draft_article.pk}/edit/").content.decode()
    quiet_editor = client.get(f"/admin/pages/{quiet.pk}/edit/").content.decode()
    assert quiet_editor.count("/admin/bulletins/article/") == 0
    assert client.get(f"/admin/bulletins/article/{quiet.pk}/").status_code == 404
    assert client.get(f"/admin/bulletins/article/{culture.pk}/").status_code == 404


def test_the_preview_ends_an_email_with_the_readers_links_and_a_push_without():
    from outreach.bulletin_preview import PERSONAL_LINK, texts_preview

    bulletin = Bulletin(channels=["email", "sms", "push", "zalo"])
    text = BulletinText(
        language="vi", short="Bão số 3", title="Cảnh báo", body="Bão đổ bộ", link="https://x.vn/"
    )
    (preview,) = texts_preview(bulletin, [text])
    bodies = {carried.channel: carried.text for carried in preview.channels}
    assert bodies["push"] == "Bão đổ bộ\n\nhttps://x.vn/"
    assert bodies["email"].startswith("Bão đổ bộ\n\nhttps://x.vn/\n\n")
    assert bodies["email"].count(str(PERSONAL_LINK)) == 2
    assert bodies["sms"] == bodies["zalo"] == "Bão số 3"


def test_zalo_needs_a_link_and_a_text_without_its_own_leads_to_the_vietnamese_one(
    client, author, alert, ea_sup
):
    client.force_login(author)
    by_zalo = {**alert, "channels": ["zalo"], "text-vi-link": ""}
    refused = seen(client.post("/admin/bulletins/new/", by_zalo))
    assert "Tin Zalo mở một đường dẫn" in refused
    assert Bulletin.objects.count() == 0
    client.post("/admin/bulletins/new/", {**by_zalo, "text-vi-link": alert["text-vi-link"]})
    bulletin = Bulletin.objects.get()
    make_subscriber(
        1,
        province=ea_sup.parent,
        commune=ea_sup,
        language="km",
        channels=("zalo",),
        purposes=(Purpose.ALERTS,),
    )
    bulletin.state = BulletinState.SCHEDULED
    bulletin.save()
    assert bulletins.build_outbox(bulletin) == 1
    message = Message.objects.get()
    assert (message.language, message.link) == ("km", alert["text-vi-link"])
