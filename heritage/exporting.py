"""Exporting heritage records: CSV and XLSX in the import's layout, and Dublin Core XML.

The spreadsheet export writes exactly the columns ``heritage.importing`` reads
(``heritage.importing.layout.COLUMNS``), from the same values the import compares rows with, so
importing an export changes nothing. CSV is UTF-8 with a byte order mark, which Excel needs to
read Vietnamese and the other scripts correctly; cells a spreadsheet program would run as a
formula are quoted with an apostrophe, which the import removes. In XLSX every cell is text, so
codes such as ``02`` keep their leading zero.

Callers choose the records: the admin exports what the officer may see (``visible_to``), the
``export_records`` command everything unless told ``--public-only``. Media items are exported
only where ``user`` may see them.
"""

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db.models import QuerySet

from heritage.dublin_core import dublin_core_document, record_link, with_dublin_core_relations
from heritage.importing.layout import (
    COLUMNS,
    LIST_SEPARATOR,
    PRACTITIONER_SEPARATOR,
    RecordValues,
    format_labels,
    format_media,
    format_sources,
    format_value,
    protect_formula,
)
from heritage.importing.loading import CHUNK, attname, chunked, load_values
from heritage.importing.rows import References
from heritage.models import HeritageRecord

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "dc": ("application/xml; charset=utf-8", "xml"),
}
"""Export formats: content type and file extension."""
WRITE_BUFFER = 64 * 1024


def record_rows(records: QuerySet[HeritageRecord], user: Any = None) -> Iterator[list[str]]:
    """The header, then one row of cells per record, in primary key order."""
    references = References()
    yield list(COLUMNS)
    pks = list(records.order_by("pk").values_list("pk", flat=True))
    for chunk in chunked(pks, CHUNK):
        batch = HeritageRecord.objects.filter(pk__in=chunk).order_by("pk")
        loaded = load_values(batch, user)
        for pk in chunk:
            yield cells(loaded.values[pk], references)


def cells(values: RecordValues, references: References) -> list[str]:
    """A record's row, column by column."""
    fields, relations = values.fields, values.relations
    row = []
    for column in COLUMNS:
        if column == "ethnic_groups":
            cell = joined(references.group_codes[pk] for pk in relations[column])
        elif column == "places":
            cell = joined(references.places.reference(pk) for pk in relations[column])
        elif column == "communities":
            cell = joined(references.community_names[pk] for pk in relations[column])
        elif column == "labels":
            cell = format_labels(relations[column])
        elif column == "sources":
            cell = format_sources(relations[column])
        elif column == "media":
            cell = format_media(relations[column])
        elif column == "recording_place":
            place = fields["recording_place_id"]
            cell = references.places.reference(place) if place else ""
        elif column == "practitioners":
            names = fields[column].split("\n") if fields[column] else []
            separator = "\n" if any("|" in name for name in names) else PRACTITIONER_SEPARATOR
            cell = separator.join(names)
        elif column == "content_warnings":
            cell = joined(fields[column], ordered=False)
        else:
            cell = format_value(fields[attname(column)])
        row.append(cell)
    return row


def joined(items: Iterable[str], ordered: bool = True) -> str:
    """Items separated by ``; ``, sorted unless their order means something."""
    listed = sorted(items) if ordered else list(items)
    return f"{LIST_SEPARATOR} ".join(listed)


def export_csv(records: QuerySet[HeritageRecord], stream: IO[bytes], user: Any = None) -> None:
    """Write the records as CSV for Excel: UTF-8 with a BOM, formulas defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    stream.write(codecs.BOM_UTF8)
    for row in record_rows(records, user):
        writer.writerow([protect_formula(cell) for cell in row])
        if buffer.tell() > WRITE_BUFFER:
            stream.write(buffer.getvalue().encode())
            buffer.seek(0)
            buffer.truncate()
    stream.write(buffer.getvalue().encode())


def export_xlsx(records: QuerySet[HeritageRecord], stream: IO[bytes], user: Any = None) -> None:
    """Write the records as an XLSX workbook with one sheet, every cell text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("records")
    for row in record_rows(records, user):
        written = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            written.append(cell)
        sheet.append(written)
    workbook.save(stream)


def export_dublin_core(records: QuerySet[HeritageRecord], stream: IO[bytes]) -> None:
    """Write the records as Dublin Core XML (``oai_dc`` elements), as OAI-PMH serves them."""
    link = record_link()
    stream.write(dublin_core_document(with_dublin_core_relations(records.order_by("pk")), link))


def export_records(
    records: QuerySet[HeritageRecord], stream: IO[bytes], kind: str, user: Any = None
) -> None:
    """Write the records in format ``kind`` (``csv``, ``xlsx`` or ``dc``)."""
    if kind == "xlsx":
        export_xlsx(records, stream, user)
    elif kind == "dc":
        export_dublin_core(records, stream)
    else:
        export_csv(records, stream, user)
