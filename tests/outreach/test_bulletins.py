"""Bulletins: who they reach, in which language, when, and with whose approval."""

import datetime
import re
import uuid

import pytest
from django.contrib.auth.models import User

from outreach import audience, bulletins, delivery
from outreach.models import (
    Bulletin,
    BulletinState,
    BulletinText,
    Channel,
    ConsentRecord,
    Message,
    MessageState,
    Purpose,
)
from outreach.tasks import send_bulletin
from tests.cms.factories import ArticlePageFactory
from tests.outreach.factories import make_subscriber

pytestmark = pytest.mark.usefixtures("outbox_channels")

KM_TITLE = "ការការពារជំងឺគ្រុនចាញ់"
KM_SUMMARY = "គេងក្នុងមុងរាល់យប់"


@pytest.fixture
def people(ea_sup):
    """Who follows what, where, in which language; each a distinct phone and address."""
    province = ea_sup.parent
    buon_don = ea_sup.parent.children.get(name="Buôn Đôn")
    return {
        "khmer reader in Ea Súp": make_subscriber(
            1, province=province, commune=ea_sup, language="km"
        ),
        "Vietnamese reader, whole province": make_subscriber(2, province=province),
        "Mông reader in Buôn Đôn": make_subscriber(
            3, province=province, commune=buon_don, language="hmn"
        ),
        "market only": make_subscriber(4, province=province, topics=("market",), language="km"),
        "alerts only": make_subscriber(5, province=province, purposes=(Purpose.ALERTS,)),
        "unconfirmed": make_subscriber(6, province=province, confirmed=False),
        "elsewhere": make_subscriber(
            7, province=province.__class__.objects.current().get(name="Lâm Đồng")
        ),
    }


def publish(page, capture):
    with capture(execute=True):
        page.save_revision().publish()


@pytest.fixture
def khmer_article(health):
    page = ArticlePageFactory(
        parent=health,
        title="Phòng chống sốt rét",
        slug="phong-chong-sot-ret",
        summary="Ngủ màn mỗi đêm",
        title_km=KM_TITLE,
        summary_km=KM_SUMMARY,
        body_km=[{"type": "paragraph", "value": "<p>មូសចម្លងជំងឺគ្រុនចាញ់</p>"}],
        live=False,
    )
    return page


def test_publishing_an_article_sends_each_follower_its_text_in_their_language(
    khmer_article, people, django_capture_on_commit_callbacks
):
    publish(khmer_article, django_capture_on_commit_callbacks)
    bulletin = Bulletin.objects.get()
    assert (bulletin.topic, bulletin.state, bulletin.audience) == ("health", BulletinState.SENT, 8)
    assert sorted(bulletin.texts.values_list("language", flat=True)) == ["km", "vi"]
    sent = {
        (message.contact.subscriber_id, message.channel): message
        for message in Message.objects.filter(bulletin=bulletin).select_related("contact")
    }
    assert all(message.state == MessageState.SENT for message in sent.values())
    khmer = people["khmer reader in Ea Súp"].pk
    sms = sent[(khmer, Channel.SMS)]
    assert sms.language == "km"
    assert sms.text.startswith(KM_TITLE + "\n")
    assert re.fullmatch(r"http://testserver/km/\S+/", sms.text.split("\n")[1])
    email = sent[(khmer, Channel.EMAIL)]
    assert (email.subject, email.language) == (KM_TITLE, "km")
    assert email.text.startswith(KM_SUMMARY)
    assert "/subscribe/" not in email.text  # the reader's own links are made when it is sent
    handed = delivery.outgoing(email, "http://testserver")
    assert handed.text.startswith(email.text + "\n\n")
    assert handed.unsubscribe_url.startswith("http://testserver/km/subscribe/unsubscribe/")
    assert handed.unsubscribe_url in handed.text and "/km/subscribe/manage/" in handed.text
    mong = sent[(people["Mông reader in Buôn Đôn"].pk, Channel.SMS)]
    assert mong.language == "vi" and mong.text.startswith(
        "Phòng chống sốt rét\nhttp://testserver/vi/"
    )
    reached = {subscriber for subscriber, _ in sent}
    assert reached == {
        people[name].pk
        for name in (
            "khmer reader in Ea Súp",
            "Vietnamese reader, whole province",
            "Mông reader in Buôn Đôn",
            "elsewhere",  # an article's bulletin goes to the topic's followers everywhere
        )
    }


def test_publishing_again_sends_nothing_more(
    khmer_article, people, django_capture_on_commit_callbacks
):
    publish(khmer_article, django_capture_on_commit_callbacks)
    publish(khmer_article, django_capture_on_commit_callbacks)
    assert Bulletin.objects.count() == 1
    assert Message.objects.count() == 8


def test_building_the_outbox_twice_adds_nothing(khmer_article, people):
    bulletin = bulletins.bulletin_from_article(khmer_article)
    bulletins.approve(bulletin, None)
    first = bulletins.build_outbox(bulletin)
    again = bulletins.build_outbox(bulletin)
    assert (first, again) == (8, 0)
    assert Message.objects.count() == 8


def test_the_outbox_written_range_by_range_is_the_outbox_written_at_once(
    khmer_article, people, settings
):
    def build(outbox_range):
        settings.BANLANG_OUTREACH = {**settings.BANLANG_OUTREACH, "OUTBOX_RANGE": outbox_range}
        bulletin = bulletins.bulletin_from_article(khmer_article)
        bulletins.approve(bulletin, None)
        added = bulletins.build_outbox(bulletin)
        rows = Message.objects.filter(bulletin=bulletin)
        return added, sorted(rows.values_list("contact", "channel", "language", "text"))

    at_once, written = build(1_000_000)
    by_twos, written_by_twos = build(2)
    assert (at_once, by_twos) == (8, 8)
    assert written_by_twos == written
    assert {text for *_, text in written if text.startswith(KM_SUMMARY)}  # a positive control
    keys = [uuid.UUID(str(key)) for key in Message.objects.values_list("key", flat=True)]
    assert len(set(keys)) == 16 and {key.version for key in keys} == {4}
    assert {key.variant for key in keys} == {uuid.RFC_4122}


def bulletin_for(places=(), communes=(), topic="health", channels=("sms", "email"), **fields):
    bulletin = Bulletin.objects.create(name="Tin", topic=topic, channels=list(channels), **fields)
    bulletin.provinces.set(places)
    bulletin.communes.set(communes)
    BulletinText.objects.create(bulletin=bulletin, language="vi", short="Tin", title="Tin")
    return bulletin


def test_the_audience_follows_place_topic_consent_and_confirmation(ea_sup, people):
    def reached(bulletin):
        contacts = audience.audience(bulletin)
        return sorted(
            {name for name, p in people.items() if contacts.filter(subscriber=p).exists()}
        )

    assert reached(bulletin_for(communes=[ea_sup])) == [
        "Vietnamese reader, whole province",
        "khmer reader in Ea Súp",
    ]
    assert reached(bulletin_for(places=[ea_sup.parent])) == [
        "Mông reader in Buôn Đôn",
        "Vietnamese reader, whole province",
        "khmer reader in Ea Súp",
    ]
    assert len(reached(bulletin_for())) == 4  # everywhere: "elsewhere" too
    assert reached(bulletin_for(topic="market")) == ["market only"]
    alert = bulletin_for(places=[ea_sup.parent], purpose=Purpose.ALERTS, topic="")
    assert reached(alert) == ["alerts only"]
    assert audience.audience_counts(bulletin_for(places=[ea_sup.parent], channels=["sms"])) == {
        "channel": {"sms": 3},
        "language": {"hmn": 1, "km": 1, "vi": 1},
    }


def test_a_withdrawn_purpose_leaves_the_audience(ea_sup, people):
    khmer = people["khmer reader in Ea Súp"]
    ConsentRecord.objects.filter(subscriber=khmer, channel="sms").update(
        withdrawn_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    )
    contacts = audience.audience(bulletin_for(communes=[ea_sup]))
    assert sorted(contacts.filter(subscriber=khmer).values_list("channel", flat=True)) == ["email"]


def test_a_large_audience_needs_a_second_person(
    ea_sup, people, settings, django_capture_on_commit_callbacks
):
    settings.BANLANG_OUTREACH = {**settings.BANLANG_OUTREACH, "APPROVAL_ABOVE": 2}
    author = User.objects.create_user("author")
    bulletin = bulletin_for(places=[ea_sup.parent], created_by=author)
    with pytest.raises(bulletins.SecondPersonNeeded):
        send_bulletin(bulletin, author)
    bulletin.refresh_from_db()
    assert (bulletin.state, bulletin.audience, Message.objects.count()) == (
        BulletinState.AWAITING_APPROVAL,
        6,
        0,
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_bulletin(bulletin, User.objects.create_user("approver"))
    bulletin.refresh_from_db()
    assert bulletin.state == BulletinState.SENT
    assert Message.objects.filter(state=MessageState.SENT).count() == 6


def test_an_sms_text_over_six_parts_is_refused_before_sending(ea_sup, people):
    bulletin = bulletin_for(places=[ea_sup.parent])
    bulletin.texts.update(short="ạ" * 403)
    with pytest.raises(bulletins.sms.TooLong):
        bulletins.approve(bulletin, None)
    assert Message.objects.count() == 0


VIETNAM = datetime.timezone(datetime.timedelta(hours=7))


@pytest.mark.parametrize(
    ("local", "channel", "urgent", "until"),
    [
        ((2026, 12, 6, 21, 59), "sms", False, None),
        ((2026, 12, 6, 22, 0), "sms", False, (2026, 12, 7, 7, 0)),
        ((2026, 12, 7, 3, 30), "zalo", False, (2026, 12, 7, 7, 0)),
        ((2026, 12, 7, 7, 0), "sms", False, None),
        ((2026, 12, 6, 23, 0), "email", False, None),
        ((2026, 12, 6, 23, 0), "sms", True, None),
    ],
)
@pytest.mark.quiet_hours
def test_sms_and_zalo_wait_for_morning_unless_urgent(local, channel, urgent, until):
    now = datetime.datetime(*local, tzinfo=VIETNAM)
    expected = datetime.datetime(*until, tzinfo=VIETNAM) if until else None
    assert bulletins.quiet_until(channel, urgent, now) == expected


def test_a_subscriber_at_the_days_cap_gets_no_more_unless_urgent(ea_sup, people):
    for number in range(3):
        bulletin = bulletin_for(communes=[ea_sup], channels=["sms"])
        bulletins.approve(bulletin, None)
        assert bulletins.build_outbox(bulletin) == 2, number
    fourth = bulletin_for(communes=[ea_sup], channels=["sms"])
    bulletins.approve(fourth, None)
    assert bulletins.build_outbox(fourth) == 0
    urgent = bulletin_for(communes=[ea_sup], channels=["sms"], urgent=True)
    bulletins.approve(urgent, None)
    assert bulletins.build_outbox(urgent) == 2


def test_the_count_and_the_sending_reach_the_same_contacts(ea_sup, people):
    bulletins_ = [
        bulletin_for(communes=[ea_sup]),
        bulletin_for(places=[ea_sup.parent]),
        bulletin_for(),
        bulletin_for(topic="market"),
        bulletin_for(places=[ea_sup.parent], purpose=Purpose.ALERTS, topic=""),
        bulletin_for(communes=[ea_sup], channels=["email"]),
    ]
    sizes = []
    for bulletin in bulletins_:
        sent_to = audience.audience(bulletin).count()
        counts = audience.audience_counts(bulletin)
        assert audience.audience_size(bulletin) == sent_to
        assert sum(counts["channel"].values()) == sum(counts["language"].values()) == sent_to
        sizes.append(sent_to)
    assert sizes == [4, 6, 8, 2, 2, 2]
