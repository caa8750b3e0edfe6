"""``manage.py import_records FILE [--dry-run]``: load heritage records from CSV, XLSX or ZIP."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heritage.importing import import_records


class Command(BaseCommand):
    """Import records as an operator; refuses the whole file if any row is wrong, saying why."""

    help = (
        "Import heritage records from a CSV or XLSX file in the export's column layout, or a ZIP "
        "of one such file and the media files it names. See heritage/importing/__init__.py."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """The file, and whether only to check it."""
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and count, write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Import, then report the counts or the refused rows."""
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        report = import_records(path, path.name, dry_run=options["dry_run"])
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(report.errors)} errors; nothing was imported.")
        verb = "would create" if options["dry_run"] else "created"
        self.stdout.write(
            f"{verb} {report.created}, updated {report.updated}, unchanged {report.unchanged}."
        )
        if report.written:
            self.stdout.write("The task worker publishes them (manage.py db_worker).")
