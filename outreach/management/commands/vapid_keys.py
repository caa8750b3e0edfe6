"""``manage.py vapid_keys``: a new VAPID key pair for web push, as environment variables."""

import base64
from typing import Any

from cryptography.hazmat.primitives import serialization
from django.core.management.base import BaseCommand
from py_vapid import Vapid02


def b64url(data: bytes) -> str:
    """URL-safe base64 without padding, as browsers and VAPID want keys."""
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class Command(BaseCommand):
    """Print ``OUTREACH_VAPID_PRIVATE_KEY=…`` and ``OUTREACH_VAPID_PUBLIC_KEY=…``."""

    help = "Generate a VAPID key pair for web push (keep the private key secret, and keep it)."

    def handle(self, *args: Any, **options: Any) -> None:
        """Generate and print the pair."""
        vapid = Vapid02()
        vapid.generate_keys()
        private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
        public = vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.stdout.write(f"OUTREACH_VAPID_PRIVATE_KEY={b64url(private)}")
        self.stdout.write(f"OUTREACH_VAPID_PUBLIC_KEY={b64url(public)}")
