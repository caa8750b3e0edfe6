"""The spreadsheet layout of heritage records, shared by the import and the export.

``COLUMNS`` is the order the export writes; ``RecordValues`` is a record as the layout sees it,
built either from a spreadsheet row (``heritage.importing.rows``) or from the database
(``heritage.importing.loading``), so that comparing the two tells whether a row changes anything.
The cell codecs here turn values into cells and back; each decoder accepts what its encoder
writes, which is what makes export → import a no-op.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from cms.languages import LANGUAGE_CODES
from cms.text import nfc
from heritage.models import Place

TRANSLATED_FIELDS = ("title", "summary", "description", "season", "content_warning_note")
"""The record's translated fields; each has one column per content language."""


def translated(name: str) -> list[str]:
    """``name_vi``, ``name_en``… for every content language."""
    return [f"{name}_{code}" for code in LANGUAGE_CODES]


COLUMNS: list[str] = [
    "external_id",
    "kind",
    "slug",
    *translated("title"),
    *translated("summary"),
    *translated("description"),
    "ethnic_groups",
    "places",
    "practitioners",
    "date_rule",
    "date_month",
    "date_day",
    "date_leap_month",
    "duration_days",
    *translated("season"),
    "season_start_month",
    "season_end_month",
    "recorded_by",
    "recorded_on",
    "recording_place",
    "consent_obtained",
    "consent_given_by",
    "rights_statement",
    "rights_holder",
    "content_warnings",
    *translated("content_warning_note"),
    "protocol",
    "communities",
    "labels",
    "sources",
    "media",
]
REQUIRED_COLUMNS = ("external_id", "title_vi")
RELATION_COLUMNS = ("ethnic_groups", "places", "communities", "labels", "sources", "media")
"""Columns that hold related rows rather than a field of the record itself."""

TEXT_COLUMNS = frozenset(
    [
        *(column for name in TRANSLATED_FIELDS for column in translated(name)),
        "recorded_by",
        "consent_given_by",
        "rights_holder",
    ]
)
INTEGER_COLUMNS = frozenset(
    ["date_month", "date_day", "duration_days", "season_start_month", "season_end_month"]
)
BOOLEAN_COLUMNS = frozenset(["date_leap_month", "consent_obtained"])
CHOICE_COLUMNS = frozenset(["kind", "date_rule", "rights_statement", "protocol"])

LIST_SEPARATOR = ";"
PRACTITIONER_SEPARATOR = " | "
SOURCE_SEPARATOR = " || "
PATH_SEPARATOR = "/"
UNTIL_MARK = "@"
TRUE_WORDS = frozenset(["yes", "true", "1", "có", "x"])
FALSE_WORDS = frozenset(["no", "false", "0", "không", ""])
SOURCE_WITH_LINK = re.compile(r"^(?P<citation>.*?)\s*<(?P<url>[^<>\s]+)>$", re.DOTALL)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A CSV cell starting with one of these runs as a formula in spreadsheet programs."""


class CellError(ValueError):
    """A cell that cannot be read, with the reason in the active language."""


@dataclass
class RecordValues:
    """A record as the spreadsheet describes it: only the columns a file has are present.

    ``fields`` maps model attribute names (``title_vi``, ``recording_place_id``…) to values;
    ``relations`` maps the relation columns to frozensets of primary keys (ethnic groups, places,
    communities) or tuples of items (labels, sources, media), each item a tuple of its values.
    """

    fields: dict[str, Any] = field(default_factory=dict)
    relations: dict[str, Any] = field(default_factory=dict)


LABEL_KEYS = ("label", *translated("explanation"))
SOURCE_KEYS = ("citation", "url")
MEDIA_TARGETS = ("file", "image", "media")
MEDIA_KEYS = ("target", *translated("caption"), "credit", "protocol")
"""A media item's values; its target is ``("file", path)``, ``("image", pk)``, ``("media", pk)``."""


def clean_text(value: Any) -> str:
    """Text as it is compared and stored: NFC, Unix line breaks, no surrounding space."""
    if value is None:
        return ""
    return nfc(str(value).replace("\r\n", "\n").replace("\r", "\n").strip())


def split_list(cell: str, separator: str = LIST_SEPARATOR) -> list[str]:
    """The non-empty items of a separated cell, stripped."""
    return [item.strip() for item in cell.split(separator) if item.strip()]


def parse_boolean(cell: str) -> bool:
    """A yes/no cell."""
    word = cell.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("Write yes or no, not “%(value)s”.") % {"value": cell})


def parse_integer(cell: str) -> int | None:
    """A whole number, or ``None`` when empty; spreadsheets may write ``3.0``."""
    text = cell.strip()
    if not text:
        return None
    try:
        number = float(text) if "." in text else int(text)
    except ValueError:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": cell}) from None
    if number != int(number):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": cell})
    return int(number)


def parse_date(cell: str) -> datetime.date | None:
    """An ISO date (2024-03-15), or ``None`` when empty."""
    text = cell.strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10] if "T" in text else text)
    except ValueError:
        raise CellError(
            _("“%(value)s” is not a date written as YYYY-MM-DD.") % {"value": cell}
        ) from None


def format_boolean(value: bool) -> str:
    """The cell for a yes/no value."""
    return "yes" if value else "no"


def format_value(value: Any) -> str:
    """The cell for a plain field value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return format_boolean(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def protect_formula(cell: str) -> str:
    """Quote a CSV cell a spreadsheet program would run as a formula; ``unprotect`` undoes it."""
    if cell.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def unprotect_formula(cell: str) -> str:
    """The cell as it was before ``protect_formula``."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def parse_json_items(cell: str, keys: tuple[str, ...], required: tuple[str, ...]) -> list[dict]:
    """A JSON list of objects with only ``keys``, each with the ``required`` ones."""
    try:
        items = json.loads(cell)
    except ValueError as error:
        raise CellError(_("This is not valid JSON: %(error)s.") % {"error": error}) from None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise CellError(_("Write a JSON list of objects, [{…}, {…}]."))
    for item in items:
        unknown = sorted(set(item) - set(keys))
        if unknown:
            raise CellError(_("Unknown key “%(key)s”.") % {"key": unknown[0]})
        missing = [key for key in required if key not in item]
        if missing:
            raise CellError(_("An item has no “%(key)s”.") % {"key": missing[0]})
        for key, value in item.items():
            if not isinstance(value, str | int) or isinstance(value, bool):
                raise CellError(_("“%(key)s” must be text.") % {"key": key})
    return items


def is_json_list(cell: str) -> bool:
    """Whether a list cell is written in its JSON form."""
    return cell.lstrip().startswith("[")


def dump_json(items: list[dict[str, Any]]) -> str:
    """A JSON list cell: compact, readable non-Latin text, empty values left out."""
    kept = [
        {key: value for key, value in item.items() if value not in ("", None)} for item in items
    ]
    return json.dumps(kept, ensure_ascii=False, separators=(", ", ": "))


def parse_labels(cell: str) -> tuple[tuple[str, ...], ...]:
    """Label codes separated by ``;``, or a JSON list carrying their explanations."""
    if not is_json_list(cell):
        return tuple((code, *[""] * (len(LABEL_KEYS) - 1)) for code in split_list(cell))
    items = parse_json_items(cell, LABEL_KEYS, required=("label",))
    return tuple(tuple(clean_text(item.get(key)) for key in LABEL_KEYS) for item in items)


def format_labels(labels: tuple[tuple[str, ...], ...]) -> str:
    """The short form when no label has an explanation of its own, JSON otherwise."""
    if all(not any(label[1:]) for label in labels):
        return f"{LIST_SEPARATOR} ".join(label[0] for label in labels)
    return dump_json([dict(zip(LABEL_KEYS, label, strict=True)) for label in labels])


def parse_sources(cell: str) -> tuple[tuple[str, str], ...]:
    """Citations separated by `` || ``, each optionally ending ``<url>``, or a JSON list."""
    if is_json_list(cell):
        items = parse_json_items(cell, SOURCE_KEYS, required=("citation",))
        return tuple((clean_text(item["citation"]), clean_text(item.get("url"))) for item in items)
    sources = []
    for part in split_list(cell, SOURCE_SEPARATOR.strip()):
        match = SOURCE_WITH_LINK.match(part)
        if match:
            sources.append((clean_text(match["citation"]), match["url"]))
        else:
            sources.append((clean_text(part), ""))
    return tuple(sources)


def format_sources(sources: tuple[tuple[str, str], ...]) -> str:
    """The short form when every source reads back unchanged from it, JSON otherwise."""
    parts = [f"{citation} <{url}>" if url else citation for citation, url in sources]
    short = SOURCE_SEPARATOR.join(parts)
    if parse_sources(short) == sources and not is_json_list(short):
        return short
    return dump_json([{"citation": citation, "url": url} for citation, url in sources])


def parse_media(cell: str) -> tuple[tuple[Any, ...], ...]:
    """Paths in the ZIP or ``image:12`` / ``media:7`` separated by ``;``, or a JSON list."""
    if not is_json_list(cell):
        blank = ("",) * (len(MEDIA_KEYS) - 3)
        return tuple((parse_media_target(item), *blank, "", "public") for item in split_list(cell))
    items = parse_json_items(cell, (*MEDIA_TARGETS, *MEDIA_KEYS[1:]), required=())
    media = []
    for item in items:
        targets = [key for key in MEDIA_TARGETS if key in item]
        if len(targets) != 1:
            raise CellError(_("Give each media item one of “file”, “image” or “media”."))
        kind = targets[0]
        text = str(item[kind]).strip()
        target = parse_media_target(text if kind == "file" else f"{kind}:{text}")
        values = [clean_text(item.get(key)) for key in MEDIA_KEYS[1:]]
        values[-1] = values[-1] or "public"
        media.append((target, *values))
    return tuple(media)


def parse_media_target(text: str) -> tuple[str, Any]:
    """``image:12`` and ``media:7`` name what the library holds; anything else is a path."""
    kind, _separator, number = text.partition(":")
    if kind in ("image", "media") and number:
        if not number.strip().isdigit():
            raise CellError(
                _("“%(value)s” is not image:<number> or media:<number>.") % {"value": text}
            )
        return (kind, int(number))
    return ("file", text)


def format_media(media: tuple[tuple[Any, ...], ...]) -> str:
    """The short form when no item has a caption, credit or protocol of its own, JSON otherwise."""

    def target(item: tuple[Any, ...]) -> str:
        kind, value = item[0]
        return value if kind == "file" else f"{kind}:{value}"

    plain = all(not any(item[1:-1]) and item[-1] == "public" for item in media)
    if plain and not any(LIST_SEPARATOR in target(item) for item in media):
        return f"{LIST_SEPARATOR} ".join(target(item) for item in media)
    items = []
    for item in media:
        kind, value = item[0]
        entry: dict[str, Any] = {kind: value}
        entry.update(zip(MEDIA_KEYS[1:], item[1:], strict=True))
        if entry["protocol"] == "public":
            del entry["protocol"]
        items.append(entry)
    return dump_json(items)


@dataclass(frozen=True)
class _Unit:
    """What the directory knows of a place."""

    name: str
    parent_id: int | None
    valid_until: datetime.date | None
    gso_code: str


class PlaceDirectory:
    """Every place, found by GSO code or by name path; loaded once per import or export.

    A place's reference is its GSO code when that code names it alone, otherwise its path of
    names from the top-level unit, ``Lào Cai/Xã Bản Hồ``, where a unit no longer in force
    carries the last day it was in force: ``Hà Giang@2025-06-30``.
    """

    def __init__(self) -> None:
        self.units: dict[int, _Unit] = {
            pk: _Unit(name, parent_id, valid_until, gso_code)
            for pk, name, parent_id, valid_until, gso_code in Place.objects.values_list(
                "pk", "name", "parent_id", "valid_until", "gso_code"
            )
        }
        self.children: dict[tuple[int | None, str], list[int]] = {}
        self.by_code: dict[str, list[int]] = {}
        for pk, unit in self.units.items():
            self.children.setdefault((unit.parent_id, unit.name), []).append(pk)
            if unit.gso_code:
                self.by_code.setdefault(unit.gso_code, []).append(pk)
        self._references: dict[int, str] = {}

    def segment(self, pk: int) -> str:
        """One unit's part of a path: its name, and its last day if no longer in force."""
        unit = self.units[pk]
        if unit.valid_until is None:
            return unit.name
        return f"{unit.name}{UNTIL_MARK}{unit.valid_until.isoformat()}"

    def path(self, pk: int) -> str:
        """The names from the top-level unit down to this one."""
        segments: list[str] = []
        current: int | None = pk
        while current is not None and len(segments) <= len(self.units):
            segments.append(self.segment(current))
            current = self.units[current].parent_id
        return PATH_SEPARATOR.join(reversed(segments))

    def reference(self, pk: int) -> str:
        """The cell that names the place: its GSO code if unambiguous, else its path."""
        if pk not in self._references:
            code = self.units[pk].gso_code
            self._references[pk] = code if code and self._by_code(code) == pk else self.path(pk)
        return self._references[pk]

    def _by_code(self, code: str) -> int | None:
        """The place a GSO code names: the only one, or the only one in force."""
        found = self.by_code.get(code, [])
        if len(found) == 1:
            return found[0]
        current = [pk for pk in found if self.units[pk].valid_until is None]
        return current[0] if len(current) == 1 else None

    def resolve(self, text: str) -> int:
        """The place a cell names; raise ``CellError`` saying why none or several match."""
        text = text.strip()
        if text.isdigit():
            found = self._by_code(text)
            if found is None:
                if self.by_code.get(text):
                    raise CellError(
                        _("Several places have the GSO code “%(code)s”; write the name path.")
                        % {"code": text}
                    )
                raise CellError(_("No place has the GSO code “%(code)s”.") % {"code": text})
            return found
        candidates: list[int | None] = [None]
        written: list[str] = []
        for segment in text.split(PATH_SEPARATOR):
            name, until = self._parse_segment(segment)
            candidates = [
                pk
                for parent in candidates
                for pk in self.children.get((parent, name), [])
                if until is None or self.units[pk].valid_until == until
            ]
            if not candidates:
                if written:
                    raise CellError(
                        _("No place “%(name)s” in %(parent)s.")
                        % {"name": segment.strip(), "parent": PATH_SEPARATOR.join(written)}
                    )
                raise CellError(_("No place “%(name)s”.") % {"name": segment.strip()})
            written.append(segment.strip())
        if len(candidates) > 1:
            candidates = [pk for pk in candidates if pk and self.units[pk].valid_until is None]
        if len(candidates) != 1 or candidates[0] is None:
            raise CellError(
                _(
                    "“%(place)s” names several places; write its GSO code, or the last day a "
                    "former unit was in force after @, e.g. Hà Giang@2025-06-30."
                )
                % {"place": text}
            )
        return candidates[0]

    @staticmethod
    def _parse_segment(segment: str) -> tuple[str, datetime.date | None]:
        """A name, and the last day in force when written after ``@``."""
        name, mark, until = segment.partition(UNTIL_MARK)
        name = name.strip()
        if not name:
            raise CellError(_("A place name is missing between the slashes."))
        if not mark:
            return name, None
        try:
            return name, datetime.date.fromisoformat(until.strip())
        except ValueError:
            raise CellError(
                _("“%(value)s” after @ is not a date written as YYYY-MM-DD.") % {"value": until}
            ) from None
