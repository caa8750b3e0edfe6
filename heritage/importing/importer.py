"""Checking every row of an upload, then writing all of them in one transaction, or none.

Rows see only the records the importing user may see: ``find_records`` looks among those,
``SlugBook`` reads hidden records' slugs as free, and ``held_external_ids`` is the one place where
a hidden record still counts, at import time (see *Hidden records* in the package's docstring).
"""

import copy
import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import ModelLogEntry, Revision

from cms.languages import DEFAULT_LANGUAGE
from heritage.audience import audience_of, both
from heritage.festival_dates import KEY_FIELDS
from heritage.file_audience import (
    FILE_FIELDS,
    current_audience,
    file_model,
    visible_files,
    widened_audience,
)
from heritage.importing.files import FileRefused, Upload, open_upload
from heritage.importing.layout import (
    COLUMNS,
    LABEL_KEYS,
    MEDIA_KEYS,
    REQUIRED_COLUMNS,
    TRANSLATED_FIELDS,
    CellError,
    RecordValues,
)
from heritage.importing.loading import Loaded, chunked, load_values
from heritage.importing.media import ImportedMedia
from heritage.importing.rows import (
    References,
    RowProblems,
    check_items,
    check_record,
    parse_row,
    text_or_none,
)
from heritage.importing.tasks import publish_imported
from heritage.models import HeritageRecord, RecordLabel, RecordMedia, RecordSource
from heritage.tombstones import watching

SLUG_LENGTH = HeritageRecord._meta.get_field("slug").max_length
EXTERNAL_ID_LENGTH = HeritageRecord._meta.get_field("external_id").max_length
PUBLISH_BATCH = 200
"""Records each publishing task publishes, in one transaction."""


class Action(models.TextChoices):
    """What the import does, or would do, with a row."""

    CREATE = "create", gettext_lazy("create")
    UPDATE = "update", gettext_lazy("update")
    UNCHANGED = "unchanged", gettext_lazy("unchanged")


@dataclass(frozen=True)
class RowError:
    """Why a row (or, with row 0, the whole file) cannot be imported."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        if not self.column:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class RowOutcome:
    """What happens to one row: its record, and whether it is created, updated or unchanged."""

    row: int
    external_id: str
    title: str
    action: Action

    @property
    def action_label(self) -> str:
        """The action, in the active language."""
        return str(Action(self.action).label)


@dataclass
class ImportReport:
    """What an import did, or would do in a dry run, and the errors that stopped it."""

    dry_run: bool = False
    outcomes: list[RowOutcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def count(self, action: Action) -> int:
        """How many rows have this outcome."""
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def created(self) -> int:
        """Rows that create a record."""
        return self.count(Action.CREATE)

    @property
    def updated(self) -> int:
        """Rows that change a record."""
        return self.count(Action.UPDATE)

    @property
    def unchanged(self) -> int:
        """Rows identical to their record already."""
        return self.count(Action.UNCHANGED)

    @property
    def written(self) -> bool:
        """Whether the import changed the database."""
        return not self.dry_run and not self.errors and bool(self.created + self.updated)


@dataclass
class PlannedRow:
    """A checked row, the record it writes and what changes in it."""

    number: int
    record: HeritageRecord
    action: Action
    changes: dict[str, Any] = field(default_factory=dict)
    """The fields that change, with their new values as stored."""
    relations: dict[str, Any] = field(default_factory=dict)
    """The relation columns whose content changes, with their new content."""
    hidden_media: list[int] = field(default_factory=list)
    """The record's media items the importing user may not see, which stay as they are."""


def import_records(
    path: Path, name: str, *, user: Any = None, dry_run: bool = False
) -> ImportReport:
    """Import the CSV, XLSX or ZIP file at ``path`` (``name`` tells which it is).

    ``user`` is whoever imports, ``None`` for an operator at the command line: with a user, only
    records they may see can be updated, and media items they may not see are left in place.
    Nothing is written in a dry run, or if any row has an error.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        with open_upload(path, name) as upload:
            media = ImportedMedia(upload.media, user)
            plan = check_upload(upload, user, media, report)
            if plan is None or report.errors or dry_run:
                return report
            try:
                write(plan, user, media)
            except IntegrityError:
                media.delete_stored_files()
                message = _(
                    "The archive changed during the import, so nothing was imported. "
                    "Import the file again."
                )
                report.errors.append(RowError(0, "", message))
            except BaseException:
                media.delete_stored_files()
                raise
    except FileRefused as error:
        report.errors.append(RowError(0, "", str(error)))
    return report


def check_header(header: list[str]) -> list[RowError]:
    """Unknown, repeated and missing columns."""
    errors = []
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        errors.append(
            RowError(1, "", _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
        )
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        errors.append(
            RowError(1, "", _("Repeated columns: %(columns)s.") % {"columns": ", ".join(repeated)})
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        errors.append(
            RowError(1, "", _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        )
    return errors


def check_upload(
    upload: Upload, user: Any, media: ImportedMedia, report: ImportReport
) -> list[PlannedRow] | None:
    """Check every row; return the plan of writes, with every error in ``report``."""
    table = upload.table
    report.errors += check_header(table.header)
    if report.errors:
        return None
    references = References()
    parsed = []
    for number, row in zip(table.numbers, table.rows, strict=True):
        values, problems = parse_row(row, references)
        parsed.append((number, values, problems))
    rows = [values for _number, values, _problems in parsed]
    existing = find_records(rows, user)
    held = set() if report.dry_run else held_external_ids(rows, existing)
    loaded = load_values(existing.values(), user)
    slugs = SlugBook(user, [values.fields["slug"] for values in rows if "slug" in values.fields])
    referenced = check_references(parsed, user)
    first_row: dict[str, int] = {}
    plan = []
    for number, values, problems in parsed:
        external_id = values.fields.get("external_id", "")
        record = existing.get(record_key(values))
        problems += check_external_id(external_id, number, first_row, record, held)
        problems += check_access(record, user)
        problems += referenced.get(number, [])
        if not problems:
            problems += check_widenings(values, record)
        planned = None
        if not problems:
            problems += resolve_media_files(values, record, loaded, media)
        if not problems:
            planned, more = plan_row(number, values, record, loaded, slugs)
            problems += more
        action = planned.action if planned else Action.UPDATE if record else Action.CREATE
        title = values.fields.get("title_vi") or (record.title_vi if record else "")
        report.outcomes.append(RowOutcome(number, external_id, title or "", action))
        report.errors += [RowError(number, column, message) for column, message in problems]
        if planned and not problems:
            plan.append(planned)
    return plan


def record_key(values: RecordValues) -> str:
    """What finds a row's record: its external id, or its slug for a row without one."""
    external_id = values.fields.get("external_id", "")
    return external_id or f"slug:{values.fields.get('slug', '')}"


def visible_records(user: Any) -> models.QuerySet[HeritageRecord]:
    """The records ``user`` may see: all of them for an operator (``None``)."""
    if user is None:
        return HeritageRecord.objects.all()
    return HeritageRecord.objects.visible_to(user)


def find_records(rows: list[RecordValues], user: Any) -> dict[str, HeritageRecord]:
    """The records rows update, by ``record_key``: only records ``user`` may see.

    A row with no external id may update a record that has none either (made in the admin, then
    exported) by naming its slug; any other row needs an external id.
    """
    records = visible_records(user)
    external_ids = [values.fields.get("external_id") for values in rows]
    slugs = [
        values.fields["slug"]
        for values in rows
        if not values.fields.get("external_id") and values.fields.get("slug")
    ]
    found: dict[str, HeritageRecord] = {}
    for chunk in chunked([external_id for external_id in external_ids if external_id]):
        for record in records.filter(external_id__in=chunk):
            assert record.external_id is not None  # it is one of those asked for
            found[record.external_id] = record
    for chunk in chunked(slugs):
        for record in records.filter(external_id=None, slug__in=chunk):
            found[f"slug:{record.slug}"] = record
    return found


def held_external_ids(rows: list[RecordValues], found: dict[str, HeritageRecord]) -> set[str]:
    """The external ids rows name that records hidden from the user hold.

    No new record can have one. Only the import asks: the check reads these rows as it reads rows
    with ids never used, so that it says nothing of a hidden record.
    """
    wanted = [
        external_id
        for values in rows
        if (external_id := values.fields.get("external_id")) and external_id not in found
    ]
    return {
        external_id
        for chunk in chunked(wanted)
        for external_id in HeritageRecord.objects.filter(external_id__in=chunk).values_list(
            "external_id", flat=True
        )
    }


def check_external_id(
    external_id: str,
    number: int,
    first_row: dict[str, int],
    record: HeritageRecord | None,
    held: set[str],
) -> RowProblems:
    """A row needs an external id (unless it names a record without one), once in the file.

    A new record cannot have an id that ``held`` lists; the message gives no reason, since the
    reason is a record the user may not know of.
    """
    if not external_id:
        if record is None:
            return [("external_id", _("Every row needs an external id."))]
        return []
    if len(external_id) > EXTERNAL_ID_LENGTH:
        return [("external_id", _("At most %(count)s characters.") % {"count": EXTERNAL_ID_LENGTH})]
    if external_id in first_row:
        return [
            (
                "external_id",
                _("“%(id)s” is already in row %(row)s.")
                % {"id": external_id, "row": first_row[external_id]},
            )
        ]
    first_row[external_id] = number
    if record is None and external_id in held:
        message = _(
            "The external id “%(id)s” cannot be given to a new record. Give this row another "
            "external id."
        ) % {"id": external_id}
        return [("external_id", message)]
    return []


def check_access(record: HeritageRecord | None, user: Any) -> RowProblems:
    """Whether ``user`` may create this record, or change the one it updates (one they see)."""
    if user is None:
        return []
    if record is None:
        if not user.has_perm("heritage.add_heritagerecord"):
            return [("", _("You may not add heritage records."))]
        return []
    if not user.has_perm("heritage.change_heritagerecord"):
        return [("", _("You may not change heritage records."))]
    if record.locked and record.locked_by_id != user.pk:
        return [("", _("“%(title)s” is locked by another editor.") % {"title": record.title})]
    return []


def check_references(
    parsed: list[tuple[int, RecordValues, RowProblems]], user: Any
) -> dict[int, RowProblems]:
    """Rows naming an image or recording that does not exist, or that ``user`` may not reuse.

    Reusing a file in a public media item publishes it, so a user may reuse only files none of
    whose media items are hidden from them.
    """
    wanted: dict[str, set[int]] = {"image": set(), "media": set()}
    for _number, values, _problems in parsed:
        for item in values.relations.get("media", ()):
            kind, value = item[0]
            if kind in wanted:
                wanted[kind].add(value)
    found = {
        kind: set(
            (visible_files(user, kind) if user is not None else file_model(kind)._default_manager)
            .filter(pk__in=pks)
            .values_list("pk", flat=True)
        )
        for kind, pks in wanted.items()
    }
    if user is not None:
        held = RecordMedia.objects.filter(image__in=found["image"]) | RecordMedia.objects.filter(
            media__in=found["media"]
        )
        hidden = held.exclude(pk__in=RecordMedia.objects.visible_to(user).values("pk"))
        for image_id, media_id in hidden.values_list("image_id", "media_id"):
            found["image"].discard(image_id)
            found["media"].discard(media_id)
    problems: dict[int, RowProblems] = {}
    for number, values, _problems in parsed:
        for item in values.relations.get("media", ()):
            kind, value = item[0]
            if kind in found and value not in found[kind]:
                problems.setdefault(number, []).append(
                    (
                        "media",
                        _("There is no %(target)s you may use.") % {"target": f"{kind}:{value}"},
                    )
                )
    return problems


def check_widenings(values: RecordValues, record: HeritageRecord | None) -> RowProblems:
    """Items reusing a file that this row would show to people who may not see it now.

    An import cannot ask to confirm a wider audience, as the admin does; it refuses the item.
    """
    items = values.relations.get("media", ())
    if not items:
        return []
    protocol = values.fields.get("protocol") or (record.protocol if record else "public")
    communities = values.relations.get("communities")
    if communities is None:
        communities = [group.pk for group in record.communities.all()] if record else []
    custodians = [user.pk for user in record.custodians.all()] if record else []
    record_tokens = audience_of(protocol, communities, custodians)
    problems: RowProblems = []
    for item in items:
        kind, value = item[0]
        if kind not in FILE_FIELDS:
            continue
        item_protocol = dict(zip(MEDIA_KEYS[1:], item[1:], strict=True))["protocol"]
        tokens = both(audience_of(item_protocol, communities, custodians), record_tokens)
        current = current_audience(kind, value, record.pk if record else None)
        if widened_audience(tokens, current):
            message = _(
                "%(target)s is kept for fewer people elsewhere in the archive, and this row "
                "would show it to more. Choose it in the admin, which asks you to confirm that."
            )
            problems.append(("media", message % {"target": f"{kind}:{value}"}))
    return problems


def resolve_media_files(
    values: RecordValues, record: HeritageRecord | None, loaded: Loaded, media: ImportedMedia
) -> RowProblems:
    """Check the ZIP files a row names; one the record already has becomes a reference to it."""
    items = values.relations.get("media")
    if not items:
        return []
    known = loaded.digests.get(record.pk, {}) if record else {}
    resolved = []
    problems: RowProblems = []
    for item in items:
        kind, path = item[0]
        if kind != "file":
            resolved.append(item)
            continue
        try:
            checked = media.check(path)
        except CellError as error:
            problems.append(("media", str(error)))
            continue
        resolved.append((known.get(checked.digest, ("file", checked.path)), *item[1:]))
    values.relations["media"] = tuple(resolved)
    return problems


class SlugBook:
    """Which slugs are taken, by which record; makes free slugs for new records.

    To the rows, the slugs of records hidden from the importing user are free: a row claims one
    and reads exactly as it would if no record had it (``take``, ``make``). Only the slug the
    record gets differs: ``place`` gives it a free variant. Variants and made slugs avoid every
    slug the file names, so neither ever makes another row's slug an error.
    """

    def __init__(self, user: Any, named: Iterable[str]) -> None:
        slugs = dict(HeritageRecord.objects.values_list("slug", "pk"))
        visible = set(visible_records(user).values_list("pk", flat=True))
        self.owners: dict[str, Any] = {slug: pk for slug, pk in slugs.items() if pk in visible}
        """Slugs of records the user sees, and those rows have claimed, with their owners."""
        self.hidden = set(slugs) - set(self.owners)
        """Slugs of records the user may not see."""
        self.named = set(named)
        """Slugs the rows of the file name."""

    def take(self, slug: str, owner: Any) -> bool:
        """Claim ``slug`` for ``owner`` (a pk, or a row number for a new record) if it is free."""
        return self.owners.setdefault(slug, owner) == owner

    def make(self, title: str, owner: Any) -> str:
        """A free slug made from the title: the title's, or the first free of its variants."""
        base = slugify(title, allow_unicode=True)[: SLUG_LENGTH - 8].strip("-") or "record"
        if base not in self.named and self.take(base, owner):
            return base
        return self.variant(base, owner)

    def place(self, slug: str, owner: Any) -> str:
        """What ``owner`` gets for the slug it claimed: a variant if a hidden record has it."""
        if slug not in self.hidden:
            return slug
        return self.variant(slug[: SLUG_LENGTH - 8].strip("-"), owner)

    def variant(self, base: str, owner: Any) -> str:
        """Claim the first of ``base-2``, ``base-3``… that no record has and no row names."""
        number = 2
        while (
            f"{base}-{number}" in self.hidden
            or f"{base}-{number}" in self.named
            or not self.take(f"{base}-{number}", owner)
        ):
            number += 1
        return f"{base}-{number}"


def plan_row(
    number: int,
    values: RecordValues,
    record: HeritageRecord | None,
    loaded: Loaded,
    slugs: SlugBook,
) -> tuple[PlannedRow | None, RowProblems]:
    """Compare a row with its record; for a change, apply it and validate the result."""
    if record is None:
        changes = {name: text_or_none(name, value) for name, value in values.fields.items()}
        problems = choose_slug(values, changes, f"row {number}", slugs, creating=True)
        record = new_record(changes)
        action, relations = Action.CREATE, dict(values.relations)
    else:
        current = loaded.values[record.pk]
        changes = {
            name: text_or_none(name, value)
            for name, value in values.fields.items()
            if value != current.fields.get(name)
        }
        relations = {
            column: value
            for column, value in values.relations.items()
            if value != current.relations[column]
        }
        problems = choose_slug(values, changes, record.pk, slugs, creating=False)
        if changes.get("slug") == record.slug:
            del changes["slug"]
        if not changes and not relations and record.live:
            return PlannedRow(number, record, Action.UNCHANGED), []
        action = Action.UPDATE
        for name, value in changes.items():
            setattr(record, name, value)
    problems += check_record(record) + check_items(values)
    if problems:
        return None, problems
    hidden = loaded.hidden_media.get(record.pk, []) if record.pk else []
    return PlannedRow(number, record, action, changes, relations, hidden), []


def choose_slug(
    values: RecordValues, changes: dict[str, Any], owner: Any, slugs: SlugBook, *, creating: bool
) -> RowProblems:
    """Put in ``changes`` the slug the record gets: the row's, or one made from its title.

    A slug the row names that a record the user sees (or an earlier row) has is an error; one
    only a hidden record has is not, and the record gets a variant of it.
    """
    if "slug" in changes:
        if not slugs.take(changes["slug"], owner):
            message = _("Another record already has the slug “%(slug)s”.")
            return [("slug", message % {"slug": changes["slug"]})]
        changes["slug"] = slugs.place(changes["slug"], owner)
    elif creating:
        changes["slug"] = slugs.place(slugs.make(values.fields.get("title_vi", ""), owner), owner)
    return []


@cache
def record_defaults() -> tuple[tuple[str, Any], ...]:
    """Every concrete field's attribute name and default, in the model's order, worked out once.

    Building records from these, positionally, skips what the model's constructor does for each
    keyword and each translation field (switching the active language to find its default),
    which otherwise dominates the import of thousands of rows.
    """
    return tuple(
        (field.attname, None if field.primary_key else field.get_default())
        for field in HeritageRecord._meta.concrete_fields
    )


def new_record(changes: dict[str, Any]) -> HeritageRecord:
    """An unsaved record with the row's values over the defaults.

    The untranslated columns behind translated fields (``title``…) get the Vietnamese text.
    """
    values = []
    for name, default in record_defaults():
        if name in changes:
            values.append(changes[name])
        elif name in TRANSLATED_FIELDS:
            values.append(changes.get(f"{name}_{DEFAULT_LANGUAGE}") or default)
        else:
            values.append(copy.copy(default))
    return HeritageRecord(*values)


def write(plan: list[PlannedRow], user: Any, media: ImportedMedia) -> None:
    """Write every planned change in one transaction, each record with a revision of what was
    imported; once it commits, tasks publish the revisions through Wagtail, in batches."""
    changed = [row for row in plan if row.action != Action.UNCHANGED]
    if not changed:
        return
    author = user if user is not None and user.is_authenticated else None
    with transaction.atomic(), translation.override(DEFAULT_LANGUAGE):
        now = timezone.now()
        for row in changed:
            store_media_files(row, media)
            row.changes["has_unpublished_changes"] = True
        created = [row for row in changed if row.action == Action.CREATE]
        for row in created:
            for name, value in row.changes.items():
                setattr(row.record, name, value)
            row.record.live = False  # a draft until its revision is published
        HeritageRecord.objects.bulk_create([row.record for row in created], batch_size=500)
        updated = [row.record.pk for row in changed if row.action == Action.UPDATE]
        with watching(updated):
            for row in changed:
                if row.action == Action.UPDATE:
                    update_record(row.record.pk, row.changes, now)
            redated = [
                row.record.pk
                for row in changed
                if row.action == Action.UPDATE and not row.changes.keys().isdisjoint(KEY_FIELDS)
            ]
            for chunk in chunked(redated):
                HeritageRecord.objects.filter(pk__in=chunk).write_date_keys()
            write_relations(changed)
        created_ids = {row.record.pk for row in created}
        revisions = save_revisions([row.record.pk for row in changed], created_ids, author, now)
        user_id = author.pk if author is not None else None
        transaction.on_commit(lambda: publish(revisions, user_id))


def update_record(pk: int, changes: dict[str, Any], now: datetime.datetime) -> None:
    """Write a record's changed fields, keeping the untranslated columns on the Vietnamese text.

    Query rewriting is off so that ``title`` means the column, not the active language's field.
    """
    columns = dict(changes, updated_at=now)
    for name in TRANSLATED_FIELDS:
        vietnamese = f"{name}_{DEFAULT_LANGUAGE}"
        if vietnamese in changes:
            columns[name] = changes[vietnamese] or ""
    HeritageRecord.objects.rewrite(False).filter(pk=pk).update(**columns)  # type: ignore[attr-defined]  # modeltranslation's manager


def store_media_files(row: PlannedRow, media: ImportedMedia) -> None:
    """Save the new files a row's media items name, and point the items at them."""
    items = row.relations.get("media")
    if not items:
        return
    row.relations["media"] = tuple(
        (media.store(item[0][1]) if item[0][0] == "file" else item[0], *item[1:]) for item in items
    )


def write_relations(rows: list[PlannedRow]) -> None:
    """Replace the ethnic groups, places, communities, labels, sources and media that changed."""
    for column in ("ethnic_groups", "places", "communities"):
        field_ = HeritageRecord._meta.get_field(column)
        through = field_.remote_field.through
        source, target = field_.m2m_field_name(), field_.m2m_reverse_field_name()
        rows_changed = [row for row in rows if column in row.relations]
        for chunk in chunked([row.record.pk for row in rows_changed]):
            through.objects.filter(**{f"{source}__in": chunk}).delete()
        through.objects.bulk_create(
            [
                through(**{f"{source}_id": row.record.pk, f"{target}_id": target_id})
                for row in rows_changed
                for target_id in sorted(row.relations[column])
            ],
            batch_size=500,
        )
    replace_children(rows, "labels", RecordLabel, label_item)
    replace_children(rows, "sources", RecordSource, source_item)
    replace_children(rows, "media", RecordMedia, media_item)


def replace_children(rows: list[PlannedRow], column: str, model: Any, build: Any) -> None:
    """Delete and recreate one kind of child item for the rows whose list changed.

    Media items the importing user may not see are not in the row, so they are not deleted.
    """
    rows_changed = [row for row in rows if column in row.relations]
    for chunk in chunked([row.record.pk for row in rows_changed]):
        doomed = model.objects.filter(record_id__in=chunk)
        if model is RecordMedia:
            doomed = doomed.exclude(pk__in=hidden_media(rows_changed))
        doomed.delete()
    model.objects.bulk_create(
        [
            build(row.record, index, item)
            for row in rows_changed
            for index, item in enumerate(row.relations[column])
        ],
        batch_size=200,
    )


def hidden_media(rows: list[PlannedRow]) -> list[int]:
    """Media items of these rows' records that the importing user may not see."""
    return [pk for row in rows for pk in row.hidden_media]


def label_item(record: HeritageRecord, index: int, item: tuple) -> RecordLabel:
    """A label row."""
    values = dict(zip(LABEL_KEYS, item, strict=True))
    explanations = {
        key: text_or_none(key, value) for key, value in values.items() if key != "label"
    }
    return RecordLabel(record=record, sort_order=index, label=values["label"], **explanations)


def source_item(record: HeritageRecord, index: int, item: tuple) -> RecordSource:
    """A source row."""
    return RecordSource(record=record, sort_order=index, citation=item[0], url=item[1])


def media_item(record: HeritageRecord, index: int, item: tuple) -> RecordMedia:
    """A media item row, pointing at an image or at an audio/video asset."""
    kind, pk = item[0]
    values = dict(zip(MEDIA_KEYS[1:], item[1:], strict=True))
    captions = {
        key: text_or_none(key, value) for key, value in values.items() if key.startswith("cap")
    }
    return RecordMedia(
        record=record,
        sort_order=index,
        image_id=pk if kind == "image" else None,
        media_id=pk if kind == "media" else None,
        credit=values["credit"],
        protocol=values["protocol"],
        **captions,
    )


def save_revisions(
    pks: list[int], created: set[int], user: Any, now: datetime.datetime
) -> list[int]:
    """Give each record a revision of what was imported, its latest, logged as created or
    edited (as saving in the admin logs it); return the revisions' ids."""
    content_type = ContentType.objects.get_for_model(HeritageRecord)
    revisions = []
    for chunk in chunked(pks):
        records = HeritageRecord.objects.filter(pk__in=chunk).prefetch_related(
            "labels", "sources", "media_items", "narratives"
        )
        revisions += [
            Revision(
                content_type=content_type,
                base_content_type=content_type,
                object_id=str(record.pk),
                user=user,
                content=record.serializable_data(),
                object_str=str(record),
                created_at=now,
            )
            for record in records
        ]
    Revision.objects.bulk_create(revisions, batch_size=500)
    latest = (
        Revision.objects.filter(
            base_content_type=content_type, object_id=Cast(OuterRef("pk"), CharField())
        )
        .order_by("-pk")
        .values("pk")[:1]
    )
    for chunk in chunked(pks):
        HeritageRecord.objects.filter(pk__in=chunk).update(latest_revision=Subquery(latest))
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                label=revision.object_str,
                action="wagtail.create" if int(revision.object_id) in created else "wagtail.edit",
                timestamp=now,
                uuid=uuid.uuid4(),
                user=user,
                revision=revision,
                content_changed=True,
                object_id=revision.object_id,
            )
            for revision in revisions
        ],
        batch_size=500,
    )
    return [revision.pk for revision in revisions]


def publish(revision_ids: list[int], user_id: int | None) -> None:
    """Queue the publication of an import's revisions, ``PUBLISH_BATCH`` per task."""
    for chunk in chunked(revision_ids, PUBLISH_BATCH):
        publish_imported.enqueue(list(chunk), user_id)
