"""Who may see what of outreach: the outbox and the paper form in the admin, a subscriber's own
pages, and the pages that find a subscription.

Each surface is asked by every kind of user, with a positive control: the one who may see it
does, so a surface that shows nothing to anyone cannot pass.
"""

import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import signing
from wagtail.models import GroupPagePermission

from outreach.links import manage_token
from outreach.models import Bulletin, BulletinText, Channel, Message
from outreach.models.messages import MessageKind
from outreach.paper_form_admin import PAPER_SALT
from tests.cms.factories import ArticlePageFactory
from tests.outreach.factories import make_subscriber
from tests.outreach.test_subscribing import E164, EMAIL, confirmed_subscriber

pytestmark = pytest.mark.usefixtures("home")

WHO = ["anonymous", "reader", "editor", "outreach officer", "superuser"]


OFFICERS_MAY = [
    "view_message",
    "view_bulletin",
    "add_bulletin",
    "change_bulletin",
    "add_subscriber",
]


@pytest.fixture
def users(home):
    admin_access = Permission.objects.get(codename="access_admin")
    editors = Group.objects.create(name="Editors (test)")
    editors.permissions.add(admin_access)
    GroupPagePermission.objects.create(group=editors, page=home, permission_type="change")
    officers = Group.objects.create(name="Outreach officers (test)")
    officers.permissions.add(admin_access, *Permission.objects.filter(codename__in=OFFICERS_MAY))
    found = {"anonymous": None, "reader": User.objects.create_user("reader", password="x")}
    found["editor"] = User.objects.create_user("editor", password="x")
    found["editor"].groups.add(editors)
    found["outreach officer"] = User.objects.create_user("officer", password="x")
    found["outreach officer"].groups.add(officers)
    found["superuser"] = User.objects.create_superuser("root", password="x")
    return found


@pytest.fixture
def outbox(ea_sup):
    subscriber = confirmed_subscriber(ea_sup)
    sms = subscriber.contacts.get(channel=Channel.SMS)
    Message.objects.create(
        contact=sms, channel="sms", kind=MessageKind.BULLETIN, language="km", text="Tin sức khỏe"
    )
    return subscriber


@pytest.mark.parametrize("who", WHO)
def test_only_who_may_read_the_outbox_sees_it_and_never_a_whole_number(client, users, outbox, who):
    if users[who]:
        client.force_login(users[who])
    response = client.get("/admin/outbox/")
    if who in ("outreach officer", "superuser"):
        assert response.status_code == 200
        html = response.content.decode()
        assert "Tin sức khỏe" in html and "…5678" in html
        assert E164 not in html and "912345678" not in html
        assert "km" not in html.split("<table", 1)[1]  # no language beside a message
    elif who == "editor":
        # Wagtail's answer to an editor without the permission: back to the dashboard.
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("who", WHO)
def test_only_who_may_add_subscribers_enters_a_paper_form(client, users, ea_sup, who):
    if users[who]:
        client.force_login(users[who])
    response = client.get(f"/admin/outreach/paper-form/?province={ea_sup.parent.pk}")
    if who in ("outreach officer", "superuser"):
        assert response.status_code == 200
        assert 'name="reference"' in response.content.decode()
    elif who == "editor":
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("who", WHO)
def test_the_pages_that_find_a_subscription_answer_everyone_alike_and_show_no_one(
    client, users, outbox, who
):
    if users[who]:
        client.force_login(users[who])
    for url in ("/vi/subscribe/find/", "/vi/subscribe/find/sent/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert E164 not in response.content.decode() and EMAIL not in response.content.decode()


@pytest.mark.parametrize("who", WHO)
def test_a_subscribers_page_answers_its_token_and_nothing_else(client, users, outbox, who):
    if users[who]:
        client.force_login(users[who])
    token = manage_token(outbox)
    page = client.get(f"/vi/subscribe/manage/{token}/")
    assert page.status_code == 200 and E164 in page.content.decode()
    for forged in (
        signing.dumps(str(outbox.public_id)),  # signed, but not for this purpose
        signing.dumps(str(outbox.public_id), salt="outreach.pending"),
        ("A" if token[0] != "A" else "B") + token[1:],
    ):
        for suffix in ("", "export.json", "erase/"):
            response = client.get(f"/vi/subscribe/manage/{forged}/{suffix}")
            assert response.status_code == 404, (forged, suffix)
            assert EMAIL not in response.content.decode()


def token_urls(subscriber):
    """Every page reached by a token, with the token genuine."""
    from outreach.links import unsubscribe_token
    from outreach.subscriptions import CONFIRM_SALT, find_token
    from outreach.views import PENDING_SALT

    email = subscriber.contacts.get(channel=Channel.EMAIL)
    manage = manage_token(subscriber)
    pending = signing.dumps(str(subscriber.public_id), salt=PENDING_SALT)
    return {
        "waiting": f"/vi/subscribe/waiting/{pending}/",
        "confirm": f"/vi/subscribe/confirm/{signing.dumps(email.pk, salt=CONFIRM_SALT)}/",
        "manage": f"/vi/subscribe/manage/{manage}/",
        "export": f"/vi/subscribe/manage/{manage}/export.json",
        "erase": f"/vi/subscribe/manage/{manage}/erase/",
        "unsubscribe": f"/vi/subscribe/unsubscribe/{unsubscribe_token(email)}/",
        "find, code": f"/vi/subscribe/find/{find_token(E164)}/",
    }


def forged(url):
    """``url`` with its token (the longest path segment) changed in its first character: the
    signed value, never the signature's last character, whose low bits base64 ignores."""
    segments = url.split("/")
    token = max(segments, key=len)
    changed = ("A" if token[0] != "A" else "B") + token[1:]
    return "/".join(changed if segment == token else segment for segment in segments)


HEADERS_COMPARED = ("Content-Type", "Cache-Control", "Content-Language", "Vary")


@pytest.mark.parametrize("who", WHO)
def test_every_token_page_answers_a_forged_token_exactly_like_a_missing_page(
    client, users, outbox, who
):
    if users[who]:
        client.force_login(users[who])
    missing = client.get("/vi/subscribe/khong-co-trang-nay/")
    assert missing.status_code == 404
    for name, url in token_urls(outbox).items():
        assert client.get(url).status_code == 200, name  # the positive control
        answer = client.get(forged(url))
        assert answer.status_code == 404, name
        assert {h: answer.get(h) for h in HEADERS_COMPARED} == {
            h: missing.get(h) for h in HEADERS_COMPARED
        }, name
        assert E164 not in answer.content.decode() and EMAIL not in answer.content.decode()


def refused_like_the_bulletins(response, who):
    """Wagtail's answers to those who may not: the login page, or back to the dashboard."""
    if who in ("editor", "outreach officer"):
        return (response.status_code, response["Location"]) == (302, "/admin/")
    return response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("who", WHO)
def test_only_who_may_write_bulletins_writes_them(client, users, who):
    draft = Bulletin.objects.create(name="Bão số 9", channels=["sms"])
    BulletinText.objects.create(bulletin=draft, language="vi", short="Bão số 9", title="Bão")
    if users[who]:
        client.force_login(users[who])
    may = who in ("outreach officer", "superuser")
    for url in ("/admin/bulletins/new/", f"/admin/bulletins/{draft.pk}/edit/"):
        response = client.get(url)
        if may:
            assert response.status_code == 200, url
            assert 'name="text-vi-short"' in response.content.decode()
        else:
            assert refused_like_the_bulletins(response, who), url
            assert "Bão số 9" not in response.content.decode()
        posted = {"name": "Lũ quét", "purpose": "alerts", "channels": ["sms"]}
        posted |= {"text-vi-short": "Lũ quét", "text-vi-title": "Lũ quét"}
        response = client.post(url, posted)
        assert response.status_code == 302
        assert (response["Location"].startswith("/admin/bulletins/")) is may, url
    assert Bulletin.objects.filter(name="Lũ quét").count() == (2 if may else 0)


@pytest.mark.parametrize("who", WHO)
def test_only_who_may_edit_an_article_sees_its_bulletin_before_publishing(
    client, users, health, who
):
    article = ArticlePageFactory(parent=health, title="Tiêm chủng mở rộng", slug="tiem-chung")
    if users[who]:
        client.force_login(users[who])
    response = client.get(f"/admin/bulletins/article/{article.pk}/")
    if who in ("editor", "superuser"):
        assert response.status_code == 200
        assert "Tiêm chủng mở rộng" in response.content.decode()
    elif who == "outreach officer":  # officers write bulletins, not articles
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert Bulletin.objects.count() == 0


@pytest.mark.parametrize("who", WHO)
def test_only_who_may_add_subscribers_sees_a_paper_form_just_entered(client, users, ea_sup, who):
    subscriber = make_subscriber(7, province=ea_sup.parent, confirmed=False)
    token = signing.dumps(str(subscriber.public_id), salt=PAPER_SALT)
    nobody = signing.dumps("00000000-0000-0000-0000-000000000000", salt=PAPER_SALT)
    if users[who]:
        client.force_login(users[who])
    genuine = client.get(f"/admin/outreach/paper-form/{token}/")
    missing = client.get(f"/admin/outreach/paper-form/{nobody}/")
    forged = client.get(f"/admin/outreach/paper-form/{token[:-8]}AAAAAAAA/")
    if who in ("outreach officer", "superuser"):
        assert genuine.status_code == 200  # the positive control
        assert "+8491" not in genuine.content.decode()  # the number only by its last digits
        assert missing.status_code == forged.status_code == 404
        assert {name: missing.get(name) for name in ("Content-Type", "Cache-Control")} == {
            name: forged.get(name) for name in ("Content-Type", "Cache-Control")
        }
    elif who == "editor":
        for response in (genuine, missing, forged):
            assert (response.status_code, response["Location"]) == (302, "/admin/")
    else:
        for response in (genuine, missing, forged):
            assert response.status_code == 302
            assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("who", WHO)
def test_a_submissions_page_answers_its_code_alike_for_all_and_a_wrong_one_like_a_missing_page(
    client, users, dak_lak, who
):
    from outreach import feedback

    submission = feedback.receive(
        feedback.Received(
            kind="question",
            text="Khi nào có thẻ bảo hiểm y tế?",
            language="vi",
            came_by="web",
            province=dak_lak,
            answer_channel="sms",
            answer_to=E164,
            consent_text="Tôi đồng ý",
        )
    )
    if users[who]:
        client.force_login(users[who])
    code = feedback.shown(submission.reference)
    page = client.get(f"/vi/ask/{code}/")
    assert page.status_code == 200 and code in page.content.decode()  # the positive control
    assert E164 not in page.content.decode()
    missing = client.get("/vi/subscribe/khong-co-trang-nay/")
    other = "B" if code[0] != "B" else "C"
    for wrong in (other + code[1:], "ABCDE-23456", code[:-1]):
        answer = client.get(f"/vi/ask/{wrong}/")
        assert answer.status_code == 404, wrong
        assert {h: answer.get(h) for h in HEADERS_COMPARED} == {
            h: missing.get(h) for h in HEADERS_COMPARED
        }, wrong
    for url in ("/vi/ask/", f"/vi/ask/?province={dak_lak.pk}", "/vi/ask/code/"):
        shown = client.get(url)
        assert shown.status_code == 200, url
        assert code not in shown.content.decode() and E164 not in shown.content.decode()


@pytest.mark.parametrize("who", WHO)
def test_only_who_may_change_offices_and_routing_sees_them(client, users, dak_lak, who):
    from outreach.models import Office, RoutingRule

    office = Office.objects.create(name="Sở Y tế Đắk Lắk", place=dak_lak)
    RoutingRule.objects.create(topic="health", place=dak_lak, office=office)
    if users[who]:
        client.force_login(users[who])
    for url in ("/admin/snippets/outreach/office/", "/admin/snippets/outreach/routingrule/"):
        answer = client.get(url)
        if who == "superuser":
            assert answer.status_code == 200, url  # the positive control
            assert "Sở Y tế Đắk Lắk" in answer.content.decode()
        else:
            assert refused_like_the_bulletins(answer, who), url


QUESTION_HANDLERS = [*WHO, "office member", "coordinator"]


@pytest.fixture
def question_handlers(users, dak_lak, ea_sup):
    """The matrix's people, with a member of Đắk Lắk's health department and a coordinator;
    a question of the department's and one of Ea Súp's commune office, each with the
    resident's number."""
    from tests.outreach.test_handling import ask, make_offices, make_staff

    staff = make_staff(make_offices(dak_lak, ea_sup))
    people = {**users, "office member": staff["health"], "coordinator": staff["coordinator"]}
    questions = {
        "department's": ask(dak_lak, answer_to="+84911111111"),
        "commune's": ask(dak_lak, commune=ea_sup, answer_to="+84922222222"),
    }
    return people, questions


@pytest.mark.parametrize("who", QUESTION_HANDLERS)
def test_each_user_sees_of_residents_questions_only_what_they_may_and_others_a_missing_page(
    client, question_handlers, who
):
    from outreach.feedback import shown

    people, questions = question_handlers
    if people[who]:
        client.force_login(people[who])
    listed = client.get("/admin/questions/")
    missing = client.get("/admin/questions/999999/")
    pages = {name: client.get(f"/admin/questions/{q.pk}/") for name, q in questions.items()}
    numbers = {"department's": "+84911111111", "commune's": "+84922222222"}
    may_see = {
        "office member": {"department's"},
        "coordinator": {"department's", "commune's"},
        "superuser": {"department's", "commune's"},
    }.get(who, set())
    may_reach = {"office member": {"department's"}, "superuser": {"department's", "commune's"}}
    if who in ("anonymous", "reader"):
        for response in (listed, missing, *pages.values()):
            assert response.status_code == 302
            assert response["Location"].startswith("/admin/login/")
        return
    assert missing.status_code == 404
    if not may_see:  # the editor and the outreach officer: no queue, no question
        assert (listed.status_code, listed["Location"]) == (302, "/admin/")
    else:
        assert listed.status_code == 200  # the positive control
        html = listed.content.decode()
        for name, question in questions.items():
            assert (shown(question.reference) in html) is (name in may_see), name
        assert not any(number in html for number in numbers.values())
    for name, page in pages.items():
        if name in may_see:
            assert page.status_code == 200, name  # the positive control
            html = page.content.decode()
            assert shown(questions[name].reference) in html
            assert (numbers[name] in html) is (name in may_reach.get(who, set())), name
            others = [number for other, number in numbers.items() if other != name]
            assert not any(number in html for number in others), name
        else:
            assert page.status_code == 404, name
            assert {h: page.get(h) for h in HEADERS_COMPARED} == {
                h: missing.get(h) for h in HEADERS_COMPARED
            }, name
            assert page.content == missing.content, name


@pytest.mark.parametrize("who", QUESTION_HANDLERS)
def test_the_offices_figures_count_only_what_each_may_see(client, question_handlers, who):
    people, _questions = question_handlers
    if people[who]:
        client.force_login(people[who])
    answer = client.get("/admin/questions/report/")
    received = re.findall(
        r"<tr><td>[^<]*</td><td>([^<]*)</td>(?:<td[^>]*>[^<]*</td>){2}<td>(\d+)</td>",
        answer.content.decode(),
    )
    if who in ("anonymous", "reader"):
        assert answer.status_code == 302 and answer["Location"].startswith("/admin/login/")
    elif who in ("editor", "outreach officer"):
        assert (answer.status_code, answer["Location"]) == (302, "/admin/")
    elif who == "office member":
        assert received == [("Sở Y tế Đắk Lắk", "1")]  # the positive control: its own only
    else:
        assert sorted(received) == [("Sở Y tế Đắk Lắk", "1"), ("UBND xã Ea Súp", "1")]
    assert "+8491" not in answer.content.decode() and "+8492" not in answer.content.decode()


@pytest.mark.parametrize("who", WHO)
def test_a_question_not_published_answers_like_a_missing_page_to_everyone(
    client, users, dak_lak, who
):
    from django.utils import timezone

    from outreach import feedback
    from outreach.models import Submission

    def asked(published):
        submission = feedback.receive(
            feedback.Received(
                kind="question", text="Khi nào có điện?", language="vi", came_by="web",
                province=dak_lak, answer_channel="sms", answer_to=E164, may_publish=True,
                consent_text="Tôi đồng ý",
            )
        )  # fmt: skip
        Submission.objects.filter(pk=submission.pk).update(
            answer="Tháng sau.",
            state="answered",
            public_question="Khi nào thôn có điện?",
            published_at=timezone.now() if published else None,
        )
        return submission

    public, private = asked(True), asked(False)
    if users[who]:
        client.force_login(users[who])
    shown = client.get(f"/vi/ask/answered/{public.pk}/")
    assert shown.status_code == 200  # the positive control
    assert E164 not in shown.content.decode() and public.reference not in shown.content.decode()
    missing = client.get("/vi/ask/answered/999999/")
    hidden = client.get(f"/vi/ask/answered/{private.pk}/")
    assert missing.status_code == hidden.status_code == 404
    assert {h: hidden.get(h) for h in HEADERS_COMPARED} == {
        h: missing.get(h) for h in HEADERS_COMPARED
    }
    for url in ("/vi/ask/answered/", "/vi/ask/answered/rss.xml", "/km/ask/answered/atom.xml"):
        listed = client.get(url).content.decode()
        # The published one, once (the positive control); the other never.
        assert listed.count("Khi nào thôn có điện?") == 1, url
        assert f"/ask/answered/{private.pk}/" not in listed, url
        assert E164 not in listed and private.reference not in listed, url


@pytest.mark.parametrize("who", QUESTION_HANDLERS)
def test_a_residents_photo_and_recording_reach_only_who_handles_them_and_others_like_nothing(
    client, question_handlers, dak_lak, ea_sup, voices, settings, tmp_path, who
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from outreach.feedback_files import check_photo, check_voice
    from tests.media.conftest import jpeg_with_gps
    from tests.outreach.test_handling import ask

    settings.MEDIA_ROOT = tmp_path

    def sent():
        photo = SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg")
        voice = SimpleUploadedFile("v.webm", (voices / "voice.webm").read_bytes(), "audio/webm")
        return (check_photo(photo), check_voice(voice))

    people, _questions = question_handlers
    questions = {
        "department's": ask(dak_lak, files=sent()),
        "commune's": ask(dak_lak, commune=ea_sup, files=sent()),
        "triage's": ask(dak_lak, topic="education", files=sent()),
    }
    may_get = {
        "office member": {"department's"},
        "coordinator": {"triage's"},  # while no office has it
        "superuser": {"department's", "commune's", "triage's"},
    }.get(who, set())
    if people[who]:
        client.force_login(people[who])
    nowhere = "/media/feedback/photo/0123456789abcdef0123456789abcdef.jpg"
    missing = client.get(nowhere)
    elsewhere = client.get("/media/original_images/nothing-here.jpg")
    assert missing.status_code == elsewhere.status_code == 404
    for name, question in questions.items():
        for row in question.files.all():
            answer = client.get(row.file.url)
            if name in may_get:
                assert answer.status_code == 200, (name, row.kind)  # the positive control
                assert answer["Cache-Control"] == "private, no-store"
                assert b"".join(answer.streaming_content) == row.file.read()
            else:
                assert answer.status_code == 404, (name, row.kind)
                assert {h: answer.get(h) for h in HEADERS_COMPARED} == {
                    h: missing.get(h) for h in HEADERS_COMPARED
                }, (name, row.kind)
                # The same page but for the address it names (a missing page's links).
                assert answer.content.replace(row.file.url.encode(), b"") == (
                    missing.content.replace(nowhere.encode(), b"")
                )
    # The question's page in the admin shows the photo and the recording to the same people.
    department = questions["department's"]
    page = client.get(f"/admin/questions/{department.pk}/")
    photo = department.files.get(kind="photo").file.url
    if who in ("office member", "superuser"):
        assert page.content.decode().count(photo) == 2  # the link and the picture
        assert "<audio" not in page.content.decode()  # not converted yet: the download link
    elif who == "coordinator":
        assert page.status_code == 200 and "/media/feedback/" not in page.content.decode()


@pytest.mark.parametrize("who", WHO)
def test_the_mail_providers_endpoint_answers_its_signature_alone_whoever_is_signed_in(
    client, users, dak_lak, settings, who
):
    """A session is no credential here: only Mailgun's signature is, and every refusal is the
    same 403."""
    from outreach.models import Submission
    from tests.outreach import test_inbound_email as mailgun

    settings.BANLANG_OUTREACH = {
        **settings.BANLANG_OUTREACH,
        "INBOUND_EMAIL_SIGNING_KEY": mailgun.KEY,
    }
    if users[who]:
        client.force_login(users[who])
    refusals = [
        mailgun.post(client, mailgun.urlencoded(mailgun.mail())),  # unsigned
        mailgun.post(client, mailgun.urlencoded(mailgun.signed(mailgun.mail(), key="forged"))),
    ]
    for refused in refusals:
        assert (refused.status_code, refused.json()) == (403, {"error": "forbidden"})
    assert Submission.objects.count() == 0
    assert client.get(mailgun.URL).status_code == 405
    taken = mailgun.send(client)
    assert (taken.status_code, taken.json()) == (200, {"status": "received"})  # the control
    assert Submission.objects.count() == 1


@pytest.mark.parametrize("who", WHO)
def test_a_loudspeaker_device_is_known_by_its_token_alone_and_gets_only_its_clusters_audio(
    client, users, dak_lak, ea_sup, settings, tmp_path, who
):
    """A session is no credential on the device API; another cluster's audio is a missing
    file's 404, and the media folder never serves the programmes."""
    import datetime
    import json

    from django.utils import timezone

    from heritage.models import Place
    from tests.outreach.loudspeaker_factories import make_cluster, make_programme

    settings.MEDIA_ROOT = tmp_path
    lac_duong = Place.objects.get(name="Lạc Dương")
    _cluster, token = make_cluster("Cụm Ea Súp", [ea_sup])
    make_cluster("Cụm Lạc Dương", [lac_duong])
    today = timezone.localdate()
    own = make_programme("Bản tin Ea Súp", [ea_sup], today, frequency=440)
    others = make_programme("Bản tin Lạc Dương", [lac_duong], today, frequency=550)
    if users[who]:
        client.force_login(users[who])
    device = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    audio = "/outreach/loudspeakers/audio/{}.mp3".format
    an_hour_ago = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    plays = json.dumps(
        {"plays": [{"sha256": own.sha256, "started_at": an_hour_ago, "outcome": "played"}]}
    )
    unsigned = [
        client.get("/outreach/loudspeakers/schedule.json"),
        client.get(audio(own.sha256)),
        client.post("/outreach/loudspeakers/plays.json", plays, "application/json"),
    ]
    assert {(answer.status_code, answer.content) for answer in unsigned} == {(401, b"")}
    assert client.get(audio(own.sha256), **device).status_code == 200  # the positive control
    missing = client.get(audio("0" * 64), **device)
    hidden = client.get(audio(others.sha256), **device)
    assert missing.status_code == hidden.status_code == 404
    assert hidden.serialize() == missing.serialize()
    nowhere = f"/media/loudspeaker/{'0' * 64}.mp3"
    missing_file = client.get(nowhere)
    stored = client.get(f"/media/{own.audio.name}")
    assert missing_file.status_code == stored.status_code == 404
    assert {h: stored.get(h) for h in HEADERS_COMPARED} == {
        h: missing_file.get(h) for h in HEADERS_COMPARED
    }
    assert stored.content.replace(f"/media/{own.audio.name}".encode(), b"") == (
        missing_file.content.replace(nowhere.encode(), b"")
    )
    accepted = client.post("/outreach/loudspeakers/plays.json", plays, "application/json", **device)
    assert accepted.json() == {"accepted": 1, "duplicates": 0}


@pytest.mark.parametrize("who", WHO)
def test_a_communes_podcast_and_audio_are_public_once_aired_and_missing_before_for_everyone(
    client, users, ea_sup, settings, tmp_path, who
):
    import datetime

    from django.utils import timezone

    from outreach.models import Programme, ProgrammeState
    from tests.outreach.loudspeaker_factories import make_programme

    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    aired = make_programme("Bản tin hôm qua", [ea_sup], today - datetime.timedelta(days=1))
    coming = make_programme(
        "Bản tin ngày mai", [ea_sup], today + datetime.timedelta(days=1), frequency=550
    )
    requeued = make_programme("Bản tin dựng lại", [ea_sup], today, frequency=660)
    Programme.objects.filter(pk=requeued.pk).update(state=ProgrammeState.QUEUED)
    if users[who]:
        client.force_login(users[who])
    feed = client.get(f"/loudspeakers/{ea_sup.pk}/podcast.xml").content.decode()
    assert feed.count("Bản tin hôm qua") == 1  # the positive control
    assert "Bản tin ngày mai" not in feed and "Bản tin dựng lại" not in feed
    assert coming.sha256 not in feed and requeued.sha256 not in feed
    audio = "/loudspeakers/audio/{}.mp3".format
    assert client.get(audio(aired.sha256)).status_code == 200  # the positive control
    missing = client.get(audio("0" * 64))
    for hidden in (coming, requeued):
        answer = client.get(audio(hidden.sha256))
        assert answer.status_code == 404, hidden.title
        assert answer.serialize() == missing.serialize(), hidden.title


@pytest.mark.parametrize("who", WHO)
def test_open_data_is_public_once_published_unpublished_is_missing_and_the_dashboard_staffs(
    client, users, settings, tmp_path, who
):
    from django.utils import timezone

    from outreach import open_data
    from outreach.open_data_sets import DATASETS

    settings.VAR_DIR = tmp_path
    open_data.root().mkdir(parents=True)
    assert open_data.publish(DATASETS["market-prices"], timezone.now())
    if users[who]:
        client.force_login(users[who])
    assert client.get("/open-data/market-prices.csv").status_code == 200  # positive control
    assert client.get("/vi/open-data/").status_code == 200
    unknown = client.get("/open-data/no-such-data.csv")
    for hidden in (
        "/open-data/questions-answered.csv",
        "/open-data/questions-answered/datapackage.json",
    ):
        answer = client.get(hidden)
        assert answer.status_code == unknown.status_code == 404, hidden
        assert answer.content.replace(hidden.encode(), b"") == unknown.content.replace(
            b"/open-data/no-such-data.csv", b""
        )
    dashboard = client.get("/admin/open-data/")
    publish = client.post("/admin/open-data/publish/")
    if who in ("outreach officer", "superuser"):
        assert (dashboard.status_code, publish.status_code) == (200, 302)
    elif who == "editor":
        assert {(r.status_code, r["Location"]) for r in (dashboard, publish)} == {(302, "/admin/")}
    else:
        assert all(r["Location"].startswith("/admin/login/") for r in (dashboard, publish))
