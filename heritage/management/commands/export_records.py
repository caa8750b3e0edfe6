"""``manage.py export_records FILE [--format csv|xlsx|dc] [--public-only]``: export records."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heritage.exporting import FORMATS, export_records
from heritage.models import HeritageRecord


class Command(BaseCommand):
    """Export every record (an operator's tool), or only the published public ones."""

    help = (
        "Export heritage records as CSV or XLSX in the import's column layout, or as Dublin Core "
        "XML. Everything is exported, whatever its protocol, unless --public-only is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Where to write, in which format, and whether to keep to public records."""
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=sorted(FORMATS), default="csv")
        parser.add_argument(
            "--public-only",
            action="store_true",
            help="Only published records under the public protocol, with their public media.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Write the file and say how many records it holds."""
        records = HeritageRecord.objects.all()
        user = None
        if options["public_only"]:
            from django.contrib.auth.models import AnonymousUser

            user = AnonymousUser()
            records = records.visible_to(user).published()
        with options["path"].open("wb") as stream:
            export_records(records, stream, options["format"], user)
        self.stdout.write(f"exported {records.count()} records to {options['path']}.")
