"""``manage.py compile_catalogues``: compile the interface catalogues without system gettext."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from cms.catalogues import compile_catalogue


class Command(BaseCommand):
    """Compile every ``locale/*/LC_MESSAGES/*.po`` into its ``.mo`` with Babel."""

    help = "Compile the gettext catalogues in LOCALE_PATHS (Babel; no msgfmt needed)."

    def handle(self, *args: Any, **options: Any) -> None:
        """Compile and list each catalogue with its number of translated messages."""
        for locale_path in map(Path, settings.LOCALE_PATHS):
            for po_path in sorted(locale_path.glob("*/LC_MESSAGES/*.po")):
                translated = compile_catalogue(po_path)
                self.stdout.write(f"{po_path.relative_to(locale_path)}: {translated} translated")
