"""OAI-PMH: harvested over HTTP by an independent client; only public, published records."""

import datetime
import re
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from sickle import Sickle
from sickle.oaiexceptions import IdDoesNotExist

from heritage.models import EthnicGroup, HeritageRecord, RecordTombstone
from heritage.protocols import CulturalProtocol
from tests.heritage.factories import CommunityGroupFactory, HeritageRecordFactory
from tests.heritage.imports import imported

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

    assert (identify.protocolVersion, identify.deletedRecord) == ("2.0", "persistent")
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


def header_ids(root) -> list[str]:
    return [header.findtext(f"{OAI}identifier") for header in root.iter(f"{OAI}header")]


@pytest.mark.parametrize(
    ("window", "code"),
    [
        ({"until": "9999-12-31"}, None),
        ({"until": "9999-12-31T23:59:59Z"}, None),
        ({"from": "0001-01-01"}, None),
        ({"from": "0001-01-01T00:00:00Z"}, None),
        ({"from": "0001-01-01", "until": "9999-12-31"}, None),
        ({"until": "0001-01-01"}, "noRecordsMatch"),
        ({"until": "0001-01-01T00:00:00Z"}, "noRecordsMatch"),
        ({"from": "9999-12-31"}, "noRecordsMatch"),
        ({"from": "9999-12-31T23:59:59Z"}, "noRecordsMatch"),
        ({"from": "9999-12-31", "until": "9999-12-31"}, "noRecordsMatch"),
        ({"from": "0000-12-31"}, "badArgument"),
        ({"until": "10000-01-01"}, "badArgument"),
        ({"until": "2024-02-30"}, "badArgument"),
        ({"until": "2024-01-01T24:00:00Z"}, "badArgument"),
        ({"until": "2024-12-31T23:59:60Z"}, "badArgument"),
        ({"until": "2024-01-01\n"}, "badArgument"),
        ({"until": "2024-01-01T00:00:00Z\n"}, "badArgument"),
        ({"from": "٢٠٢٤-٠١-٠١"}, "badArgument"),
        ({"from": "２０２４-０１-０１"}, "badArgument"),
        ({"from": "9999-12-31", "until": "0001-01-01"}, "badArgument"),
    ],
)
def test_dates_at_the_edges_of_the_calendar_get_an_answer(client, db, window, code):
    make_archive(public=2)

    root, _body = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **window)

    assert error_code(root) == code
    assert len(header_ids(root)) == (2 if code is None else 0)


HOSTILE = [
    "\x00",
    "\x01",
    "a\x08b",
    "\x0b",
    "\x0c",
    "\x1f",
    "oai:testserver:heritage/1\x01",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
    "x\udbff",
]
"""Characters XML 1.0 cannot hold, alone or inside otherwise sensible values."""


def hostile_requests(client, fields: list[tuple[str, str]]):
    """The request as a GET and a POST in UTF-8 where UTF-8 can carry it, and as a GET with a
    UTF-7 query string (declared in its Content-Type), which carries lone surrogates too."""
    responses = []
    try:
        data = [(name.encode(), value.encode()) for name, value in fields]
    except UnicodeEncodeError:
        pass
    else:
        query = urlencode(data)
        responses.append(client.get(f"/oai/?{query}"))
        responses.append(
            client.post("/oai/", query, content_type="application/x-www-form-urlencoded")
        )
    query = urlencode([(name.encode("utf-7"), value.encode("utf-7")) for name, value in fields])
    responses.append(client.get(f"/oai/?{query}", CONTENT_TYPE="text/plain; charset=utf-7"))
    return responses


def legal_xml_answer(response) -> ElementTree.Element:
    """The answer parses as XML 1.0 and carries no character XML forbids, even escaped."""
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", text)
    assert not re.search(
        r"&#(x0*[0-8bcef]|x0*1[0-9a-f]|0*([0-8]|1[124-9]|2[0-9]|3[01]));", text, re.I
    )
    return ElementTree.fromstring(response.content)


@pytest.mark.parametrize(
    "fields",
    [
        [("verb", "{}")],
        [("verb", "GetRecord"), ("identifier", "{}"), ("metadataPrefix", "oai_dc")],
        [
            ("verb", "GetRecord"),
            ("identifier", "oai:testserver:heritage/1{}"),
            ("metadataPrefix", "oai_dc"),
        ],
        [
            ("verb", "GetRecord"),
            ("identifier", "oai:testserver:heritage/1"),
            ("metadataPrefix", "{}"),
        ],
        [("verb", "ListMetadataFormats"), ("identifier", "{}")],
        [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "{}")],
        [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("until", "2024-01-01{}")],
        [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("set", "{}")],
        [("verb", "ListRecords"), ("resumptionToken", "{}")],
        [("verb", "ListSets"), ("resumptionToken", "{}")],
        [("verb", "Identify"), ("{}", "1")],
        [("verb", "Identify"), ("{}", "1"), ("{}", "2")],
        [("verb", "{}"), ("verb", "Identify")],
    ],
)
def test_characters_xml_cannot_hold_are_a_bad_argument_never_echoed(client, db, fields):
    HeritageRecordFactory(title="Lễ hội công khai")

    answered = 0
    for value in HOSTILE:
        hostile = [(name.format(value), text.format(value)) for name, text in fields]
        for response in hostile_requests(client, hostile):
            root = legal_xml_answer(response)
            assert (value, error_code(root)) == (value, "badArgument")
            assert root.find(f"{OAI}request").attrib == {}
            answered += 1
    assert answered == 9 * 3 + 3


def test_odd_but_legal_characters_are_echoed_and_still_well_formed(client, db):
    record = HeritageRecordFactory(title="Lễ hội công khai")
    identifier = f"oai:testserver:heritage/{record.pk}\t\n\r <&\"'\x7f\U0001f600\ufdd0"
    fields = [("verb", "GetRecord"), ("identifier", identifier), ("metadataPrefix", "oai_dc")]

    responses = hostile_requests(client, fields)

    assert len(responses) == 3
    for response in responses:
        root = legal_xml_answer(response)
        assert error_code(root) == "idDoesNotExist"
        assert root.find(f"{OAI}request").attrib["identifier"] == identifier
    clean = [(name, value.split("\t")[0]) for name, value in fields]
    for response in hostile_requests(client, clean):
        root = legal_xml_answer(response)
        assert error_code(root) is None
        assert root.find(f"{OAI}request").attrib["identifier"] == clean[1][1]


def other_digits(number: int, zero: str) -> str:
    """``number`` written with the digits of another script, whose zero is ``zero``."""
    return "".join(chr(ord(zero) + int(digit)) for digit in str(number))


def test_only_ascii_digits_name_a_record(client, db):
    record = make_archive(public=1)[0]
    names = [
        other_digits(record.pk, "\u0660"),  # Arabic-Indic
        other_digits(record.pk, "\u06f0"),  # Extended Arabic-Indic
        other_digits(record.pk, "\u0966"),  # Devanagari
        other_digits(record.pk, "\uff10"),  # fullwidth
        other_digits(record.pk, "\U0001d7ce"),  # mathematical bold
        "\u00b9" if record.pk == 1 else "\u00b2\u00b3",  # superscripts: isdigit() but not int()
        f"0{record.pk}",
        f"+{record.pk}",
        f" {record.pk}",
        f"{record.pk} ",
        f"{record.pk}.0",
        "9" * 19,
        "9" * 40,
        "9" * 5000,
        str(2**63),
        "0",
        "-1",
    ]

    for name in names:
        identifier = f"oai:testserver:heritage/{name}"
        root, body = oai(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
        assert (name, error_code(root)) == (name, "idDoesNotExist")
        assert record.title_vi not in body
        root, _body = oai(client, verb="ListMetadataFormats", identifier=identifier)
        assert (name, error_code(root)) == (name, "idDoesNotExist")
    root, body = oai(
        client,
        verb="GetRecord",
        identifier=f"oai:testserver:heritage/{record.pk}",
        metadataPrefix="oai_dc",
    )
    assert error_code(root) is None
    assert record.title_vi in body


def tay() -> EthnicGroup:
    group, _ = EthnicGroup.objects.get_or_create(
        code="02", defaults={"name": "Tày", "name_vi": "Tày", "language_group": "Tày - Thái"}
    )
    return group


def public_record(**fields) -> HeritageRecord:
    """A public, live festival of the Tày."""
    record = HeritageRecordFactory(**fields)
    record.ethnic_groups.add(tay())
    return record


def identifier(record: HeritageRecord, host: str = "testserver") -> str:
    return f"oai:{host}:heritage/{record.pk}"


def listed(client, **arguments) -> list[tuple[str, bool]]:
    """Every header of a ListIdentifiers answer: its identifier, and whether it is deleted."""
    root, _body = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **arguments)
    return [
        (header.findtext(f"{OAI}identifier"), header.get("status") == "deleted")
        for header in root.iter(f"{OAI}header")
    ]


def harvest(client, verb: str = "ListIdentifiers", **arguments) -> tuple[list, list[str]]:
    """Every page of a list request, following resumption tokens: headers and the tokens."""
    root, _body = oai(client, verb=verb, metadataPrefix="oai_dc", **arguments)
    headers, tokens = [], []
    while True:
        headers += [
            (header.findtext(f"{OAI}identifier"), header.get("status") == "deleted")
            for header in root.iter(f"{OAI}header")
        ]
        token = root.find(f"{OAI}{verb}/{OAI}resumptionToken")
        if token is None or not token.text:
            if token is not None:
                tokens.append(token.attrib)
            return headers, tokens
        tokens.append(token.attrib)
        root, _body = oai(client, verb=verb, resumptionToken=token.text)


def test_a_harvest_after_records_stop_being_public_reports_them_deleted(live_server):
    kept, restricted, unpublished, narrowed, deleted, bulk_deleted = [
        public_record(title=f"Lễ hội công khai {number}") for number in range(6)
    ]
    never_public = HeritageRecordFactory(
        title=HIDDEN_TITLES[1], protocol=CulturalProtocol.RESTRICTED
    )
    never_public.ethnic_groups.add(tay())
    draft = HeritageRecordFactory(title=DRAFT_TITLE, live=False)
    hidden_ids = [identifier(record, "localhost") for record in (never_public, draft)]
    kept_id = identifier(kept, "localhost")
    sickle = RecordingSickle(f"{live_server.url}/oai/")
    before = list(sickle.ListIdentifiers(metadataPrefix="oai_dc"))
    since = re.search(r"<responseDate>(.*)</responseDate>", sickle.bodies[-1]).group(1)
    gone = [restricted, unpublished, narrowed, deleted, bulk_deleted]
    gone_ids = {identifier(record, "localhost") for record in gone}
    deleted_id = identifier(deleted, "localhost")
    titles = [record.title_vi for record in gone]

    restricted.protocol = CulturalProtocol.RESTRICTED
    restricted.save()
    unpublished.unpublish()
    narrowed.protocol = CulturalProtocol.COMMUNITY
    narrowed.save_revision().publish()
    deleted.delete()
    HeritageRecord.objects.filter(pk=bulk_deleted.pk).delete()
    never_public.delete()
    draft.delete()
    sickle.bodies.clear()
    identify = sickle.Identify()
    everything = list(sickle.ListRecords(metadataPrefix="oai_dc"))
    recent = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": since}))
    one = sickle.GetRecord(identifier=identifier(restricted, "localhost"), metadataPrefix="oai_dc")
    formats = list(sickle.ListMetadataFormats(identifier=deleted_id))

    assert sorted((header.identifier, header.deleted) for header in before) == sorted(
        (name, False) for name in [kept_id, *gone_ids]
    )
    assert identify.deletedRecord == "persistent"
    assert sorted((record.header.identifier, record.deleted) for record in everything) == sorted(
        [(kept_id, False)] + [(name, True) for name in gone_ids]
    )
    for record in everything:
        if record.deleted:
            assert record.header.setSpecs == ["kind:festival", "ethnic-group:02"]
            assert record.header.datestamp >= since
            assert not hasattr(record, "metadata")
    assert {header.identifier for header in recent if header.deleted} == gone_ids
    assert one.deleted is True
    assert [item.metadataPrefix for item in formats] == ["oai_dc"]
    for name in hidden_ids:
        with pytest.raises(IdDoesNotExist):
            sickle.GetRecord(identifier=name, metadataPrefix="oai_dc")
    lists = [
        body for body in sickle.bodies if "<ListRecords>" in body or "<ListIdentifiers>" in body
    ]
    assert len(lists) == 2
    for body in lists:
        for name in hidden_ids:
            assert name not in body
    for body in sickle.bodies:
        for title in [*titles, HIDDEN_TITLES[1], DRAFT_TITLE]:
            assert title not in body
    assert any(kept.title_vi in body for body in sickle.bodies)


def test_a_draft_narrowing_the_protocol_hides_nothing_until_it_is_published(client, db):
    record = public_record()

    record.protocol = CulturalProtocol.SECRET_SACRED
    revision = record.save_revision()
    assert listed(client) == [(identifier(record), False)]

    revision.publish()
    assert listed(client) == [(identifier(record), True)]


def test_a_record_public_and_live_again_is_listed_again(client, db):
    restricted, unpublished = public_record(), public_record()
    restricted.protocol = CulturalProtocol.RESTRICTED
    restricted.save()
    unpublished.save_revision().publish()
    unpublished.unpublish()
    assert sorted(listed(client)) == sorted(
        [(identifier(restricted), True), (identifier(unpublished), True)]
    )

    restricted.protocol = CulturalProtocol.PUBLIC
    restricted.save()
    unpublished.refresh_from_db()
    unpublished.save_revision().publish()

    assert sorted(listed(client)) == sorted(
        [(identifier(restricted), False), (identifier(unpublished), False)]
    )
    root, _body = oai(
        client, verb="GetRecord", identifier=identifier(restricted), metadataPrefix="oai_dc"
    )
    assert root.find(f"{OAI}GetRecord/{OAI}record/{OAI}metadata") is not None
    assert RecordTombstone.objects.count() == 0


def answer_without_date(client, name: str, **arguments) -> str:
    """An answer about identifier ``name``, with the identifier and response date blanked."""
    response = client.get("/oai/", {"identifier": name, **arguments})
    text = response.content.decode().replace(name, "IDENTIFIER")
    return re.sub(r"<responseDate>.*</responseDate>", "", text)


def test_a_record_that_never_was_public_and_live_leaves_no_trace(client, db):
    control = public_record(title="Lễ hội công khai")
    secret = HeritageRecordFactory(title=HIDDEN_TITLES[2], protocol=CulturalProtocol.SECRET_SACRED)
    secret.protocol = CulturalProtocol.RESTRICTED
    secret.save()
    community = HeritageRecordFactory(title=HIDDEN_TITLES[0], protocol=CulturalProtocol.COMMUNITY)
    community.unpublish()
    draft = HeritageRecordFactory(title=DRAFT_TITLE, live=False)
    draft.protocol = CulturalProtocol.RESTRICTED
    draft.save()
    public_draft = HeritageRecordFactory(title="Bản nháp công khai", live=False)
    public_draft.protocol = CulturalProtocol.COMMUNITY
    public_draft.save()
    hidden = [identifier(record) for record in (secret, community, draft, public_draft)]
    missing = f"oai:testserver:heritage/{public_draft.pk + 1000}"
    control_id, control_pk = identifier(control), control.pk
    secret.delete()
    draft.delete()
    HeritageRecord.objects.filter(pk=community.pk).delete()
    control.delete()

    assert listed(client) == [(control_id, True)]
    for verb, arguments in [
        ("GetRecord", {"metadataPrefix": "oai_dc"}),
        ("ListMetadataFormats", {}),
    ]:
        nothing = answer_without_date(client, missing, verb=verb, **arguments)
        assert 'code="idDoesNotExist"' in nothing
        for name in hidden:
            assert answer_without_date(client, name, verb=verb, **arguments) == nothing
        assert answer_without_date(client, control_id, verb=verb, **arguments) != nothing
    assert list(RecordTombstone.objects.values_list("pk", flat=True)) == [control_pk]


def test_a_tombstone_keeps_the_identifier_datestamp_and_sets_it_had_and_nothing_else(client, db):
    record = public_record(title="Nghề dệt thổ cẩm bản Lác", kind="craft")
    record.protocol = CulturalProtocol.RESTRICTED
    record.save()
    record.kind = "ritual"
    record.save()
    record.ethnic_groups.clear()

    root, body = oai(client, verb="ListRecords", metadataPrefix="oai_dc")

    element = root.find(f"{OAI}ListRecords/{OAI}record")
    assert [part.tag for part in element] == [f"{OAI}header"]
    header = element.find(f"{OAI}header")
    assert header.attrib == {"status": "deleted"}
    assert [(part.tag, part.text) for part in header] == [
        (f"{OAI}identifier", identifier(record)),
        (f"{OAI}datestamp", header.findtext(f"{OAI}datestamp")),
        (f"{OAI}setSpec", "kind:craft"),
        (f"{OAI}setSpec", "ethnic-group:02"),
    ]
    assert record.title_vi not in body
    assert listed(client, set="kind:craft") == [(identifier(record), True)]
    assert listed(client, set="ethnic-group:02") == [(identifier(record), True)]
    root, _body = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="kind:ritual")
    assert error_code(root) == "noRecordsMatch"
    fields = {field.name for field in RecordTombstone._meta.get_fields()}
    assert fields == {"record_id", "deleted_at", "kind", "ethnic_groups"}


BASE = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


def dated(pk: int, seconds: int) -> None:
    """Set the datestamp of a record, or of its tombstone, to ``seconds`` after ``BASE``."""
    moment = BASE + datetime.timedelta(seconds=seconds)
    if RecordTombstone.objects.filter(pk=pk).update(deleted_at=moment) == 0:
        HeritageRecord.objects.filter(pk=pk).update(updated_at=moment)


def test_pages_walk_records_and_tombstones_together(client, db, settings):
    settings.OAI_PAGE_SIZE = 2
    records = [public_record() for _number in range(7)]
    for record in records[1::2]:
        record.protocol = CulturalProtocol.RESTRICTED
        record.save()
    for seconds, record in enumerate(records):
        dated(record.pk, seconds)
    dated(records[6].pk, 5)
    expected = [(identifier(record), bool(number % 2)) for number, record in enumerate(records)]

    headers, tokens = harvest(client)

    assert headers == expected
    assert [token["cursor"] for token in tokens] == ["0", "2", "4", "6"]
    assert {token["completeListSize"] for token in tokens} == {"7"}
    window = {"from": "2020-01-01T00:00:01Z", "until": "2020-01-01T00:00:03Z"}
    assert harvest(client, **window)[0] == expected[1:4]
    assert harvest(client, until="2020-01-01T00:00:00Z")[0] == expected[:1]
    assert harvest(client, **{"from": "2020-01-01T00:00:05Z"})[0] == expected[5:]
    headers, _tokens = harvest(client, verb="ListRecords", set="ethnic-group:02")
    assert headers == expected


def test_a_harvest_neither_skips_nor_loses_what_changes_between_pages(client, db, settings):
    settings.OAI_PAGE_SIZE = 2
    records = [public_record() for _number in range(4)]
    for seconds, record in enumerate(records):
        dated(record.pk, seconds)
    root, _body = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.find(f"{OAI}ListIdentifiers/{OAI}resumptionToken").text
    first_page = header_ids(root)

    for record in (records[0], records[3]):
        record.protocol = CulturalProtocol.RESTRICTED
        record.save()
    root, _body = oai(client, verb="ListIdentifiers", resumptionToken=token)
    headers = [(name, False) for name in first_page]
    while True:
        headers += [
            (header.findtext(f"{OAI}identifier"), header.get("status") == "deleted")
            for header in root.iter(f"{OAI}header")
        ]
        token = root.find(f"{OAI}ListIdentifiers/{OAI}resumptionToken")
        if token is None or not token.text:
            break
        root, _body = oai(client, verb="ListIdentifiers", resumptionToken=token.text)

    assert headers == [
        (identifier(records[0]), False),
        (identifier(records[1]), False),
        (identifier(records[2]), False),
        (identifier(records[0]), True),
        (identifier(records[3]), True),
    ]


def test_identify_dates_the_earliest_record_or_tombstone(client, db):
    kept, gone = public_record(), public_record()
    gone_pk = gone.pk
    gone.delete()
    dated(kept.pk, 3600)
    root, _body = oai(client, verb="Identify")
    assert root.findtext(f"{OAI}Identify/{OAI}earliestDatestamp") == "2020-01-01T01:00:00Z"

    dated(gone_pk, 0)

    root, _body = oai(client, verb="Identify")
    assert root.findtext(f"{OAI}Identify/{OAI}earliestDatestamp") == "2020-01-01T00:00:00Z"


def import_rows(folder, rows: list[tuple[str, str]]) -> None:
    """Import festivals of the Tày: (external id, protocol) per row."""
    path = folder / "records.csv"
    lines = ["external_id,title_vi,kind,ethnic_groups,protocol"]
    lines += [f"{key},Lễ hội {key},festival,02,{protocol}" for key, protocol in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = imported(path, "records.csv")
    assert report.errors == []


def test_an_import_that_restricts_a_record_reports_it_deleted(client, db, tmp_path):
    tay()
    import_rows(tmp_path, [("LC-1", "public"), ("LC-2", "public"), ("LC-3", "restricted")])
    first, second, third = HeritageRecord.objects.order_by("external_id")
    assert sorted(listed(client)) == [(identifier(first), False), (identifier(second), False)]

    import_rows(tmp_path, [("LC-1", "restricted"), ("LC-2", "public"), ("LC-3", "community")])
    assert sorted(listed(client)) == [(identifier(first), True), (identifier(second), False)]
    root, _body = oai(client, verb="ListRecords", metadataPrefix="oai_dc", set="ethnic-group:02")
    assert len(root.findall(f"{OAI}ListRecords/{OAI}record")) == 2

    import_rows(tmp_path, [("LC-1", "public"), ("LC-2", "public"), ("LC-3", "restricted")])
    assert sorted(listed(client)) == [(identifier(first), False), (identifier(second), False)]
    assert identifier(third) not in str(listed(client))
