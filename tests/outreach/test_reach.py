"""Reach without tracking people: page views counted on the server per page, language and
day, bulletins, loudspeaker plays and questions counted in the database; nothing per person."""

import datetime
import sys
import threading
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.counting import BatchedCounter
from cms.models import ArticlePage, TranslationStatus
from heritage.models import Place
from outreach import feedback, page_views, reach, tasks
from outreach.models import (
    Bulletin,
    Channel,
    LoudspeakerCluster,
    Message,
    MessageState,
    Office,
    PageViews,
    PlayOutcome,
    PlayReport,
    Submission,
    SubmissionState,
)
from outreach.models.messages import MessageKind
from tests.cms.factories import ArticlePageFactory
from tests.outreach.factories import make_subscriber

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
PHONE = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
READER = {"HTTP_USER_AGENT": PHONE}


@pytest.fixture(autouse=True)
def counting(settings):
    """Hand-overs only when a test asks, and no count left over from another test (page ids
    repeat from one test's database to the next)."""
    settings.BANLANG_REACH = {**settings.BANLANG_REACH, "FLUSH_SECONDS": 3600, "FLUSH_KEYS": 1000}
    page_views.counter.take()
    yield
    page_views.counter.take()


def counted() -> set[tuple[int, str, datetime.date, int]]:
    return set(PageViews.objects.values_list("page_id", "language", "day", "views"))


def test_each_view_counts_once_per_page_language_and_day(client, article):
    today = timezone.localdate()
    for _ in range(3):
        assert client.get(article.url_in("vi"), **READER).status_code == 200
    for _ in range(2):
        assert client.get(article.url_in("km"), **READER).status_code == 200
    assert counted() == set()
    page_views.flush(force=True)
    assert counted() == {(article.pk, "vi", today, 3), (article.pk, "km", today, 2)}
    assert reach.page_views(today, today) == [
        reach.PageViewsRow(article.pk, article.title, "km", today, 2),
        reach.PageViewsRow(article.pk, article.title, "vi", today, 3),
    ]


def test_signed_in_staff_are_readers_too(client, article):
    client.force_login(User.objects.create_user("bien-tap-vien", is_staff=True))
    client.get(article.url_in("vi"), **READER)
    page_views.flush(force=True)
    assert counted() == {(article.pk, "vi", timezone.localdate(), 1)}


def bot(client, article):
    ua = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    return client.get(article.url_in("vi"), HTTP_USER_AGENT=ua)


def no_user_agent(client, article):
    return client.get(article.url_in("vi"))


def head(client, article):
    return client.head(article.url_in("vi"), **READER)


def missing(client, article):
    return client.get(f"{article.url_in('vi')}khong-co/", **READER)


def failing(client, article):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ArticlePage, "serve", lambda *args, **kwargs: HttpResponse(status=503))
        return client.get(article.url_in("vi"), **READER)


def prefetched(client, article):
    return client.get(article.url_in("vi"), HTTP_SEC_PURPOSE="prefetch;prerender", **READER)


def prefetched_the_old_way(client, article):
    return client.get(article.url_in("vi"), HTTP_PURPOSE="prefetch", **READER)


def editor(client) -> User:
    user = User.objects.create_superuser("bien-tap-vien")
    client.force_login(user)
    return user


def in_the_admin(client, article):
    editor(client)
    return client.get(f"/admin/pages/{article.pk}/edit/", **READER)


def draft_preview(client, article):
    editor(client)
    article.save_revision()
    return client.get(f"/admin/pages/{article.pk}/view_draft/", **READER)


def restricted(client, article):
    restricted = ArticlePageFactory(parent=article.get_parent(), title="Chỉ cho cán bộ")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    editor(client)
    return client.get(restricted.url_in("vi"), **READER)


def password_form(client, article):
    restricted = ArticlePageFactory(parent=article.get_parent(), title="Có mật khẩu")
    PageViewRestriction.objects.create(page=restricted, restriction_type="password", password="x")
    return client.get(restricted.url_in("vi"), **READER)


@pytest.mark.parametrize(
    "request_not_counted",
    [
        bot,
        no_user_agent,
        head,
        missing,
        failing,
        prefetched,
        prefetched_the_old_way,
        in_the_admin,
        draft_preview,
        restricted,
        password_form,
    ],
)
def test_what_is_not_a_reader_reading_a_public_page_is_not_counted(
    client, article, request_not_counted
):
    response = request_not_counted(client, article)
    assert response.status_code in (200, 302, 404, 503)
    client.logout()
    assert client.get(article.url_in("vi"), **READER).status_code == 200
    page_views.flush(force=True)
    assert counted() == {(article.pk, "vi", timezone.localdate(), 1)}


def test_counting_sets_no_cookie(client, article, settings):
    counting_cookies = client.get(article.url_in("km"), **READER).cookies
    assert page_views.counter.pending() == 1
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if name != "outreach.page_views.PageViewMiddleware"
    ]
    plain_cookies = Client().get(article.url_in("km"), **READER).cookies
    assert page_views.counter.pending() == 1
    assert dict(counting_cookies) == dict(plain_cookies) == {}


def database_text() -> str:
    """Every row of every table, as text, whichever the database."""
    lines = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            lines.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(lines)


def test_neither_address_nor_browser_is_stored(client, article):
    client.get(
        article.url_in("vi"),
        HTTP_USER_AGENT=f"{PHONE} ReachMarker/7.3",
        REMOTE_ADDR="203.0.113.77",
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    page_views.flush(force=True)
    assert counted() == {(article.pk, "vi", timezone.localdate(), 1)}
    dump = database_text()
    assert article.title in dump  # the dump holds what is stored (positive control)
    for trace in ("ReachMarker", "203.0.113.77", "198.51.100.23"):
        assert trace not in dump
    assert {field.name for field in PageViews._meta.get_fields()} == {
        "id",
        "page",
        "language",
        "day",
        "views",
    }


def test_a_batch_is_handed_over_when_it_holds_flush_keys_counts(client, article, settings):
    settings.BANLANG_REACH = {**settings.BANLANG_REACH, "FLUSH_KEYS": 2}
    today = timezone.localdate()
    client.get(article.url_in("vi"), **READER)
    client.get(article.url_in("vi"), **READER)
    assert counted() == set()
    client.get(article.url_in("km"), **READER)
    assert counted() == {(article.pk, "vi", today, 2), (article.pk, "km", today, 1)}
    client.get(article.url_in("vi"), **READER)
    assert page_views.counter.pending() == 1
    page_views.flush(force=True)
    assert counted() == {(article.pk, "vi", today, 3), (article.pk, "km", today, 1)}


def test_a_batch_is_handed_over_once_flush_seconds_have_passed(client, article, settings):
    settings.BANLANG_REACH = {**settings.BANLANG_REACH, "FLUSH_SECONDS": 0}
    client.get(article.url_in("vi"), **READER)
    assert counted() == {(article.pk, "vi", timezone.localdate(), 1)}


def test_flush_without_force_waits_for_its_time(client, article):
    client.get(article.url_in("vi"), **READER)
    page_views.flush()
    assert counted() == set()
    assert page_views.counter.pending() == 1


@pytest.fixture
def thread_switches_often():
    """Switch threads every microsecond, so a race shows within a test's time."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def test_counting_from_many_threads_loses_nothing(settings, thread_switches_often):
    settings.BANLANG_REACH = {**settings.BANLANG_REACH, "FLUSH_KEYS": 7}
    batches: list[list[list]] = []
    counter = BatchedCounter(hand_over=lambda counted: batches.append(page_views.as_batch(counted)))
    day = datetime.date(2026, 11, 2)
    languages = ("vi", "km", "hmn", "rad")

    def read(thread: int) -> None:
        for view in range(6000):
            counter.count((view % 5, languages[(view + thread) % 4], day))

    threads = [threading.Thread(target=read, args=(thread,)) for thread in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counter.flush(force=True)
    totals: Counter = Counter()
    for batch in batches:
        for page_id, language, day_text, views in batch:
            assert day_text == "2026-11-02"
            totals[page_id, language] += views
    assert len(batches) > 100
    assert sum(totals.values()) == 8 * 6000
    assert totals == Counter(
        {(page, language): 2400 for page in range(5) for language in languages}
    )


def test_writing_adds_to_the_days_count(article, health):
    day = "2026-11-02"
    batch = [[article.pk, "vi", day, 3], [health.pk, "km", day, 1]]
    assert tasks.write_page_views.enqueue(batch).return_value == 4
    assert tasks.write_page_views.enqueue(batch).return_value == 4
    page_views.write([[article.pk, "vi", "2026-11-03", 5], [article.pk, "vi", day, 1]])
    assert counted() == {
        (article.pk, "vi", datetime.date(2026, 11, 2), 7),
        (health.pk, "km", datetime.date(2026, 11, 2), 2),
        (article.pk, "vi", datetime.date(2026, 11, 3), 5),
    }


def test_a_page_deleted_before_its_views_are_written_is_skipped(article, health):
    gone = ArticlePageFactory(parent=health)
    gone_pk = gone.pk
    gone.delete()
    batch = [[gone_pk, "vi", "2026-11-02", 4], [article.pk, "vi", "2026-11-02", 2]]
    assert tasks.write_page_views.enqueue(batch).return_value == 2
    assert counted() == {(article.pk, "vi", datetime.date(2026, 11, 2), 2)}


def test_writing_many_counts_in_chunks(home, health):
    pages = [ArticlePageFactory(parent=health) for _ in range(3)]
    day = datetime.date(2026, 11, 2)
    batch = [
        [page.pk, language, (day + datetime.timedelta(days=offset)).isoformat(), 1]
        for page in pages
        for language in ("vi", "km", "hmn", "rad", "jra")
        for offset in range(80)
    ]
    assert page_views.write(batch) == 1200
    assert PageViews.objects.count() == 1200


def test_page_views_are_read_per_page_language_and_day_within_the_dates(article, health):
    first, second = datetime.date(2026, 11, 1), datetime.date(2026, 11, 2)
    PageViews.objects.bulk_create(
        [
            PageViews(page=article, language="vi", day=first, views=12),
            PageViews(page=article, language="km", day=first, views=3),
            PageViews(page=health, language="vi", day=second, views=40),
            PageViews(page=article, language="vi", day=datetime.date(2026, 11, 3), views=9),
            PageViews(page=article, language="vi", day=datetime.date(2026, 10, 31), views=9),
        ]
    )
    assert reach.page_views(first, second) == [
        reach.PageViewsRow(article.pk, article.title, "km", first, 3),
        reach.PageViewsRow(article.pk, article.title, "vi", first, 12),
        reach.PageViewsRow(health.pk, health.title, "vi", second, 40),
    ]


def message(bulletin, subscriber, channel, state, *, language="vi", sent=True, **fields):
    contact = subscriber.contacts.get(channel=channel) if subscriber else None
    return Message.objects.create(
        bulletin=bulletin,
        contact=contact,
        channel=channel,
        kind=fields.pop("kind", MessageKind.BULLETIN),
        language=language,
        text="Tin khẩn",
        state=state,
        sent_at=timezone.now() if sent else None,
        **fields,
    )


def test_bulletins_are_counted_per_channel_language_and_province(dak_lak):
    lam_dong = Place.objects.current().get(name="Lâm Đồng")
    bulletin = Bulletin.objects.create(name="Bão số 3")
    people = [make_subscriber(n, province=dak_lak, language="rad") for n in range(3)]
    other = make_subscriber(9, province=lam_dong, language="vi")
    message(bulletin, people[0], Channel.SMS, MessageState.DELIVERED, language="rad")
    message(bulletin, people[1], Channel.SMS, MessageState.SENT, language="rad")
    message(bulletin, people[2], Channel.SMS, MessageState.FAILED, language="rad", sent=False)
    message(bulletin, people[0], Channel.EMAIL, MessageState.EXPIRED, language="rad")
    message(bulletin, other, Channel.SMS, MessageState.DELIVERED)
    message(bulletin, other, Channel.EMAIL, MessageState.QUEUED, sent=False)
    erased = message(bulletin, people[1], Channel.EMAIL, MessageState.DELIVERED, language="rad")
    Message.objects.filter(pk=erased.pk).update(contact=None)
    message(None, people[2], Channel.EMAIL, MessageState.DELIVERED, kind=MessageKind.DIGEST)
    old = message(bulletin, people[2], Channel.EMAIL, MessageState.DELIVERED, language="rad")
    Message.objects.filter(pk=old.pk).update(
        created_at=datetime.datetime(2026, 10, 31, 23, tzinfo=VIETNAM)
    )
    day = timezone.localdate()
    rows = reach.bulletin_reach(datetime.date(2026, 11, 1), day)
    assert rows == [
        reach.BulletinReachRow("email", "rad", None, "", sent=1, delivered=1, failed=0),
        reach.BulletinReachRow("email", "rad", dak_lak.pk, "Đắk Lắk", 1, 0, 1),
        reach.BulletinReachRow("email", "vi", lam_dong.pk, "Lâm Đồng", 0, 0, 0),
        reach.BulletinReachRow("sms", "rad", dak_lak.pk, "Đắk Lắk", 2, 1, 1),
        reach.BulletinReachRow("sms", "vi", lam_dong.pk, "Lâm Đồng", 1, 1, 0),
    ]


def test_loudspeaker_plays_count_for_each_commune_of_the_cluster_on_its_local_day(ea_sup):
    buon_don = Place.objects.get(name="Buôn Đôn")
    lac_duong = Place.objects.get(name="Lạc Dương")
    both = LoudspeakerCluster.objects.create(name="Ea Súp – Buôn Đôn")
    both.communes.set([ea_sup, buon_don])
    alone = LoudspeakerCluster.objects.create(name="Lạc Dương")
    alone.communes.set([lac_duong])

    def played(cluster, *when, outcome=PlayOutcome.PLAYED, audio="a"):
        PlayReport.objects.create(
            cluster=cluster,
            sha256=audio * 64,
            started_at=datetime.datetime(*when, tzinfo=VIETNAM),
            outcome=outcome,
        )

    played(both, 2026, 11, 2, 6)
    played(both, 2026, 11, 2, 23, 30)  # 16:30 UTC: still the 2nd in Vietnam
    played(both, 2026, 11, 3, 0, 30)  # 17:30 UTC on the 2nd: the 3rd in Vietnam
    played(both, 2026, 11, 3, 17, outcome=PlayOutcome.INTERRUPTED)
    played(both, 2026, 11, 3, 17, outcome=PlayOutcome.FAILED, audio="b")
    played(alone, 2026, 11, 3, 6)
    played(alone, 2026, 11, 4, 6)  # after the dates asked for
    played(alone, 2026, 11, 1, 23, 59)  # before
    rows = reach.loudspeaker_plays(datetime.date(2026, 11, 2), datetime.date(2026, 11, 3))
    second, third = datetime.date(2026, 11, 2), datetime.date(2026, 11, 3)
    assert rows == [
        reach.LoudspeakerPlaysRow(buon_don.pk, "Buôn Đôn", second, 2),
        reach.LoudspeakerPlaysRow(buon_don.pk, "Buôn Đôn", third, 1),
        reach.LoudspeakerPlaysRow(ea_sup.pk, "Ea Súp", second, 2),
        reach.LoudspeakerPlaysRow(ea_sup.pk, "Ea Súp", third, 1),
        reach.LoudspeakerPlaysRow(lac_duong.pk, "Lạc Dương", third, 1),
    ]


def test_questions_are_counted_per_office_received_and_answered_within_the_dates(db):
    health = Office.objects.create(name="Sở Y tế Đắk Lắk")
    farming = Office.objects.create(name="Phòng Nông nghiệp Ea Súp")

    def asked(office, received, answered=None):
        submission = feedback.receive(
            feedback.Received(kind="question", text="Câu hỏi", language="vi", came_by="web")
        )
        fields = {
            "office": office,
            "received_at": datetime.datetime(*received, 10, tzinfo=VIETNAM),
            "state": SubmissionState.ASSIGNED,
        }
        if answered:
            fields["answered_at"] = datetime.datetime(*answered, 10, tzinfo=VIETNAM)
            fields["state"] = SubmissionState.ANSWERED
        Submission.objects.filter(pk=submission.pk).update(**fields)

    asked(health, (2026, 11, 2), (2026, 11, 5))
    asked(health, (2026, 11, 3))
    asked(health, (2026, 10, 20), (2026, 11, 1))  # answered within, received before
    asked(health, (2026, 11, 20), (2026, 12, 2))  # received within, answered after
    asked(farming, (2026, 11, 30))
    asked(farming, (2026, 10, 1), (2026, 10, 30))  # neither within
    asked(None, (2026, 11, 4))  # in triage
    rows = reach.questions(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    assert rows == [
        reach.QuestionsRow(None, "", received=1, answered=0),
        reach.QuestionsRow(farming.pk, "Phòng Nông nghiệp Ea Súp", 1, 0),
        reach.QuestionsRow(health.pk, "Sở Y tế Đắk Lắk", 3, 2),
    ]


def test_the_translation_dashboard_learns_the_reads_of_the_last_thirty_days(
    client, article, health
):
    other = ArticlePageFactory(parent=health, title="Giá lúa", slug="gia-lua")
    today = timezone.localdate()
    old = today - datetime.timedelta(days=30)
    page_views.write(
        [[article.pk, "vi", today.isoformat(), 4], [article.pk, "km", today.isoformat(), 3]]
    )
    page_views.write(
        [[other.pk, "vi", old.isoformat(), 50], [other.pk, "vi", today.isoformat(), 2]]
    )

    assert page_views.refresh_reads(today) == 2
    reads = dict(TranslationStatus.objects.filter(language="jra").values_list("object_id", "reads"))
    assert reads[str(article.pk)] == 7
    assert reads[str(other.pk)] == 2  # the 50 of 30 days ago are past
    assert page_views.refresh_reads(today + datetime.timedelta(days=30)) == 0
    assert set(TranslationStatus.objects.values_list("reads", flat=True)) == {0}
