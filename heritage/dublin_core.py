"""Heritage records as simple Dublin Core (``oai_dc``): one serializer for the export and OAI-PMH.

Each record becomes an ``oai_dc:dc`` element valid against the OAI-PMH ``oai_dc`` schema:

- ``dc:title``, ``dc:description`` (summary, then description): one element per language that
  has text, marked with ``xml:lang``;
- ``dc:subject``: the kind of heritage and the ethnic groups (Vietnamese and English names);
- ``dc:coverage``: the places, then today's province of each where that is another unit;
- ``dc:date``: the day it was recorded; ``dc:type``: the DCMI type, ``Event`` for festivals,
  rituals and performing arts, ``Text`` for the rest;
- ``dc:rights``: the rights statement's URI and the rights holder;
- ``dc:creator``: who recorded it; ``dc:contributor``: its practitioners;
- ``dc:identifier``: the record's public URL; ``dc:source``: its sources;
- ``dc:language``: the languages it is written in; ``dc:publisher``: the site.

Only what a public record page shows goes out: no consent details, narratives or media.
"""

from collections.abc import Callable, Iterable
from xml.etree import ElementTree

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import translation
from wagtail.models import Site

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from heritage.display import places_with_provinces
from heritage.models import HeritageKind, HeritageRecord, Place
from heritage.models.pages import heritage_index

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
EVENT_KINDS = {HeritageKind.FESTIVAL, HeritageKind.RITUAL, HeritageKind.PERFORMING_ART}
"""Kinds described as DCMI ``Event``s; the other records are ``Text``."""

ElementTree.register_namespace("oai_dc", OAI_DC_NS)
ElementTree.register_namespace("dc", DC_NS)
ElementTree.register_namespace("xsi", XSI_NS)

RecordLink = Callable[[HeritageRecord], str | None]


def with_dublin_core_relations(records: QuerySet[HeritageRecord]) -> QuerySet[HeritageRecord]:
    """Fetch what the serializer reads, for a page of records, in a few queries."""
    places = Place.objects.select_related("parent__parent").prefetch_related(
        "successors__parent__parent"
    )
    return records.prefetch_related("ethnic_groups", Prefetch("places", places), "sources")


def record_link(site: Site | None = None) -> RecordLink:
    """How to link to a record: its slug under the archive page's Vietnamese URL, if any."""
    index = heritage_index(site or Site.objects.filter(is_default_site=True).first())
    if index is None:
        return lambda record: None
    base = index.full_url_in(DEFAULT_LANGUAGE)
    return lambda record: f"{base}{record.slug}/"


def dublin_core(record: HeritageRecord, link: RecordLink) -> ElementTree.Element:
    """The record as an ``oai_dc:dc`` element."""
    root = ElementTree.Element(
        f"{{{OAI_DC_NS}}}dc", {f"{{{XSI_NS}}}schemaLocation": f"{OAI_DC_NS} {OAI_DC_SCHEMA}"}
    )

    def add(name: str, text: str | None, language: str = "") -> None:
        if text and text.strip():
            element = ElementTree.SubElement(root, f"{{{DC_NS}}}{name}")
            element.text = text.strip()
            if language:
                element.set(XML_LANG, language)

    for name in ("title", "summary", "description"):
        for code in LANGUAGE_CODES:
            add(
                "title" if name == "title" else "description",
                getattr(record, f"{name}_{code}"),
                code,
            )
    for code in (DEFAULT_LANGUAGE, "en"):
        with translation.override(code):
            add("subject", str(HeritageKind(record.kind).label), code)
    for group in record.ethnic_groups.all():
        add("subject", group.name_vi, "vi")
        add("subject", group.name_en, "en")
    for item in places_with_provinces(list(record.places.all())):
        add("coverage", item.place.name)
        if item.moved and item.province is not None:
            add("coverage", item.province.name)
    if record.recorded_on:
        add("date", record.recorded_on.isoformat())
    add("type", "Event" if record.kind in EVENT_KINDS else "Text")
    add("rights", record.rights_statement)
    add("rights", record.rights_holder)
    add("creator", record.recorded_by)
    for name in record.practitioner_names():
        add("contributor", name)
    add("identifier", link(record))
    for source in record.sources.all():
        add("source", f"{source.citation} <{source.url}>" if source.url else source.citation)
    for code in LANGUAGE_CODES:
        if getattr(record, f"title_{code}"):
            add("language", code)
    add("publisher", settings.WAGTAIL_SITE_NAME)
    return root


def dublin_core_document(records: Iterable[HeritageRecord], link: RecordLink) -> bytes:
    """An XML document of ``oai_dc:dc`` elements, one per record, under a ``records`` root."""
    root = ElementTree.Element("records")
    root.extend(dublin_core(record, link) for record in records)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
