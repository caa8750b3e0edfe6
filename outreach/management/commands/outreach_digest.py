"""``manage.py outreach_digest``: send agency staff the digest of what was published (daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from outreach.tasks import send_digest


class Command(BaseCommand):
    """Queue the digest task (``outreach.tasks.send_digest``)."""

    help = "Send agency staff the digest of what was published since the last one."

    def handle(self, *args: Any, **options: Any) -> None:
        """Queue the digest."""
        send_digest.enqueue()
        self.stdout.write("The digest is queued.")
