"""``manage.py outreach_retention``: delete personal data kept past its time (daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from outreach.retention import erase_expired


class Command(BaseCommand):
    """Run ``outreach.retention.erase_expired`` and say what it removed."""

    help = (
        "Delete unconfirmed contacts, cut messages from their contacts and erase residents' "
        "addresses, past their time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Erase and report the counts."""
        erased = erase_expired()
        self.stdout.write(
            f"{erased.contacts} unconfirmed contacts and {erased.subscribers} subscribers deleted; "
            f"{erased.messages} messages cut from their contacts; "
            f"{erased.answer_addresses} residents' addresses and "
            f"{erased.submission_files} of their photos and voice messages erased"
        )
