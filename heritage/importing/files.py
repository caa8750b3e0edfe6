"""Opening what an officer uploads: a CSV or XLSX table, or a ZIP of one table and media files.

Nothing from an upload is ever used as a path on the server: files inside a ZIP are read by the
names the table gives, after checking that those names stay inside the ZIP, and copied into
temporary files the server names itself. The ZIP's total uncompressed size is capped before
anything is read (``BANLANG_MEDIA["MAX_UPLOAD_BYTES"]``), and every read is bounded by the size
the ZIP declares, so a zip bomb is refused rather than unpacked.
"""

import csv
import datetime
import io
import posixpath
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from heritage.importing.layout import CellError, clean_text, format_boolean, unprotect_formula
from media.ffmpeg import media_settings

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

TABLE_SUFFIXES = (".csv", ".xlsx")
MAX_TABLE_BYTES = 200 * 1024**2
"""The largest table (CSV, or an XLSX's unpacked XML) read: about 100,000 full rows."""
MAX_ZIP_ENTRIES = 100_000
DELIMITERS = (",", ";", "\t")
READ_CHUNK = 1024**2


class FileRefused(ValueError):
    """An upload that cannot be read at all, with the reason in the active language."""


@dataclass
class Table:
    """The header and the rows of a spreadsheet, every cell as text."""

    header: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    """The spreadsheet row number of each row (the header is row 1)."""


def read_csv(data: bytes) -> Table:
    """A UTF-8 CSV (a BOM is fine) separated by commas, semicolons or tabs."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            _("The CSV file is not UTF-8 text. In Excel, save it as “CSV UTF-8”, or upload XLSX.")
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines = list(reader)
    except csv.Error as error:
        raise FileRefused(_("The CSV file cannot be read: %(error)s.") % {"error": error}) from None
    if not lines:
        raise FileRefused(_("The file is empty."))
    return make_table(lines[0], ([unprotect_formula(cell) for cell in line] for line in lines[1:]))


def read_xlsx(data: bytes) -> Table:
    """The first worksheet of an XLSX workbook, every cell read as the text it shows."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(entry.file_size for entry in package.infolist())
    except zipfile.BadZipFile:
        raise FileRefused(_("This is not an Excel workbook (XLSX) we can read.")) from None
    if unpacked > MAX_TABLE_BYTES:
        raise FileRefused(_("The table is too large to import at once; split it."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise FileRefused(_("This is not an Excel workbook (XLSX) we can read.")) from None
    try:
        sheet = workbook.worksheets[0]
        lines = [[xlsx_text(value) for value in line] for line in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not lines:
        raise FileRefused(_("The file is empty."))
    return make_table(lines[0], lines[1:])


def xlsx_text(value: Any) -> str:
    """A worksheet value as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return format_boolean(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def make_table(header: list[str], lines: Iterable[list[str]]) -> Table:
    """A table from a header and rows; blank rows are skipped, short rows padded."""
    names = [clean_text(name).lower() for name in header]
    while names and not names[-1]:
        names.pop()
    table = Table(header=names)
    for number, line in enumerate(lines, start=2):
        if not any(cell.strip() for cell in line):
            continue
        cells = list(line[: len(names)]) + [""] * (len(names) - len(line))
        if any(cell.strip() for cell in line[len(names) :]):
            raise FileRefused(
                _("Row %(row)s has more cells than the header has columns.") % {"row": number}
            )
        table.rows.append(dict(zip(names, cells, strict=True)))
        table.numbers.append(number)
    return table


def read_table(name: str, data: bytes) -> Table:
    """A CSV or XLSX table, chosen by the file name."""
    if len(data) > MAX_TABLE_BYTES:
        raise FileRefused(_("The table is too large to import at once; split it."))
    if name.lower().endswith(".xlsx"):
        return read_xlsx(data)
    return read_csv(data)


class MediaArchive:
    """The media files of a ZIP upload, read only by the safe relative paths rows give."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.entries = {entry.filename: entry for entry in archive.infolist() if not entry.is_dir()}

    def entry(self, path: str) -> zipfile.ZipInfo:
        """The ZIP entry at a relative path; raise ``CellError`` for an unsafe or missing path."""
        normalised = safe_relative_path(path)
        found = self.entries.get(normalised)
        if found is None:
            raise CellError(_("The ZIP file has no file “%(path)s”.") % {"path": path})
        return found

    def read(self, entry: zipfile.ZipInfo, target: "SupportsWrite[bytes]", limit: int) -> None:
        """Copy an entry into ``target``; refuse it if it unpacks to more than ``limit`` bytes."""
        if entry.file_size > limit:
            raise CellError(too_big(limit))
        copied = 0
        try:
            with self.archive.open(entry) as source:
                while chunk := source.read(READ_CHUNK):
                    copied += len(chunk)
                    if copied > limit:
                        raise CellError(too_big(limit))
                    target.write(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
            raise CellError(
                _("“%(path)s” is damaged in the ZIP file: %(error)s.")
                % {"path": entry.filename, "error": error}
            ) from None


def too_big(limit: int) -> str:
    """The message for a file larger than ``limit`` bytes."""
    return _("The file is larger than %(limit)s MB.") % {"limit": limit // 1024**2}


def safe_relative_path(path: str) -> str:
    """A path that stays inside the ZIP, normalised; raise ``CellError`` for any other."""
    text = path.strip()
    if not text or "\\" in text or "\x00" in text:
        raise CellError(_("“%(path)s” is not a path inside the ZIP file.") % {"path": path})
    pure = PurePosixPath(text)
    if pure.is_absolute() or ".." in pure.parts or ":" in pure.parts[0]:
        raise CellError(
            _("“%(path)s” points outside the ZIP file; give a path relative to its root.")
            % {"path": path}
        )
    return posixpath.normpath(text)


@dataclass
class Upload:
    """An opened upload: its table, and its media files when it was a ZIP."""

    table: Table
    media: MediaArchive | None = None


@contextmanager
def open_upload(path: Path, name: str) -> Iterator[Upload]:
    """Open a CSV, XLSX or ZIP file stored at ``path``; ``name`` is what the officer called it."""
    lowered = name.lower()
    if lowered.endswith(TABLE_SUFFIXES):
        yield Upload(read_table(lowered, path.read_bytes()))
        return
    if not lowered.endswith(".zip"):
        raise FileRefused(_("Upload a CSV, XLSX or ZIP file."))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise FileRefused(_("This is not a ZIP file we can read.")) from None
    with archive:
        check_archive(archive)
        yield Upload(read_table_in(archive), MediaArchive(archive))


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a ZIP with too many files or too much data once unpacked (a zip bomb)."""
    entries = archive.infolist()
    limit = media_settings()["MAX_UPLOAD_BYTES"]
    if len(entries) > MAX_ZIP_ENTRIES:
        raise FileRefused(
            _("The ZIP file holds more than %(count)s files.") % {"count": MAX_ZIP_ENTRIES}
        )
    if sum(entry.file_size for entry in entries) > limit:
        raise FileRefused(
            _("The ZIP file unpacks to more than %(limit)s MB.") % {"limit": limit // 1024**2}
        )


def read_table_in(archive: zipfile.ZipFile) -> Table:
    """The one CSV or XLSX file at the top of the ZIP."""
    tables = [
        entry
        for entry in archive.infolist()
        if entry.filename.lower().endswith(TABLE_SUFFIXES)
        and "/" not in entry.filename.strip("/")
        and not entry.filename.startswith(("__MACOSX", "."))
    ]
    if len(tables) != 1:
        raise FileRefused(
            _("The ZIP file must hold exactly one CSV or XLSX file at its top level.")
        )
    buffer = io.BytesIO()
    try:
        MediaArchive(archive).read(tables[0], buffer, MAX_TABLE_BYTES)
    except CellError as error:
        raise FileRefused(str(error)) from None
    return read_table(tables[0].filename, buffer.getvalue())
