"""``manage.py load_demo``: build the demo site (safe to run again)."""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cms.demo.loader import ensure_admin, load_demo


class Command(BaseCommand):
    """Load the demo content and create the demo administrator."""

    help = "Build the demo site in all languages. Running it again adds only what is missing."

    def add_arguments(self, parser: CommandParser) -> None:
        """Options for the site's address and the demo administrator."""
        parser.add_argument("--hostname", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--admin-username", default="admin")
        parser.add_argument("--admin-password", default="banlang-demo")

    def handle(self, *args: Any, **options: Any) -> None:
        """Load, then say what was added and how to log in."""
        report = load_demo(options["hostname"], options["port"])
        created = ensure_admin(options["admin_username"], options["admin_password"])
        self.stdout.write(
            f"Demo: {report.pages} pages, {report.images} images, {report.prices} prices, "
            f"{report.records} heritage records, {report.media} recordings, "
            f"{report.users} sample users added."
        )
        if created:
            self.stdout.write(
                f"Admin user '{options['admin_username']}' created "
                f"(password '{options['admin_password']}')."
            )
