"""Digests for agency staff: the new articles of their topics, in their language where there
is one, once per period, and nothing for anyone else."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cms.topics import Topic
from outreach import delivery, digests
from outreach.models import Channel, Digest, Message, Subscriber
from outreach.models.messages import MessageKind
from tests.cms.factories import ArticlePageFactory, TopicIndexPageFactory
from tests.outreach.factories import make_subscriber

pytestmark = pytest.mark.usefixtures("outbox_channels")

KM_TITLE = "ការពារជំងឺគ្រុនចាញ់"


@pytest.fixture
def articles(home, health):
    """Two new health articles (one in Khmer too), a new market one, and an old health one."""
    market = TopicIndexPageFactory(
        parent=home, topic=Topic.MARKET, title="Thị trường", slug="thi-truong",
        title_en="Market", slug_en="market",
    )  # fmt: skip
    now = timezone.now()
    made = {
        "malaria": ArticlePageFactory(
            parent=health, title="Phòng chống sốt rét", slug="sot-ret", title_km=KM_TITLE,
            summary_km="ដេកក្នុងមុង",
            body_km=[{"type": "paragraph", "value": "<p>ដេកក្នុងមុងរាល់យប់</p>"}],
        ),
        "vaccines": ArticlePageFactory(parent=health, title="Tiêm chủng mở rộng", slug="tiem"),
        "coffee": ArticlePageFactory(parent=market, title="Giá cà phê tăng", slug="ca-phe"),
        "old": ArticlePageFactory(parent=health, title="Tin cũ", slug="tin-cu"),
    }  # fmt: skip
    for name, hours in (("malaria", 3), ("vaccines", 2), ("coffee", 1), ("old", 30)):
        made[name].first_published_at = now - datetime.timedelta(hours=hours)
        made[name].save()
    return made


def staff(number, province, agency="Sở Y tế Đắk Lắk", **fields):
    subscriber = make_subscriber(number, province=province, **fields)
    Subscriber.objects.filter(pk=subscriber.pk).update(agency=agency)
    return subscriber


def test_agency_staff_get_their_topics_new_articles_in_their_language(articles, dak_lak):
    khmer = staff(1, dak_lak, language="km")
    staff(2, dak_lak, topics=("market", "health"))
    staff(3, dak_lak, topics=("education",))  # nothing new in education
    make_subscriber(4, province=dak_lak)  # a resident, not agency staff
    digest = digests.build_digest()
    messages = Message.objects.filter(digest=digest)
    assert messages.count() == 2
    assert set(messages.values_list("channel", "kind")) == {(Channel.EMAIL, MessageKind.DIGEST)}
    to_khmer = messages.get(contact__subscriber=khmer)
    lines = to_khmer.text.splitlines()
    assert f"- {KM_TITLE}" in lines
    assert "- Tiêm chủng mở rộng (bằng tiếng Việt)" in lines  # no Khmer text: the Vietnamese
    assert "Giá cà phê" not in to_khmer.text and "Tin cũ" not in to_khmer.text
    sent_text = delivery.outgoing(to_khmer, "http://testserver").text
    assert sent_text.startswith(to_khmer.text + "\n\n")
    assert "http://testserver/km/subscribe/unsubscribe/" in sent_text
    both = messages.exclude(pk=to_khmer.pk).get()
    titles = [line for line in both.text.splitlines() if line.startswith("- ")]
    assert titles == ["- Phòng chống sốt rét", "- Tiêm chủng mở rộng", "- Giá cà phê tăng"]
    assert both.subject.startswith("Tin mới trên Bản Làng: ")


def test_a_period_is_digested_once_and_the_next_starts_where_it_ended(articles, dak_lak):
    staff(1, dak_lak)
    end = timezone.now()
    first = digests.build_digest(end)
    assert digests.build_digest(end) is None
    assert Digest.objects.count() == 1 and first.messages.count() == 1
    later = digests.build_digest(end + datetime.timedelta(hours=1))
    assert later.period_start == end
    assert later.messages.count() == 0  # nothing published since


def test_the_daily_command_sends_the_digest(articles, dak_lak, django_capture_on_commit_callbacks):
    staff(1, dak_lak)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("outreach_digest", stdout=io.StringIO())
    (message,) = Message.objects.filter(kind=MessageKind.DIGEST)
    assert (message.state, message.provider_id) == ("sent", f"outbox:{message.key}")
