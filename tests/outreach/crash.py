"""The crash test's run: senders killed with SIGKILL mid-send, counted at the providers.

Run as ``python -m tests.outreach.crash --var DIR [--json FILE]`` (``DATABASE_URL`` naming a
PostgreSQL server runs it there). An urgent bulletin goes to ``--subscribers`` people on
e-mail (SMTP), SMS (the HTTP gateway), web push and Zalo, one message each per channel, sent
by two ``manage.py send_outbox`` processes. Each of ``--kills`` times, once the providers have
received a share of the messages, one sender is killed and started again. Then everything is
counted at the local servers: who got more than one message on a channel, and who got none.

Exactly once is what a provider that drops repeats makes of a repeat: the SMS gateway by the
idempotency key, the push service by the ``Topic``. SMTP and Zalo keep what they accept, so a
message accepted in the moment between the provider's answer and the sender's record of it
(the kill's only window for a repeat) reaches its person twice; the count says how often.
"""

import argparse
import json
import os
import random
import signal
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from tests.outreach import live

PROVIDERS = ["email", "gateway", "push", "zalo"]
CHANNELS = ["email", "sms", "push", "zalo"]
LEASE_SECONDS = 3
"""A killed sender's messages are taken up again this soon."""


def run(var_dir: Path, subscribers: int, kills: int, database_url: str = "") -> dict[str, Any]:
    """Run the crash test; what the providers counted."""
    url = live.configure(var_dir, database_url)
    import django

    django.setup()
    try:
        live.migrate()
        with live.providers(PROVIDERS) as found:
            return _send_and_kill(found, subscribers, kills)
    finally:
        live.drop_database(url)


def _send_and_kill(found: live.Providers, subscribers: int, kills: int) -> dict[str, Any]:
    from outreach import bulletins
    from outreach.models import Contact

    live.seed(subscribers, CHANNELS, found=found)
    bulletin = live.urgent_bulletin(CHANNELS)
    total = bulletins.build_outbox(bulletin)
    expected = Counter(
        (channel, address) for channel, address in Contact.objects.values_list("channel", "address")
    )
    lease = {"OUTREACH_LEASE_SECONDS": str(LEASE_SECONDS)}
    senders = [live.start_sender(lease), live.start_sender(lease)]
    killed = 0
    try:
        for number in range(kills):
            share = total * (number + 1) // (kills + 1)
            if not live.wait_until(lambda: live.received(found).total() >= share, 300):  # noqa: B023
                raise RuntimeError(f"the providers got fewer than {share} messages")
            live.wait_until(lambda: False, random.uniform(0, 0.02))
            victim = senders[number % len(senders)]
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait()
            killed += 1
            senders[number % len(senders)] = live.start_sender(lease)
        finished = live.wait_until(lambda: live.pending() == 0, 600, every=0.5)
    finally:
        for sender in senders:
            sender.terminate()
        for sender in senders:
            sender.wait(30)
    from outreach.models import Message

    taken_again = Message.objects.filter(attempts__gt=1).count()
    got = live.received(found)
    per_channel = {
        channel: {
            "expected": sum(1 for key in expected if key[0] == channel),
            "received": sum(count for key, count in got.items() if key[0] == channel),
            "duplicates": sum(
                count - 1 for key, count in got.items() if key[0] == channel and count > 1
            ),
            "missing": sum(1 for key in expected if key[0] == channel and not got[key]),
        }
        for channel in CHANNELS
    }
    return {
        "messages": total,
        "handed_to_providers": live.requests(found),
        "kills": killed,
        "taken_again": taken_again,
        "finished": finished,
        "unexpected": sum(count for key, count in got.items() if key not in expected),
        "channels": per_channel,
        "crash_duplicates": sum(item["duplicates"] for item in per_channel.values()),
        "crash_missing": sum(item["missing"] for item in per_channel.values()),
    }


def main() -> None:
    """Run it and write what was counted as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--var", type=Path, required=True)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--subscribers", type=int, default=2500)
    parser.add_argument("--kills", type=int, default=2)
    options = parser.parse_args()
    result = run(
        options.var, options.subscribers, options.kills, os.environ.get("DATABASE_URL", "")
    )
    text = json.dumps(result, indent=2)
    if options.json:
        options.json.write_text(text)
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
