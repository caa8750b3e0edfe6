"""A question and its answer published with the resident's agreement: as the office wrote it
for the public, never with the code, the text as sent or how to reach the resident."""

import pytest

from heritage.models import Place
from outreach import handling
from outreach.handling import HandlingRefused
from tests.outreach.test_handling import VIETNAMESE, ask, make_offices, make_staff

pytestmark = pytest.mark.usefixtures("home", "outbox_channels")
SENT = "Tôi là Hà, số 0911111111, thôn 3: khi nào có thẻ bảo hiểm y tế cho trẻ em?"
PUBLIC = "Khi nào có thẻ bảo hiểm y tế cho trẻ em?"


@pytest.fixture
def staff(dak_lak, ea_sup):
    return make_staff(make_offices(dak_lak, ea_sup))


def answered(dak_lak, staff, *, may_publish=True, by="health", **fields):
    submission = ask(dak_lak, text=SENT, may_publish=may_publish, **fields)
    handling.answer(submission, staff[by], text=VIETNAMESE, language="vi", vietnamese="")
    return submission


def test_an_answered_question_is_published_as_written_for_the_public(client, dak_lak, staff):
    submission = answered(dak_lak, staff)
    handling.publish(submission, staff["health"], f"  {PUBLIC}  ")
    listed = client.get("/vi/ask/answered/").content.decode()
    assert PUBLIC in listed
    page = client.get(f"/vi/ask/answered/{submission.pk}/")
    assert page.status_code == 200
    shown = page.content.decode()
    assert PUBLIC in shown and VIETNAMESE in shown and "Sở Y tế Đắk Lắk" in shown
    for secret in (SENT, "0911111111", submission.reference, submission.reference[:5]):
        assert secret not in shown and secret not in listed
    assert [e.kind for e in submission.events.all()][-1] == "published"
    handling.unpublish(submission, staff["health"])
    assert client.get(f"/vi/ask/answered/{submission.pk}/").status_code == 404
    assert PUBLIC not in client.get("/vi/ask/answered/").content.decode()


def test_only_an_answered_question_its_resident_let_publish_is_published(dak_lak, staff):
    refused = answered(dak_lak, staff, may_publish=False)
    with pytest.raises(HandlingRefused, match="không đồng ý"):
        handling.publish(refused, staff["health"], PUBLIC)
    waiting = ask(dak_lak, may_publish=True)
    with pytest.raises(HandlingRefused):
        handling.publish(waiting, staff["health"], PUBLIC)
    with pytest.raises(HandlingRefused):
        handling.publish(answered(dak_lak, staff), staff["health"], "   ")
    other_office = answered(dak_lak, staff)
    with pytest.raises(HandlingRefused):
        handling.publish(other_office, staff["commune"], PUBLIC)  # not theirs
    for submission in (refused, waiting, other_office):
        submission.refresh_from_db()
        assert submission.published_at is None


def test_the_list_filters_by_topic_and_province(client, dak_lak, staff):
    lam_dong = Place.objects.current().get(name="Lâm Đồng")
    for topic, province in (("health", dak_lak), ("health", dak_lak), ("health", lam_dong)):
        submission = answered(dak_lak, staff, province=province, topic=topic, by="coordinator")
        handling.publish(submission, staff["coordinator"], f"{PUBLIC} ({province.name})")

    def count(**query):
        return (
            client.get("/vi/ask/answered/", query)
            .content.decode()
            .count('<li>\n<h2><a href="/vi/ask/answered/')
        )

    assert count() == 3
    assert count(province=dak_lak.pk) == 2
    assert count(province=lam_dong.pk) == 1
    assert count(topic="market") == 0
    assert count(topic="health", province=lam_dong.pk) == 1
    assert client.get("/vi/ask/answered/", {"province": "x"}).status_code == 200  # ignored


def test_publishing_from_the_admin_page(client, dak_lak, staff):
    submission = answered(dak_lak, staff)
    client.force_login(staff["health"])
    page = client.get(f"/admin/questions/{submission.pk}/").content.decode()
    assert 'name="action" value="publish"' in page
    client.post(
        f"/admin/questions/{submission.pk}/",
        {"action": "publish", "publish-question": PUBLIC},
    )
    submission.refresh_from_db()
    assert (submission.public_question, submission.published_at is not None) == (PUBLIC, True)
    client.post(f"/admin/questions/{submission.pk}/", {"action": "unpublish"})
    submission.refresh_from_db()
    assert submission.published_at is None


def test_the_feeds_carry_the_published_answers_only(client, dak_lak, staff):
    published = answered(dak_lak, staff)
    handling.publish(published, staff["health"], PUBLIC)
    answered(dak_lak, staff)  # answered, not published
    rss = client.get("/km/ask/answered/rss.xml")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert body.count("<item>") == 1 and PUBLIC in body and "<dc:language>vi</dc:language>" in body
    assert f"/km/ask/answered/{published.pk}/" in body and SENT not in body
    atom = client.get("/vi/ask/answered/atom.xml").content.decode()
    assert atom.count("<entry") == 1 and 'xml:lang="vi"' in atom
