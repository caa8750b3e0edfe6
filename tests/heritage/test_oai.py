"""OAI-PMH: harvested over HTTP by an independent client; only public, published records."""

import datetime
import re
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from sickle import Sickle

from heritage.models import EthnicGroup, HeritageRecord
from heritage.protocols import CulturalProtocol
from tests.heritage.factories import CommunityGroupFactory, HeritageRecordFactory

OAI = "{http://www.openarchives.org/OAI/2.0/}"
HIDDEN_TITLES = ["Bài cúng bản Nà Hẩu", "Hồ sơ thầy Then chưa công bố", "Nghi lễ Cấp Sắc bí truyền"]
DRAFT_TITLE = "Bản nháp chưa duyệt"


class RecordingSickle(Sickle):
    """Sickle, keeping the body of every response it received."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies: list[str] = []

    def harvest(self, **kwargs):
        response = super().harvest(**kwargs)
        self.bodies.append(response.raw)
        return response


def make_archive(public: int = 7) -> list[HeritageRecord]:
    """``public`` public records, then one under each other protocol and a public draft."""
    tay, _ = EthnicGroup.objects.get_or_create(
        code="02", defaults={"name": "Tày", "name_vi": "Tày", "language_group": "Tày - Thái"}
    )
    shown = []
    for number in range(public):
        record = HeritageRecordFactory(
            title=f"Lễ hội công khai {number}",
            title_en=f"Public festival {number}",
            kind="craft" if number % 2 else "festival",
        )
        record.ethnic_groups.add(tay)
        shown.append(record)
    community = HeritageRecordFactory(title=HIDDEN_TITLES[0], protocol=CulturalProtocol.COMMUNITY)
    community.communities.add(CommunityGroupFactory())
    HeritageRecordFactory(title=HIDDEN_TITLES[1], protocol=CulturalProtocol.RESTRICTED)
    HeritageRecordFactory(title=HIDDEN_TITLES[2], protocol=CulturalProtocol.SECRET_SACRED)
    HeritageRecordFactory(title=DRAFT_TITLE, live=False)
    return shown


def oai(client, **arguments):
    """A GET request to the repository, parsed."""
    response = client.get("/oai/", arguments)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return ElementTree.fromstring(response.content), response.content.decode()


def error_code(root) -> str | None:
    error = root.find(f"{OAI}error")
    return None if error is None else error.get("code")


def test_a_harvester_gets_every_public_record_and_nothing_else(live_server, settings):
    settings.OAI_PAGE_SIZE = 3
    shown = make_archive(public=7)
    sickle = RecordingSickle(f"{live_server.url}/oai/")

    identify = sickle.Identify()
    records = list(sickle.ListRecords(metadataPrefix="oai_dc"))
    crafts = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="kind:craft"))
    one = sickle.GetRecord(identifier=records[0].header.identifier, metadataPrefix="oai_dc")

    assert (identify.protocolVersion, identify.deletedRecord) == ("2.0", "no")
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.baseURL == f"{live_server.url}/oai/"
    assert sorted(record.header.identifier for record in records) == sorted(
        f"oai:localhost:heritage/{record.pk}" for record in shown
    )
    titles = {title for record in records for title in record.metadata["title"]}
    assert {f"Lễ hội công khai {n}" for n in range(7)} <= titles
    assert {f"Public festival {n}" for n in range(7)} <= titles
    assert len(crafts) == 3
    assert one.metadata["title"][0] in titles
    pages = [body for body in sickle.bodies if "<ListRecords>" in body]
    assert len(pages) == 3
    tokens = [re.search(r"<resumptionToken[^>]*/?>", page).group(0) for page in pages]
    assert ['cursor="0"' in tokens[0], 'cursor="3"' in tokens[1], 'cursor="6"' in tokens[2]] == [
        True,
        True,
        True,
    ]
    assert all('completeListSize="7"' in token for token in tokens)
    for body in sickle.bodies:
        for title in [*HIDDEN_TITLES, DRAFT_TITLE]:
            assert title not in body


def test_a_hidden_record_does_not_exist_for_the_repository(client, db):
    make_archive(public=1)
    hidden = HeritageRecord.objects.filter(title_vi__in=[*HIDDEN_TITLES, DRAFT_TITLE])
    assert hidden.count() == 4

    for record in hidden:
        root, body = oai(
            client,
            verb="GetRecord",
            identifier=f"oai:testserver:heritage/{record.pk}",
            metadataPrefix="oai_dc",
        )
        assert error_code(root) == "idDoesNotExist"
        assert record.title_vi not in body
        root, _body = oai(
            client, verb="ListMetadataFormats", identifier=f"oai:testserver:heritage/{record.pk}"
        )
        assert error_code(root) == "idDoesNotExist"


def test_identify_describes_the_repository(client, db, settings):
    settings.OAI_ADMIN_EMAIL = "kho-di-san@example.org"
    first = make_archive(public=2)[0]

    root, _body = oai(client, verb="Identify")

    identify = root.find(f"{OAI}Identify")
    assert identify.findtext(f"{OAI}adminEmail") == "kho-di-san@example.org"
    assert identify.findtext(f"{OAI}earliestDatestamp") == first.updated_at.astimezone(
        datetime.UTC
    ).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert root.find(f"{OAI}request").attrib == {"verb": "Identify"}


def test_requests_may_come_as_post(client, db):
    make_archive(public=1)

    response = client.post("/oai/", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})

    root = ElementTree.fromstring(response.content)
    assert len(root.findall(f"{OAI}ListIdentifiers/{OAI}header")) == 1


def test_lists_sets_by_kind_and_ethnic_group(client, db):
    root, _body = oai(client, verb="ListSets")

    specs = [spec.text for spec in root.iter(f"{OAI}setSpec")]
    assert "kind:festival" in specs and "ethnic-group:02" in specs


def test_from_and_until_select_by_datestamp(client, db):
    make_archive(public=2)
    today = timezone.now().astimezone(datetime.UTC).date()

    root, _body = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until=str(today))
    assert len(root.findall(f"{OAI}ListIdentifiers/{OAI}header")) == 2
    root, _body = oai(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2999-01-01"}
    )
    assert error_code(root) == "noRecordsMatch"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("", "badVerb"),
        ("verb=Harvest", "badVerb"),
        ("verb=Identify&verb=Identify", "badVerb"),
        ("verb=Identify&extra=1", "badArgument"),
        ("verb=ListRecords", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument"),
        ("verb=GetRecord&metadataPrefix=oai_dc", "badArgument"),
        ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
        (
            "verb=GetRecord&identifier=oai:testserver:heritage/1&metadataPrefix=mods",
            "cannotDisseminateFormat",
        ),
        (
            "verb=GetRecord&identifier=oai:elsewhere:heritage/1&metadataPrefix=oai_dc",
            "idDoesNotExist",
        ),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-13-01", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-02&until=2024-01-01", "badArgument"),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-02-01T00:00:00Z",
            "badArgument",
        ),
        ("verb=ListRecords&metadataPrefix=oai_dc&set=kind:dance", "noRecordsMatch"),
        ("verb=ListRecords&resumptionToken=abc", "badResumptionToken"),
        ("verb=ListRecords&resumptionToken=abc&metadataPrefix=oai_dc", "badArgument"),
    ],
)
def test_protocol_errors(client, db, query, code):
    make_archive(public=1)

    response = client.get(f"/oai/?{query}")

    root = ElementTree.fromstring(response.content)
    assert error_code(root) == code
    echoed = root.find(f"{OAI}request").attrib
    assert (echoed == {}) is (code in ("badVerb", "badArgument"))
    assert root.find(f"{OAI}ListRecords") is None


def test_a_tampered_resumption_token_is_refused(client, db, settings):
    settings.OAI_PAGE_SIZE = 1
    make_archive(public=3)
    root, _body = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.find(f"{OAI}ListIdentifiers/{OAI}resumptionToken").text
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    root, _body = oai(client, verb="ListIdentifiers", resumptionToken=forged)
    assert error_code(root) == "badResumptionToken"
    root, _body = oai(client, verb="ListRecords", resumptionToken=token)
    assert error_code(root) == "badResumptionToken"
    root, _body = oai(client, verb="ListIdentifiers", resumptionToken=token)
    assert len(root.findall(f"{OAI}ListIdentifiers/{OAI}header")) == 1
