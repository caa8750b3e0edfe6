"""An OAI-PMH 2.0 repository at ``/oai/``: the public, published records, as Dublin Core.

Harvesters (library and archive aggregators) ask with GET or POST and one of the six verbs.
Only records under the public protocol that are live are ever listed, counted or served (the one
rule of ``heritage.protocols``, asked as an anonymous reader): any other record's identifier is
``idDoesNotExist``, exactly like one that never existed.

- Identifiers are ``oai:<host>:heritage/<pk>``, the primary key in ASCII digits as we write it;
  datestamps are the records' ``updated_at``, in UTC, to the second.
- Deleted records are kept persistently (``heritage.tombstones``): a record that was public and
  live and is no longer is answered as a header with ``status="deleted"``, dated when it went,
  in the sets it was in then. A record that never was public and live leaves no trace.
- Sets: ``kind:<kind>`` and ``ethnic-group:<GSO code>``.
- Lists come in pages of ``settings.OAI_PAGE_SIZE``. The resumption token is
  stateless: the request's arguments and the position reached (datestamp and primary key of the
  last record or tombstone sent), signed with ``django.core.signing``, so it cannot be forged or
  altered. Records and tombstones are walked together in that order, so changes between pages
  are neither skipped nor lost within a harvest: what changed comes again, with its new datestamp.
- Arguments holding characters XML 1.0 cannot carry are a ``badArgument``, never echoed.
- ``adminEmail`` is ``settings.OAI_ADMIN_EMAIL``.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias, TypedDict
from xml.etree import ElementTree

from django.conf import settings
from django.core import signing
from django.db.models import Min, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.urls import path, reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from cms.languages import DEFAULT_LANGUAGE
from heritage.dublin_core import (
    OAI_DC_NS,
    OAI_DC_SCHEMA,
    RecordLink,
    dublin_core,
    record_link,
    with_dublin_core_relations,
)
from heritage.models import EthnicGroup, HeritageKind, HeritageRecord, RecordTombstone
from heritage.tombstones import harvestable_records

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
XSI_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
METADATA_PREFIX = "oai_dc"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
TOKEN_SALT = "heritage.oai.resumption"
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SECOND = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
RECORD_NUMBER = re.compile(r"[1-9][0-9]{0,18}")
LARGEST_PK = 2**63 - 1
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character outside XML 1.0's ``Char`` production: it cannot appear in a document at all."""
LIST_VERBS = ("ListIdentifiers", "ListRecords")

ARGUMENTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset({"resumptionToken"})),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
}
"""Each verb's required and optional arguments; list verbs may instead take a resumptionToken."""

ElementTree.register_namespace("oai-identifier", IDENTIFIER_NS)


class OAIError(Exception):
    """A protocol error, answered as ``<error code="…">``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def child(
    parent: ElementTree.Element, name: str, text: str | None = None, **attributes: str
) -> ElementTree.Element:
    """Add an OAI-PMH element with optional text and attributes."""
    element = ElementTree.SubElement(parent, name, attributes)
    if text is not None:
        element.text = text
    return element


def datestamp(moment: datetime.datetime) -> str:
    """A UTC datestamp to the second."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


Item: TypeAlias = HeritageRecord | RecordTombstone
"""What an identifier names: a public, live record, or the tombstone of one that went."""


def item_datestamp(item: Item) -> datetime.datetime:
    """When a record last changed, or when it went."""
    return item.deleted_at if isinstance(item, RecordTombstone) else item.updated_at


class Repository:
    """One request to the repository: its base URL, identifiers and record links."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.base_url = request.build_absolute_uri(reverse("oai"))
        self.host = split_domain_port(request.get_host())[0] or "localhost"
        self.link: RecordLink = record_link(Site.find_for_request(request))

    def identifier(self, item: Item) -> str:
        """The record's OAI identifier."""
        return f"oai:{self.host}:heritage/{item.pk}"

    def item_for(self, identifier: str, records: QuerySet[HeritageRecord] | None = None) -> Item:
        """The public record an identifier names (from ``records``, a selection of public ones),
        or its tombstone; ``idDoesNotExist`` for any other.

        Only the primary key as we write it names a record: ASCII digits, no leading zero.
        """
        prefix = f"oai:{self.host}:heritage/"
        number = identifier[len(prefix) :] if identifier.startswith(prefix) else ""
        item: Item | None = None
        if RECORD_NUMBER.fullmatch(number) and int(number) <= LARGEST_PK:
            pk = int(number)
            public = harvestable_records() if records is None else records
            item = public.filter(pk=pk).first() or RecordTombstone.objects.filter(pk=pk).first()
        if item is None:
            raise OAIError("idDoesNotExist", f"No record has the identifier {identifier}.")
        return item

    def header(self, parent: ElementTree.Element, item: Item) -> None:
        """A record's header: identifier, datestamp and the sets it is (or was) in; a deleted
        record's says so."""
        deleted = {"status": "deleted"} if isinstance(item, RecordTombstone) else {}
        header = child(parent, "header", **deleted)
        child(header, "identifier", self.identifier(item))
        child(header, "datestamp", datestamp(item_datestamp(item)))
        child(header, "setSpec", f"kind:{item.kind}")
        for group in item.ethnic_groups.all():
            child(header, "setSpec", f"ethnic-group:{group.code}")

    def record(self, parent: ElementTree.Element, item: Item) -> None:
        """A record: its header and its Dublin Core; a deleted record, its header alone."""
        element = child(parent, "record")
        self.header(element, item)
        if isinstance(item, HeritageRecord):
            child(element, "metadata").append(dublin_core(item, self.link))


def arguments(request: HttpRequest) -> dict[str, str]:
    """The request's arguments (query string for GET, form body for POST), each given once,
    each something an XML document can echo."""
    data = request.POST if request.method == "POST" else request.GET
    given: dict[str, str] = {}
    for name, values in data.lists():
        if any(NOT_XML.search(text) for text in (name, *values)):
            raise OAIError("badArgument", "An argument holds characters XML cannot carry.")
        if len(values) > 1 and name == "verb":
            raise OAIError("badVerb", "The verb is repeated.")
        if len(values) > 1:
            raise OAIError("badArgument", f"The argument {name} is repeated.")
        given[name] = values[0]
    return given


def check_arguments(verb: str, given: dict[str, str]) -> None:
    """The verb's arguments, all legal and the required ones present."""
    required, optional = ARGUMENTS[verb]
    names = set(given) - {"verb"}
    exclusive = "resumptionToken" in names and (verb in LIST_VERBS or verb == "ListSets")
    if exclusive and names != {"resumptionToken"}:
        raise OAIError("badArgument", "resumptionToken is an exclusive argument.")
    if exclusive:
        return
    illegal = names - required - optional
    if illegal:
        raise OAIError("badArgument", f"Illegal arguments: {', '.join(sorted(illegal))}.")
    missing = required - names
    if missing:
        raise OAIError("badArgument", f"Missing arguments: {', '.join(sorted(missing))}.")
    if "metadataPrefix" in given and given["metadataPrefix"] != METADATA_PREFIX:
        raise OAIError("cannotDisseminateFormat", f"Only {METADATA_PREFIX} is disseminated here.")


class _TimeFields(TypedDict, total=False):
    """The fields of a datetime that ``parse_moment`` moves to the end of its span."""

    hour: int
    minute: int
    second: int
    microsecond: int


def parse_moment(value: str, end: bool) -> tuple[datetime.datetime, str]:
    """A ``from`` or ``until`` argument: its first instant, or its last (``end``).

    The last instant is the bound itself, so the last day a datetime can hold has one too.
    """
    last: _TimeFields
    if DAY.fullmatch(value):
        granularity, shape = "day", "%Y-%m-%d"
        last = {"hour": 23, "minute": 59, "second": 59, "microsecond": 999999}
    elif SECOND.fullmatch(value):
        granularity, shape, last = "second", "%Y-%m-%dT%H:%M:%SZ", {"microsecond": 999999}
    else:
        raise OAIError("badArgument", f"{value} is not a date with the repository's granularity.")
    try:
        moment = datetime.datetime.strptime(value, shape).replace(tzinfo=datetime.UTC)
    except ValueError:
        raise OAIError("badArgument", f"{value} is not a valid date.") from None
    return (moment.replace(**last) if end else moment), granularity


@dataclass(frozen=True)
class Selection:
    """What a list request selects: public records and tombstones, each in harvest order."""

    records: QuerySet[HeritageRecord]
    tombstones: QuerySet[RecordTombstone]

    def count(self) -> int:
        """How many records and tombstones it holds."""
        return self.records.count() + self.tombstones.count()

    def after(self, moment: datetime.datetime, pk: int) -> "Selection":
        """What comes after a position (datestamp and primary key) in harvest order."""
        return Selection(
            self.records.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk)),
            self.tombstones.filter(Q(deleted_at__gt=moment) | Q(deleted_at=moment, pk__gt=pk)),
        )

    def first_positions(self, size: int) -> list[tuple[datetime.datetime, int, bool]]:
        """The first ``size`` positions in harvest order: datestamp, primary key, and whether it
        is a tombstone. No record and tombstone share a primary key, so the order is total."""
        records = self.records.values_list("updated_at", "pk")[:size]
        tombstones = self.tombstones.values_list("deleted_at", "pk")[:size]
        positions = [(moment, pk, False) for moment, pk in records]
        positions += [(moment, pk, True) for moment, pk in tombstones]
        return sorted(positions)[:size]


def selection(query: dict[str, str]) -> Selection:
    """The public records and tombstones a list request selects (``from``, ``until``, ``set``)."""
    records = harvestable_records()
    tombstones = RecordTombstone.objects.all()
    granularities = set()
    start = end = None
    if query.get("from"):
        start, granularity = parse_moment(query["from"], end=False)
        records = records.filter(updated_at__gte=start)
        tombstones = tombstones.filter(deleted_at__gte=start)
        granularities.add(granularity)
    if query.get("until"):
        end, granularity = parse_moment(query["until"], end=True)
        records = records.filter(updated_at__lte=end)
        tombstones = tombstones.filter(deleted_at__lte=end)
        granularities.add(granularity)
    if len(granularities) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity.")
    if start and end and start > end:
        raise OAIError("badArgument", "from is later than until.")
    if query.get("set"):
        records = records.filter(set_filter(query["set"], HeritageRecord))
        tombstones = tombstones.filter(set_filter(query["set"], RecordTombstone))
    return Selection(records.order_by("updated_at", "pk"), tombstones.order_by("deleted_at", "pk"))


def set_filter(spec: str, model: type[Item]) -> Q:
    """The records (or tombstones) in a set; a set we do not have holds none."""
    kind, _separator, value = spec.partition(":")
    if kind == "kind" and value in HeritageKind.values:
        return Q(kind=value)
    if kind == "ethnic-group" and value:
        return Q(pk__in=model.objects.filter(ethnic_groups__code=value).values("pk"))
    return Q(pk__in=[])


def page_size() -> int:
    """Records per list response."""
    return settings.OAI_PAGE_SIZE


def list_records(
    repository: Repository, verb: str, given: dict[str, str], body: ElementTree.Element
) -> None:
    """ListIdentifiers and ListRecords: one page, and the token for the next."""
    if "resumptionToken" in given:
        try:
            state = signing.loads(given["resumptionToken"], salt=TOKEN_SALT)
        except signing.BadSignature:
            raise OAIError("badResumptionToken", "The resumption token is not valid.") from None
        if state.get("verb") != verb:
            raise OAIError("badResumptionToken", "The resumption token is for another verb.")
        query, cursor = state["query"], state["cursor"]
        after = (datetime.datetime.fromisoformat(state["after"][0]), state["after"][1])
    else:
        query = {key: given[key] for key in ("from", "until", "set") if key in given}
        cursor, after = 0, None
    selected = selection(query)
    total = selected.count()
    remaining = selected if after is None else selected.after(*after)
    positions = remaining.first_positions(page_size() + 1)
    if not positions and cursor == 0:
        raise OAIError("noRecordsMatch", "No records match the request.")
    shown, more = positions[: page_size()], len(positions) > page_size()
    listing = child(body, verb)
    for item in page_items(verb, shown):
        if verb == "ListRecords":
            repository.record(listing, item)
        else:
            repository.header(listing, item)
    if more or cursor:
        token = ""
        if more:
            moment, pk, _deleted = shown[-1]
            token = signing.dumps(
                {
                    "verb": verb,
                    "query": query,
                    "cursor": cursor + len(shown),
                    "after": [moment.isoformat(), pk],
                },
                salt=TOKEN_SALT,
                compress=True,
            )
        child(listing, "resumptionToken", token, completeListSize=str(total), cursor=str(cursor))


def page_items(verb: str, positions: list[tuple[datetime.datetime, int, bool]]) -> list[Item]:
    """The records and tombstones at these positions, in their order, with what is shown of them.

    One that changed since its position was read is left out: it comes again later in the
    harvest, with its new datestamp.
    """
    record_pks = [pk for _moment, pk, deleted in positions if not deleted]
    tombstone_pks = [pk for _moment, pk, deleted in positions if deleted]
    records = harvestable_records().filter(pk__in=record_pks)
    if verb == "ListRecords":
        records = with_dublin_core_relations(records)
    else:
        records = records.prefetch_related("ethnic_groups")
    tombstones = RecordTombstone.objects.filter(pk__in=tombstone_pks)
    found: dict[tuple[int, bool], Item] = {(record.pk, False): record for record in records}
    for tombstone in tombstones.prefetch_related("ethnic_groups"):
        found[(tombstone.pk, True)] = tombstone
    return [found[(pk, deleted)] for _moment, pk, deleted in positions if (pk, deleted) in found]


def identify(repository: Repository, given: dict[str, str], body: ElementTree.Element) -> None:
    """Who the repository is and how it dates records."""
    element = child(body, "Identify")
    child(element, "repositoryName", settings.WAGTAIL_SITE_NAME)
    child(element, "baseURL", repository.base_url)
    child(element, "protocolVersion", "2.0")
    child(element, "adminEmail", settings.OAI_ADMIN_EMAIL)
    moments = [
        harvestable_records().aggregate(earliest=Min("updated_at"))["earliest"],
        RecordTombstone.objects.aggregate(earliest=Min("deleted_at"))["earliest"],
    ]
    earliest = min((moment for moment in moments if moment), default=timezone.now())
    child(element, "earliestDatestamp", datestamp(earliest))
    child(element, "deletedRecord", "persistent")
    child(element, "granularity", GRANULARITY)
    description = child(element, "description")
    scheme = ElementTree.SubElement(
        description,
        f"{{{IDENTIFIER_NS}}}oai-identifier",
        {XSI_LOCATION: f"{IDENTIFIER_NS} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"},
    )
    for name, text in (
        ("scheme", "oai"),
        ("repositoryIdentifier", repository.host),
        ("delimiter", ":"),
        ("sampleIdentifier", f"oai:{repository.host}:heritage/1"),
    ):
        ElementTree.SubElement(scheme, f"{{{IDENTIFIER_NS}}}{name}").text = text


def list_metadata_formats(
    repository: Repository, given: dict[str, str], body: ElementTree.Element
) -> None:
    """The one format, oai_dc, for the repository or for one record, deleted ones included."""
    if "identifier" in given:
        repository.item_for(given["identifier"])
    formats = child(body, "ListMetadataFormats")
    described = child(formats, "metadataFormat")
    child(described, "metadataPrefix", METADATA_PREFIX)
    child(described, "schema", OAI_DC_SCHEMA)
    child(described, "metadataNamespace", OAI_DC_NS)


def list_sets(repository: Repository, given: dict[str, str], body: ElementTree.Element) -> None:
    """Kinds and ethnic groups, named in Vietnamese; the list is short enough for one page."""
    if "resumptionToken" in given:
        raise OAIError("badResumptionToken", "The list of sets comes in one response.")
    sets = child(body, "ListSets")
    with translation.override(DEFAULT_LANGUAGE):
        for kind in HeritageKind:
            element = child(sets, "set")
            child(element, "setSpec", f"kind:{kind.value}")
            child(element, "setName", str(kind.label))
    for code, name in EthnicGroup.objects.order_by("code").values_list("code", "name_vi"):
        element = child(sets, "set")
        child(element, "setSpec", f"ethnic-group:{code}")
        child(element, "setName", name)


def get_record(repository: Repository, given: dict[str, str], body: ElementTree.Element) -> None:
    """One record, by identifier; a deleted record, its header alone."""
    records = with_dublin_core_relations(harvestable_records())
    item = repository.item_for(given["identifier"], records)
    repository.record(child(body, "GetRecord"), item)


VERBS: dict[str, Callable[[Repository, dict[str, str], ElementTree.Element], None]] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": lambda repository, given, body: list_records(
        repository, "ListIdentifiers", given, body
    ),
    "ListRecords": lambda repository, given, body: list_records(
        repository, "ListRecords", given, body
    ),
}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    """Answer one OAI-PMH request; protocol errors are answered as OAI-PMH errors, with 200."""
    repository = Repository(request)
    # OAI-PMH elements are written unqualified under a default namespace declared by hand:
    # ElementTree cannot serialise a default namespace together with unqualified attributes.
    root = ElementTree.Element("OAI-PMH", {"xmlns": OAI_NS, XSI_LOCATION: OAI_SCHEMA})
    child(root, "responseDate", datestamp(timezone.now()))
    echo = child(root, "request", repository.base_url)
    try:
        given = arguments(request)
        verb = given.get("verb", "")
        if verb not in VERBS:
            raise OAIError("badVerb", "The verb is missing, repeated or not an OAI-PMH verb.")
        for name, value in given.items():
            echo.set(name, value)
        check_arguments(verb, given)
        VERBS[verb](repository, given, root)
    except OAIError as error:
        if error.code in ("badVerb", "badArgument"):
            echo.attrib.clear()
        for extra in list(root)[2:]:
            root.remove(extra)
        child(root, "error", error.message, code=error.code)
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


urlpatterns = [path("", endpoint, name="oai")]
"""Included at ``/oai/`` by ``cms.urls``, outside the language prefixes."""
