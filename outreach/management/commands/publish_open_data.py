"""``manage.py publish_open_data``: publish the open datasets and their catalogue (daily).

Run it from cron once a night, after the day's figures are in, e.g. at 02:15 (with the same
environment as the site: ``VAR_DIR``, ``DATABASE_URL``…)::

    15 2 * * * cd /srv/banlang && .venv/bin/python manage.py publish_open_data

A dataset that fails leaves its previous version published; the command then exits with an
error, so that cron's mail says so.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from outreach.open_data import publish_all


class Command(BaseCommand):
    """Run ``outreach.open_data.publish_all`` and say how many datasets were published."""

    help = "Publish the open datasets (CSV, Data Package, DCAT catalogue)."

    def handle(self, *args: Any, **options: Any) -> None:
        """Publish, report the count, and fail if any dataset failed."""
        results = publish_all()
        published = sum(results.values())
        self.stdout.write(f"{published} of {len(results)} datasets published")
        failed = sorted(name for name, ok in results.items() if not ok)
        if failed:
            raise CommandError(f"Not published (previous version kept): {', '.join(failed)}")
