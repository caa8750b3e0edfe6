"""``manage.py import_communes FILE.csv [--dry-run]``: load communes from a CSV file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heritage.places_import import COLUMNS, import_communes


class Command(BaseCommand):
    """Import communes; refuses the whole file if any row is wrong, and says which and why."""

    help = f"Import communes from a UTF-8 CSV file with the columns: {', '.join(COLUMNS)}."

    def add_arguments(self, parser: CommandParser) -> None:
        """The file, and whether only to check it."""
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Import, then report counts or the refused rows."""
        try:
            text = options["path"].read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {options['path']}: {error}") from error
        report = import_communes(text, dry_run=options["dry_run"])
        if report.errors:
            for line, message in report.errors:
                self.stderr.write(f"line {line}: {message}")
            raise CommandError(f"{len(report.errors)} rows refused; nothing was imported.")
        verb = "would create" if options["dry_run"] else "created"
        self.stdout.write(f"{verb} {report.created}, updated {report.updated}.")
