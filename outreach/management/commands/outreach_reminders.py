"""``manage.py outreach_reminders``: remind offices of overdue and soon-due questions (daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from outreach.reminders import remind_offices


class Command(BaseCommand):
    """Run ``outreach.reminders.remind_offices`` and say how many offices it reminded."""

    help = "Remind each office, by e-mail, of its overdue and soon-due questions."

    def handle(self, *args: Any, **options: Any) -> None:
        """Remind, and report the count."""
        self.stdout.write(f"{remind_offices()} offices reminded")
