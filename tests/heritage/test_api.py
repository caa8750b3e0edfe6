"""The read-only JSON API of the records, under the same protocols as the pages."""

import pytest
from django.utils import translation

from heritage.festival_dates import DateRule
from heritage.labels import LABEL_EXPLANATIONS, LocalContextsLabel
from heritage.models import EthnicGroup, HeritageKind, Place, RecordMedia
from heritage.protocols import CulturalProtocol
from tests.heritage.factories import (
    CommunityNarrativeFactory,
    HeritageRecordFactory,
    RecordImageFactory,
    RecordLabelFactory,
    stored_recording,
)
from tests.heritage.matrix import MATRIX, PROTOCOLS

LIST = "/api/heritage/records/"


@pytest.fixture
def tet(archive):
    record = HeritageRecordFactory(
        title="Tết Nguyên đán",
        title_en="Lunar New Year",
        slug="tet",
        description="Ba ngày đầu năm.",
        date_rule=DateRule.LUNAR,
        date_month=1,
        date_day=1,
    )
    record.ethnic_groups.add(EthnicGroup.objects.get(code="02"))
    record.places.add(Place.objects.get(name="Hà Giang", valid_until__isnull=False))
    return record


def not_found(client, url, **query):
    """The answer for a record or page that is not there for the caller.

    ``ReaderLocaleMiddleware`` still retries 404s outside its exempt prefixes under ``/vi/``,
    so the 404 may come after a redirect until ``/api/`` is exempt too.
    """
    response = client.get(url, query, follow=True)
    assert response.status_code == 404
    return response


def login(client, people, who):
    if who != "anonymous":
        client.force_login(people[who])


def test_the_list_is_in_vietnamese_unless_asked(client, tet):
    answer = client.get(LIST).json()
    assert answer["language"] == "vi"
    assert answer["count"] == 1
    [item] = answer["results"]
    assert item["title"] == {"text": "Tết Nguyên đán", "language": "vi"}
    assert item["html_url"] == "http://testserver/vi/di-san/tet/"
    assert item["url"] == "http://testserver/api/heritage/records/tet/?lang=vi"
    assert item["ethnic_groups"] == ["02"]
    english = client.get(LIST, {"lang": "en"}).json()["results"][0]
    assert english["title"] == {"text": "Lunar New Year", "language": "en"}
    khmer = client.get(LIST, {"lang": "km"}).json()["results"][0]
    assert khmer["title"] == {"text": "Tết Nguyên đán", "language": "vi"}


def test_the_list_filters_and_pages(client, tet):
    for number in range(25):
        HeritageRecordFactory(kind=HeritageKind.CRAFT, slug=f"nghe-{number}")
    crafts = client.get(LIST, {"kind": "craft"}).json()
    assert (crafts["count"], crafts["pages"], len(crafts["results"])) == (25, 2, 20)
    assert crafts["next"] == "http://testserver/api/heritage/records/?kind=craft&page=2"
    second = client.get(crafts["next"]).json()
    assert len(second["results"]) == 5 and second["previous"]
    tuyen_quang = Place.objects.get(name="Tuyên Quang", valid_until__isnull=True)
    by_province = client.get(LIST, {"province": tuyen_quang.pk}).json()
    assert [item["slug"] for item in by_province["results"]] == ["tet"]
    by_group = client.get(LIST, {"ethnic_group": "02"}).json()
    assert [item["slug"] for item in by_group["results"]] == ["tet"]


@pytest.mark.parametrize(
    "query", [{"lang": "fr"}, {"kind": "dance"}, {"province": "x"}, {"page": "two"}]
)
def test_bad_requests_are_explained(client, tet, query):
    response = client.get(LIST, query)
    assert response.status_code == 400
    assert response.json()["errors"]


def test_a_page_past_the_end_is_not_found(client, tet):
    not_found(client, LIST, page="9")


def test_a_record_in_full_with_narratives_and_media(client, tet):
    CommunityNarrativeFactory(record=tet, text="Lời kể của già làng.", language="vi")
    RecordImageFactory(record=tet)
    RecordMedia.objects.create(record=tet, media=stored_recording(), caption="Bài then")
    answer = client.get(f"{LIST}tet/", {"lang": "en"}).json()
    assert answer["title"]["text"] == "Lunar New Year"
    assert answer["description"] == {"text": "Ba ngày đầu năm.", "language": "vi"}
    assert answer["places"][0]["province"]["name"] == "Tuyên Quang"
    assert answer["dates"]["rule"] == "lunar" and answer["dates"]["occurrences"]
    assert answer["narratives"][0]["text"]["text"] == "Lời kể của già làng."
    image, audio = answer["media"]
    assert image["type"] == "image"
    assert {
        ".width-360." in r["url"] or ".width-720." in r["url"] for r in image["renditions"]
    } == {True}
    assert image["renditions"][0]["url"].startswith("http://testserver/media/")
    assert audio["type"] == "audio"
    assert audio["renditions"][0]["url"].startswith("http://testserver/media/renditions/")
    assert answer["rights"]["uri"] == tet.rights_statement


def english(text):
    with translation.override("en"):
        return str(text)


def test_a_label_without_the_communitys_words_gives_its_standard_explanation(client, tet):
    RecordLabelFactory(record=tet, label="tk-attribution")
    RecordLabelFactory(record=tet, label="tk-seasonal", explanation="Chỉ kể vào mùa khô.")
    answer = client.get(f"{LIST}tet/", {"lang": "en"})
    assert answer.status_code == 200
    standard, own = answer.json()["labels"]
    assert standard == {
        "label": "tk-attribution",
        "name": "TK Attribution",
        "explanation": {
            "text": english(LABEL_EXPLANATIONS[LocalContextsLabel.TK_ATTRIBUTION]),
            "language": "en",
        },
    }
    assert own["explanation"] == {"text": "Chỉ kể vào mùa khô.", "language": "vi"}


@pytest.mark.parametrize("who", list(MATRIX))
def test_the_api_answers_only_what_the_caller_may_see(client, archive, world, who):
    people, records = world
    login(client, people, who)
    response = client.get(LIST)
    slugs = {item["slug"] for item in response.json()["results"]}
    assert slugs == {records[protocol].slug for protocol in MATRIX[who]}
    if MATRIX[who] != {"public"}:
        assert "no-store" in response["Cache-Control"]
    for protocol in PROTOCOLS:
        record = records[protocol]
        if protocol in MATRIX[who]:
            detail = client.get(f"{LIST}{record.slug}/")
            assert detail.status_code == 200
            if protocol != "public":
                assert "private" in detail["Cache-Control"]
                assert "no-store" in detail["Cache-Control"]
        else:
            detail = not_found(client, f"{LIST}{record.slug}/")
            assert record.title.encode() not in detail.content
            assert record.title.encode() not in detail.content
            assert record.title.encode() not in response.content


def test_narratives_under_a_narrower_protocol_stay_out(client, archive, world):
    people, records = world
    CommunityNarrativeFactory(
        record=records["public"],
        text="Chỉ cán bộ văn hóa được đọc.",
        protocol=CulturalProtocol.RESTRICTED,
    )
    url = f"{LIST}{records['public'].slug}/"
    anonymous = client.get(url)
    assert anonymous.json()["narratives"] == []
    assert "no-store" not in anonymous.get("Cache-Control", "")
    client.force_login(people["officer"])
    officer = client.get(url)
    assert officer.json()["narratives"][0]["protocol"] == "restricted"
    assert "no-store" in officer["Cache-Control"]


def test_drafts_are_not_in_the_api(client, archive):
    HeritageRecordFactory(title="Bản nháp", slug="ban-nhap", live=False)
    assert client.get(LIST).json()["count"] == 0
    assert "Bản nháp" not in not_found(client, f"{LIST}ban-nhap/").content.decode()
