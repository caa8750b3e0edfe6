"""A resident asks the authorities on a phone with JavaScript off, in Jrai: the province,
then her message and how to be answered; she keeps the code and reads the page it opens.
(Her voice message, and the office's answer reaching her by SMS, come with the offices'
queues: issue 14.)

No authentic Ê Đê text is at hand, so she writes in Jrai, a neighbouring language of the
Central Highlands: the first sentence of the Universal Declaration's Jrai translation, from
the ``gflanguages`` samples (Apache-2.0), with ơ̆, which has no precomposed form."""

import unicodedata

import gflanguages
import pytest

from heritage.models import Place, PlaceLevel
from outreach.models import Office, RoutingRule, Submission, SubmissionState
from tests.browser.conftest import fits_the_screen

QUESTION = gflanguages.LoadLanguages()["jra_Latn"].sample_text.specimen_32.split(". ")[0] + "."


@pytest.fixture
def office(transactional_db):
    province, _ = Place.objects.get_or_create(
        name="Đắk Lắk", level=PlaceLevel.PROVINCE, valid_until=None, parent=None
    )
    commune = Place.objects.create(name="Ea Súp", level=PlaceLevel.COMMUNE, parent=province)
    office = Office.objects.create(name="UBND xã Ea Súp", place=commune)
    RoutingRule.objects.create(topic="", place=commune, office=office)
    return office


def test_asking_and_following_by_code_without_javascript(no_script_phone, live_server, office):
    page = no_script_phone
    page.goto(f"{live_server.url}/jra/ask/")
    assert page.locator("html").get_attribute("lang") == "jra"
    page.select_option("select[name=province]", label="Đắk Lắk")
    with page.expect_navigation():
        page.click("form.step button")
    assert fits_the_screen(page)
    page.check("input[name=kind][value=report]")
    page.check("input[name=topic][value=policy]")
    page.select_option("select[name=commune]", label="Ea Súp")
    assert page.locator("select[name=language] option[selected]").get_attribute("value") == "jra"
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
