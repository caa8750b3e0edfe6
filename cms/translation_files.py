"""Translation files for translators working offline: XLIFF 2.1 and PO, written and read back.

Both hold the same things: the target language, the site they come from, how many units they
hold, and for each item (a page, a record, a snippet) its units, each with the Vietnamese source,
the current translation, a label saying where the text is, and notes (rich text whose markup is
kept, a length limit, a translation that is outdated) and the glossary's terms found in the
Vietnamese (XLIFF's Glossary module; PO comments). Rich text travels as its HTML, escaped.

In XLIFF each item is a ``<file>`` whose id is the item's key and each unit a ``<unit>`` whose id
is the unit's key; the site and the count are attributes of our own namespace on ``<xliff>``. A
translation the translator vouches for has its segment in state ``translated`` (or ``reviewed``,
``final``); one still to check is ``initial``. In PO each unit is an entry whose context is
``<item key>#<unit key>``; the site and the count are header fields, and a translation still to
check is ``fuzzy``.

Reading refuses, with the reason, anything this module did not write the shape of: another
format, malformed or truncated XML or PO, a source language other than Vietnamese, units split
or marked up by a tool in ways that cannot be put back.
"""

from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

import polib
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.utils.translation import gettext as _
from lxml.etree import Element as Node
from lxml.etree import SubElement, tostring

from cms.languages import DEFAULT_LANGUAGE
from cms.models.glossary import GlossaryTerm
from cms.po_files import UnreadableUpload, parse_po, po_header, utf8_text
from cms.text import nfc
from cms.translation_units import TextUnit

XLIFF = "urn:oasis:names:tc:xliff:document:2.0"
"""XLIFF 2.1 keeps the namespace of 2.0."""
OURS = "urn:banlang:translation:1"
GLOSSARY = "urn:oasis:names:tc:xliff:glossary:2.0"
CONTEXT = "#"
VOUCHED_STATES = frozenset({"translated", "reviewed", "final"})


@dataclass
class ExportedItem:
    """One item of a translation file: its key (``cms.articlepage.12``), title and units,
    which of its units are outdated in the file's language, and the glossary terms in them."""

    key: str
    title: str
    units: list[TextUnit]
    outdated: set[str] = field(default_factory=set)
    terms: dict[str, list[GlossaryTerm]] = field(default_factory=dict)
    """The glossary's terms in each unit's Vietnamese, by unit key."""


@dataclass(frozen=True)
class FileUnit:
    """A unit as read from a translation file."""

    item: str
    key: str
    source: str
    target: str
    vouched: bool
    """Whether the translator marked the translation as done (not ``initial``, not fuzzy)."""


@dataclass
class TranslationFile:
    """What a translation file says."""

    language: str
    site: str
    declared_units: int | None
    units: list[FileUnit]


class UnreadableFile(ValueError):
    """The file is not a translation file of ours, or is damaged: the message says why."""


def _notes(unit: TextUnit, outdated: bool) -> list[tuple[str, str]]:
    notes = [("location", unit.label)]
    if unit.html:
        notes.append(("format", _("HTML: keep every tag and link as it is.")))
    if unit.max_length:
        notes.append(
            ("max-length", _("At most %(limit)d characters.") % {"limit": unit.max_length})
        )
    if outdated:
        notes.append(("state", _("Outdated: the Vietnamese changed since this was translated.")))
    return notes


def write_xliff(items: list[ExportedItem], language: str, site: str) -> bytes:
    """``items`` as an XLIFF 2.1 document translating Vietnamese into ``language``."""
    root = Node(
        f"{{{XLIFF}}}xliff",
        nsmap={None: XLIFF, "bl": OURS, "gls": GLOSSARY},
        attrib={
            "version": "2.1",
            "srcLang": DEFAULT_LANGUAGE,
            "trgLang": language,
            f"{{{OURS}}}site": site,
            f"{{{OURS}}}units": str(sum(len(item.units) for item in items)),
        },
    )
    for item in items:
        document = SubElement(root, f"{{{XLIFF}}}file", {"id": item.key})
        notes = SubElement(document, f"{{{XLIFF}}}notes")
        SubElement(notes, f"{{{XLIFF}}}note", {"category": "title"}).text = item.title
        for unit in item.units:
            element = SubElement(document, f"{{{XLIFF}}}unit", {"id": unit.key})
            if item.terms.get(unit.key):
                _glossary(element, item.terms[unit.key])
            notes = SubElement(element, f"{{{XLIFF}}}notes")
            for category, text in _notes(unit, unit.state_unit in item.outdated):
                SubElement(notes, f"{{{XLIFF}}}note", {"category": category}).text = text
            vouched = unit.translation and unit.state_unit not in item.outdated
            segment = SubElement(
                element, f"{{{XLIFF}}}segment", {"state": "translated" if vouched else "initial"}
            )
            SubElement(segment, f"{{{XLIFF}}}source").text = unit.source
            if unit.translation:
                SubElement(segment, f"{{{XLIFF}}}target").text = unit.translation
    return tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)


def _glossary(unit: Any, terms: list[GlossaryTerm]) -> None:
    """Add the XLIFF 2 Glossary module's entries for ``terms`` to ``unit``."""
    glossary = SubElement(unit, f"{{{GLOSSARY}}}glossary")
    for term in terms:
        entry = SubElement(glossary, f"{{{GLOSSARY}}}glossEntry")
        SubElement(entry, f"{{{GLOSSARY}}}term", {"source": "banlang"}).text = term.term
        SubElement(entry, f"{{{GLOSSARY}}}translation").text = term.translation
        if term.note:
            SubElement(entry, f"{{{GLOSSARY}}}definition").text = term.note


def write_po(items: list[ExportedItem], language: str, site: str) -> bytes:
    """``items`` as a PO catalogue translating Vietnamese into ``language``."""
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = {
        **po_header(language),
        "X-Source-Language": DEFAULT_LANGUAGE,
        "X-Banlang-Site": site,
        "X-Banlang-Units": str(sum(len(item.units) for item in items)),
    }
    for item in items:
        for unit in item.units:
            outdated = unit.state_unit in item.outdated
            notes = [
                item.title,
                *(text for _category, text in _notes(unit, outdated)),
                *(
                    _("Glossary: %(term)s → %(translation)s")
                    % {"term": term.term, "translation": term.translation}
                    for term in item.terms.get(unit.key, [])
                ),
            ]
            catalogue.append(
                polib.POEntry(
                    msgctxt=f"{item.key}{CONTEXT}{unit.key}",
                    msgid=unit.source,
                    msgstr=unit.translation,
                    comment="\n".join(notes),
                    flags=["fuzzy"] if unit.translation and outdated else [],
                )
            )
    return str(catalogue).encode()


def read(data: bytes) -> TranslationFile:
    """The translation file ``data``, XLIFF or PO as its first characters say."""
    try:
        text = utf8_text(data)
        return _read_xliff(text) if text.lstrip().startswith("<") else _read_po(text)
    except UnreadableUpload as error:
        raise UnreadableFile(str(error)) from error


def _text_of(element: Element | None, unit: str) -> str:
    if element is None:
        return ""
    if len(element):
        raise UnreadableFile(
            _("Unit %(unit)s holds XML markup a tool added; keep its text as plain text.")
            % {"unit": unit}
        )
    return nfc(element.text or "")


def _count(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def _read_xliff(text: str) -> TranslationFile:
    try:
        root = fromstring(text)
    except ParseError as error:
        line, column = error.position
        raise UnreadableFile(
            _(
                "The file is not well-formed XML (line %(line)d, column %(column)d): "
                "it may be cut short."
            )
            % {"line": line, "column": column}
        ) from error
    except DefusedXmlException as error:
        raise UnreadableFile(
            _("The file declares entities or a DTD, which are refused.")
        ) from error
    if root.tag != f"{{{XLIFF}}}xliff" or not root.get("version", "").startswith("2."):
        raise UnreadableFile(_("The file is not XLIFF 2."))
    if root.get("srcLang") != DEFAULT_LANGUAGE:
        raise UnreadableFile(_("The file does not translate from Vietnamese."))
    units = []
    for document in root.iter(f"{{{XLIFF}}}file"):
        for element in document.iter(f"{{{XLIFF}}}unit"):
            key = element.get("id", "")
            segments = element.findall(f"{{{XLIFF}}}segment")
            if len(segments) != 1:
                raise UnreadableFile(
                    _("Unit %(unit)s is split into %(count)d segments; join them into one.")
                    % {"unit": key, "count": len(segments)}
                )
            segment = segments[0]
            units.append(
                FileUnit(
                    item=document.get("id", ""),
                    key=key,
                    source=_text_of(segment.find(f"{{{XLIFF}}}source"), key),
                    target=_text_of(segment.find(f"{{{XLIFF}}}target"), key),
                    vouched=segment.get("state", "translated") in VOUCHED_STATES,
                )
            )
    return TranslationFile(
        language=root.get("trgLang", ""),
        site=root.get(f"{{{OURS}}}site", ""),
        declared_units=_count(root.get(f"{{{OURS}}}units")),
        units=units,
    )


def _read_po(text: str) -> TranslationFile:
    catalogue = parse_po(text)
    if catalogue.metadata.get("X-Source-Language", DEFAULT_LANGUAGE) != DEFAULT_LANGUAGE:
        raise UnreadableFile(_("The file does not translate from Vietnamese."))
    units = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        item, _separator, key = (entry.msgctxt or "").partition(CONTEXT)
        if entry.msgid_plural:
            raise UnreadableFile(_("Unit %(unit)s has plural forms.") % {"unit": key})
        units.append(
            FileUnit(
                item=item,
                key=key,
                source=nfc(entry.msgid),
                target=nfc(entry.msgstr),
                vouched="fuzzy" not in entry.flags,
            )
        )
    return TranslationFile(
        language=catalogue.metadata.get("Language", ""),
        site=catalogue.metadata.get("X-Banlang-Site", ""),
        declared_units=_count(catalogue.metadata.get("X-Banlang-Units")),
        units=units,
    )
