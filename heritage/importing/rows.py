"""Reading one spreadsheet row into a record's values, and checking them against the models."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from heritage.festival_dates import DateRule
from heritage.importing.layout import (
    BOOLEAN_COLUMNS,
    CHOICE_COLUMNS,
    INTEGER_COLUMNS,
    LABEL_KEYS,
    MEDIA_KEYS,
    TEXT_COLUMNS,
    TRANSLATED_FIELDS,
    CellError,
    PlaceDirectory,
    RecordValues,
    clean_text,
    parse_boolean,
    parse_date,
    parse_integer,
    parse_labels,
    parse_media,
    parse_sources,
    split_list,
)
from heritage.labels import ContentWarning, LocalContextsLabel, RightsStatement
from heritage.models import (
    CommunityGroup,
    EthnicGroup,
    HeritageKind,
    HeritageRecord,
    RecordLabel,
    RecordMedia,
    RecordSource,
)
from heritage.protocols import CulturalProtocol

CHOICES: dict[str, type[models.TextChoices]] = {
    "kind": HeritageKind,
    "date_rule": DateRule,
    "rights_statement": RightsStatement,
    "protocol": CulturalProtocol,
}
DEFAULTS: dict[str, Any] = {
    "duration_days": HeritageRecord._meta.get_field("duration_days").default,
    "rights_statement": RightsStatement.COPYRIGHT_NOT_EVALUATED.value,
    "date_rule": DateRule.NONE.value,
}
"""What an empty cell means where the field has a default."""

CHECKED_ELSEWHERE = [
    "recording_place",
    "latest_revision",
    "live_revision",
    "locked_by",
    "consent_document",
]
"""Foreign keys and files ``full_clean`` would look up row by row; the import checks them itself."""

TRANSLATION_NAMES = frozenset(
    f"{name}_{code}"
    for name in (*TRANSLATED_FIELDS, "explanation", "caption")
    for code in LANGUAGE_CODES
)
"""The translation fields of records, labels and media items."""

RowProblems = list[tuple[str, str]]
"""(column, message) pairs; an empty column means the row as a whole."""
Reader = Callable[[str, "References"], Any]


class References:
    """The reference data that rows name, loaded once: ethnic groups, communities and places."""

    def __init__(self) -> None:
        self.groups: dict[str, int] = dict(EthnicGroup.objects.values_list("code", "pk"))
        self.group_codes: dict[int, str] = {pk: code for code, pk in self.groups.items()}
        self.communities: dict[str, int] = dict(CommunityGroup.objects.values_list("name", "pk"))
        self.community_names: dict[int, str] = {pk: n for n, pk in self.communities.items()}
        self.places = PlaceDirectory()

    def group(self, code: str) -> int:
        """An ethnic group by GSO code; spreadsheets may have dropped the leading zero."""
        code = code.zfill(2) if code.isdigit() else code
        if code not in self.groups:
            raise CellError(_("No ethnic group has the GSO code “%(code)s”.") % {"code": code})
        return self.groups[code]

    def community(self, name: str) -> int:
        """A community group by its exact name."""
        if name not in self.communities:
            raise CellError(_("No community group is called “%(name)s”.") % {"name": name})
        return self.communities[name]


def parse_row(row: dict[str, str], references: References) -> tuple[RecordValues, RowProblems]:
    """The values of the columns a row has, and what is wrong with its cells."""
    values = RecordValues()
    problems: RowProblems = []
    for column, cell in row.items():
        target, name, read = READERS[column]
        try:
            getattr(values, target)[name] = read(cell, references)
        except CellError as error:
            problems.append((column, str(error)))
    if values.fields.get("slug") == "":
        del values.fields["slug"]
    return values, problems


def read_integer(column: str) -> Reader:
    """A reader of whole numbers, empty meaning the column's default."""

    def read(cell: str, references: References) -> int | None:
        number = parse_integer(cell)
        return DEFAULTS.get(column) if number is None else number

    return read


def read_choice_in(column: str) -> Reader:
    """A reader of the column's choices."""
    return lambda cell, references: read_choice(column, clean_text(cell))


def read_place(cell: str, references: References) -> int | None:
    """One place, or none."""
    text = clean_text(cell)
    return references.places.resolve(text) if text else None


def read_practitioners(cell: str, references: References) -> str:
    """Names separated by `` | `` or line breaks, stored one per line."""
    names = [clean_text(name) for line in cell.splitlines() for name in line.split("|")]
    return "\n".join(name for name in names if name)


def read_text(cell: str, references: References) -> str:
    """Plain text."""
    return clean_text(cell) if cell else ""


READERS: dict[str, tuple[str, str, Reader]] = {
    "external_id": ("fields", "external_id", read_text),
    "slug": ("fields", "slug", read_text),
    **{column: ("fields", column, read_text) for column in TEXT_COLUMNS},
    **{column: ("fields", column, read_choice_in(column)) for column in CHOICE_COLUMNS},
    **{column: ("fields", column, read_integer(column)) for column in INTEGER_COLUMNS},
    **{
        column: ("fields", column, lambda cell, refs: parse_boolean(cell))
        for column in BOOLEAN_COLUMNS
    },
    "recorded_on": ("fields", "recorded_on", lambda cell, refs: parse_date(cell)),
    "recording_place": ("fields", "recording_place_id", read_place),
    "practitioners": ("fields", "practitioners", read_practitioners),
    "content_warnings": (
        "fields",
        "content_warnings",
        lambda cell, refs: read_warnings(split_list(clean_text(cell))),
    ),
    "ethnic_groups": ("relations", "ethnic_groups", lambda cell, refs: read_set(cell, refs.group)),
    "places": ("relations", "places", lambda cell, refs: read_set(cell, refs.places.resolve)),
    "communities": (
        "relations",
        "communities",
        lambda cell, refs: read_set(cell, refs.community),
    ),
    "labels": ("relations", "labels", lambda cell, refs: read_labels(clean_text(cell))),
    "sources": ("relations", "sources", lambda cell, refs: parse_sources(clean_text(cell))),
    "media": ("relations", "media", lambda cell, refs: parse_media(clean_text(cell))),
}
"""For each column: where its value goes (``fields`` or ``relations``), under which name, and
the function that reads its cell."""


def read_choice(column: str, text: str) -> str:
    """One of the column's choices; empty means its default, except for the protocol."""
    if not text:
        if column == "protocol":
            raise CellError(
                _("Give the cultural protocol: public, community, restricted or secret-sacred.")
            )
        return DEFAULTS.get(column, "")
    allowed = CHOICES[column].values
    if text not in allowed:
        raise CellError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(value for value in allowed if value)}
        )
    return text


def read_warnings(codes: list[str]) -> list[str]:
    """Content warning codes, each once, in the order given."""
    unknown = [code for code in codes if code not in ContentWarning.values]
    if unknown:
        raise CellError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": unknown[0], "choices": ", ".join(ContentWarning.values)}
        )
    return list(dict.fromkeys(codes))


def read_set(cell: str, find: Callable[[str], int]) -> frozenset[int]:
    """The primary keys the ``;``-separated items of a cell name."""
    return frozenset(find(item) for item in split_list(clean_text(cell)))


def read_labels(cell: str) -> tuple[tuple[str, ...], ...]:
    """Labels, each a known Local Contexts code listed once."""
    labels = parse_labels(cell)
    codes = [label[0] for label in labels]
    for code in codes:
        if code not in LocalContextsLabel.values:
            raise CellError(_("“%(code)s” is not a Local Contexts label code.") % {"code": code})
        if codes.count(code) > 1:
            raise CellError(_("The label “%(code)s” is listed twice.") % {"code": code})
    return labels


def check_record(record: HeritageRecord) -> RowProblems:
    """Run the model's own validation (fields and ``clean``), as the admin form would."""
    try:
        record.full_clean(
            exclude=CHECKED_ELSEWHERE, validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return validation_problems(error, "")
    return []


def check_items(values: RecordValues) -> RowProblems:
    """Validate each label, source and media item of the row with its model."""
    problems: RowProblems = []
    relations = values.relations
    for label in relations.get("labels", ()):
        item = RecordLabel(**dict(zip(LABEL_KEYS, label, strict=True)))
        problems += check_item(item, "labels", exclude=["record"])
    for citation, url in relations.get("sources", ()):
        problems += check_item(RecordSource(citation=citation, url=url), "sources", ["record"])
    for media in relations.get("media", ()):
        item = RecordMedia(**dict(zip(MEDIA_KEYS[1:], media[1:], strict=True)))
        problems += check_item(item, "media", ["record", "image", "media"], clean=False)
    return problems


def check_item(
    item: models.Model, column: str, exclude: list[str], clean: bool = True
) -> RowProblems:
    """One child row's field validation (and its ``clean`` unless told otherwise)."""
    try:
        item.clean_fields(exclude=exclude)
        if clean:
            item.clean()
    except ValidationError as error:
        return validation_problems(error, column)
    return []


def validation_problems(error: ValidationError, column: str) -> RowProblems:
    """Model validation errors as (column, message), field names mapped to their columns."""
    problems: RowProblems = []
    for name, messages in error.message_dict.items():
        if column:
            target = column
        elif name == NON_FIELD_ERRORS:
            target = ""
        elif name in TRANSLATED_FIELDS:
            target = f"{name}_{DEFAULT_LANGUAGE}"
        else:
            target = name
        problems += [(target, message) for message in messages]
    return problems


def text_or_none(name: str, value: Any) -> Any:
    """An empty translation stored as modeltranslation stores it.

    The Vietnamese field holds an empty string, like the untranslated column behind it; the
    other languages hold ``None``, which tells "not translated".
    """
    if value != "" or name not in TRANSLATION_NAMES:
        return value
    return "" if name.endswith(f"_{DEFAULT_LANGUAGE}") else None
