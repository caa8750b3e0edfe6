"""``manage.py outreach_most_read``: tell the translation dashboard which pages are read most
(daily, from the page views of the last 30 days)."""

from typing import Any

from django.core.management.base import BaseCommand

from outreach.page_views import refresh_reads


class Command(BaseCommand):
    """Run ``outreach.page_views.refresh_reads`` and say how many pages were read."""

    help = "Give the translation dashboard the pages' reads of the last 30 days."

    def handle(self, *args: Any, **options: Any) -> None:
        """Refresh, and report the count."""
        self.stdout.write(f"{refresh_reads()} pages read in the last 30 days")
