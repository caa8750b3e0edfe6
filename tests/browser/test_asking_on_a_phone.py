"""Residents ask the authorities on a phone with JavaScript off.

A resident of Ea Súp speaks Ê Đê: she chooses her province, then records her question as a
voice message instead of writing it, asks for the answer by SMS and keeps the code. The
commune office hears it in the admin and answers; the answer reaches her phone through the
local SMSC and waits on her code's page.

Another writes in Jrai, a neighbouring language of the Central Highlands: the first sentence
of the Universal Declaration's Jrai translation, from the ``gflanguages`` samples
(Apache-2.0), with ơ̆, which has no precomposed form. No authentic Ê Đê text is at hand, which
is why the Ê Đê speaker speaks."""

import shutil
import unicodedata

import gflanguages
import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client

from heritage.models import Place, PlaceLevel
from outreach.channels import smpp
from outreach.models import Office, RoutingRule, Submission, SubmissionFile, SubmissionState
from tests.browser.conftest import PHONE, fits_the_screen
from tests.media.conftest import ffmpeg
from tests.outreach.smsc import smsc_server

QUESTION = gflanguages.LoadLanguages()["jra_Latn"].sample_text.specimen_32.split(". ")[0] + "."


@pytest.fixture
def office(transactional_db):
    province, _ = Place.objects.get_or_create(
        name="Đắk Lắk", level=PlaceLevel.PROVINCE, valid_until=None, parent=None
    )
    commune = Place.objects.create(name="Ea Súp", level=PlaceLevel.COMMUNE, parent=province)
    office = Office.objects.create(
        name="UBND xã Ea Súp", place=commune, group=Group.objects.create(name="UBND xã Ea Súp")
    )
    RoutingRule.objects.create(topic="", place=commune, office=office)
    return office


def open_the_form(page, site_url, language, kind, topic):
    """The asking form in ``language`` for Ea Súp, Đắk Lắk, chosen in two steps without
    JavaScript, with ``kind`` and ``topic`` chosen; the language written in is the page's."""
    page.goto(f"{site_url}/{language}/ask/")
    assert page.locator("html").get_attribute("lang") == language
    page.select_option("select[name=province]", label="Đắk Lắk")
    with page.expect_navigation():
        page.click("form.step button")
    assert fits_the_screen(page)
    page.check(f"input[name=kind][value={kind}]")
    page.check(f"input[name=topic][value={topic}]")
    page.select_option("select[name=commune]", label="Ea Súp")
    selected = page.locator("select[name=language] option[selected]").get_attribute("value")
    assert selected == language


def test_asking_and_following_by_code_without_javascript(no_script_phone, live_server, office):
    page = no_script_phone
    open_the_form(page, live_server.url, "jra", "report", "policy")
    page.fill("textarea[name=text]", QUESTION)
    page.check("input[name=answer_channel][value=sms]")
    page.fill("input[name=phone]", "0912 345 678")
    with page.expect_navigation():
        page.click("form.ask button[type=submit]")
    assert page.locator(".errors").count() >= 1  # the consent was not given: nothing stored
    assert Submission.objects.count() == 0
    assert page.locator("textarea[name=text]").input_value() == QUESTION  # nothing lost
    page.check("input[name=consent]")
    with page.expect_navigation():
        page.click("form.ask button[type=submit]")
    submission = Submission.objects.get()
    code = f"{submission.reference[:5]}-{submission.reference[5:]}"
    assert page.url.endswith(f"/jra/ask/{code}/")
    assert (submission.office, submission.state, submission.language) == (
        office,
        SubmissionState.ASSIGNED,
        "jra",
    )
    assert submission.answer_to == "+84912345678"
    assert page.locator("h1").inner_text().endswith(code)
    shown = page.locator("blockquote[lang=jra]").inner_text().strip()
    assert shown == unicodedata.normalize("NFC", QUESTION)
    assert fits_the_screen(page)
    page.goto(f"{live_server.url}/jra/ask/code/")
    page.fill("input[name=code]", code.lower())
    with page.expect_navigation():
        page.click("form.lookup button")
    assert page.url.endswith(f"/jra/ask/{code}/")


@pytest.fixture
def smsc(settings):
    """SMS through SMPP to a local SMSC that sends no receipts (nothing races the test)."""
    smpp.session().close()
    with smsc_server() as running:
        running.receipt_state = None
        settings.BANLANG_OUTREACH = {
            **settings.BANLANG_OUTREACH,
            "CHANNELS": {
                **settings.BANLANG_OUTREACH["CHANNELS"],
                "sms": "outreach.channels.smpp.SmppChannel",
            },
            "SMPP": {**settings.BANLANG_OUTREACH["SMPP"], "PORT": running.port},
        }
        yield running
        smpp.session().close()
        smpp.session().take_incoming()


@pytest.fixture
def recording(tmp_path):
    """Four seconds of speech-like sound as Chrome on Android records it (Opus in WebM)."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not installed (apt-get install ffmpeg)")
    path = tmp_path / "ghi-am.webm"
    speech = "anoisesrc=c=pink:r=16000:a=0.5,bandpass=f=1000:width_type=h:w=2500,tremolo=f=4:d=0.9"
    ffmpeg("-f", "lavfi", "-i", speech, "-t", "4", "-c:a", "libopus", str(path))
    return path


@pytest.fixture
def office_phone(browser, live_server, office):
    """A phone-size page signed in as a member of the commune office's staff."""
    member = get_user_model().objects.create_user("ea-sup", password="x")
    office.group.permissions.add(Permission.objects.get(codename="access_admin"))
    member.groups.add(office.group)
    client = Client()
    client.force_login(member)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(service_workers="block", viewport=PHONE)
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    yield context.new_page()
    context.close()


ANSWER = "Thẻ bảo hiểm y tế của cháu sẽ được phát tại UBND xã vào thứ Hai tuần sau."


def test_a_resident_speaks_in_ede_and_the_answer_reaches_her_phone_by_sms(
    no_script_phone, office_phone, live_server, office, smsc, recording
):
    page = no_script_phone
    open_the_form(page, live_server.url, "rad", "question", "health")
    voice = page.locator("input[name=voice]")
    assert (voice.get_attribute("accept"), voice.get_attribute("capture")) == ("audio/*", "user")
    voice.set_input_files(recording)
    page.check("input[name=answer_channel][value=sms]")
    page.fill("input[name=phone]", "0912 345 678")
    page.check("input[name=consent]")
    with page.expect_navigation():
        page.click("form.ask button[type=submit]")
    submission = Submission.objects.get()
    code = f"{submission.reference[:5]}-{submission.reference[5:]}"
    assert page.url.endswith(f"/rad/ask/{code}/")
    assert (submission.office, submission.language, submission.text) == (office, "rad", "")
    assert submission.state == SubmissionState.ASSIGNED
    heard = submission.files.get()
    assert (heard.kind, heard.status) == (SubmissionFile.Kind.VOICE, SubmissionFile.Status.READY)
    assert page.locator("ul.sent-files li").inner_text().endswith("(0:04)")
    assert fits_the_screen(page)

    # The office hears her in the admin; to anyone else the recording is a missing file.
    staff = office_phone
    staff.goto(f"{live_server.url}/admin/questions/{submission.pk}/")
    source = staff.locator("audio").get_attribute("src")
    assert source == heard.playable.url
    played = staff.context.request.get(f"{live_server.url}{source}")
    assert (played.status, played.headers["content-type"]) == (200, "audio/mp4")
    assert page.context.request.get(f"{live_server.url}{source}").status == 404
    staff.fill("textarea[name=answer-text]", ANSWER)
    staff.select_option("select[name=answer-language]", "vi")
    with staff.expect_navigation():
        staff.click("form.question-step:has(textarea[name=answer-text]) button[type=submit]")
    submission.refresh_from_db()
    assert (submission.state, submission.answer_language) == (SubmissionState.ANSWERED, "vi")

    # The SMS reaches her number at the SMSC, and the answer waits on her code's page.
    assert smsc.arrived(1)
    assert smsc.texts() == [("84912345678", ANSWER)]
    page.reload()
    assert page.locator("div.answer[lang=vi]").inner_text().strip() == ANSWER
    assert fits_the_screen(page)
