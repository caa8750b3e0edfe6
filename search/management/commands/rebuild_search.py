"""``manage.py rebuild_search``: index all content from scratch."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from search import indexing


class Command(BaseCommand):
    """Rebuild the search index in batches; repairs whatever lost indexing tasks left behind."""

    help = "Rebuild the search index of articles, products, heritage records and media."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--batch-size``: objects indexed per batch."""
        parser.add_argument("--batch-size", type=int, default=indexing.BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        """Empty the index and index everything again."""
        total = indexing.rebuild(options["batch_size"], progress=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"{total} documents indexed."))
