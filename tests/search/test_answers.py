"""Questions published with their answers are found by search, in every language's search,
under their own type; taken off the public pages, they are found no more."""

import re

import pytest

from heritage.models import Place, PlaceLevel
from outreach import handling
from tests.outreach.test_handling import VIETNAMESE, ask, make_offices, make_staff

pytestmark = pytest.mark.usefixtures("home", "outbox_channels")
PUBLIC = "Khi nào trẻ em được cấp thẻ bảo hiểm y tế miễn phí?"


@pytest.fixture
def dak_lak(db):
    return Place.objects.current().get(name="Đắk Lắk")


@pytest.fixture
def ea_sup(dak_lak):
    return Place.objects.create(name="Ea Súp", level=PlaceLevel.COMMUNE, parent=dak_lak)


def found(client, query, language="vi"):
    body = client.get(f"/{language}/search/", {"q": query}).content.decode()
    return body.count('href="/' + language + "/ask/answered/")


def test_a_published_answer_is_found_and_an_unpublished_one_is_not(
    client, dak_lak, ea_sup, django_capture_on_commit_callbacks
):
    staff = make_staff(make_offices(dak_lak, ea_sup))
    published = ask(dak_lak, may_publish=True)
    kept = ask(dak_lak, may_publish=True, text="Bảo hiểm y tế cho người cao tuổi thế nào?")
    for submission in (published, kept):
        handling.answer(submission, staff["health"], text=VIETNAMESE, language="vi", vietnamese="")
    with django_capture_on_commit_callbacks(execute=True):
        handling.publish(published, staff["health"], PUBLIC)
    assert found(client, "thẻ bảo hiểm") == 1  # the one published, not the other answered one
    assert found(client, "the bao hiem", "km") == 1  # without marks, in another language's search
    body = client.get("/vi/search/", {"q": "thẻ bảo hiểm", "type": "answer"}).content.decode()
    assert PUBLIC in re.sub(r"<[^>]+>", "", body) and published.reference not in body
    with django_capture_on_commit_callbacks(execute=True):
        handling.unpublish(published, staff["health"])
    assert found(client, "thẻ bảo hiểm") == 0
