"""Acceptance: senders killed with SIGKILL mid-send lose nothing and repeat nothing a provider
keeps, counted at the local servers (``tests.outreach.crash``)."""

import json
import os
import subprocess
import sys

from tests.outreach import crash

SUBSCRIBERS = 2500
"""Four channels each: 10,000 deliveries."""


def test_two_senders_killed_mid_send_deliver_each_message_once(tmp_path):
    report = tmp_path / "crash.json"
    environment = {
        key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"
    }
    subprocess.run(
        [sys.executable, "-m", "tests.outreach.crash", "--var", str(tmp_path / "var"),
         "--json", str(report), "--subscribers", str(SUBSCRIBERS), "--kills", "2"],
        cwd=crash.live.ROOT, env=environment, check=True, stdout=subprocess.DEVNULL, timeout=900,
    )  # fmt: skip
    result = json.loads(report.read_text())
    assert (result["messages"], result["kills"], result["finished"]) == (10_000, 2, True)
    assert result["unexpected"] == 0
    assert result["crash_missing"] == 0
    channels = result["channels"]
    assert {name: item["received"] - item["duplicates"] for name, item in channels.items()} == {
        "email": SUBSCRIBERS, "sms": SUBSCRIBERS, "push": SUBSCRIBERS, "zalo": SUBSCRIBERS
    }  # fmt: skip
    # The killed senders' messages were taken up again by the others (the positive control)…
    assert result["taken_again"] >= 1
    # …and the providers that drop repeats (by idempotency key, by Topic) hand each over once:
    assert (channels["sms"]["duplicates"], channels["push"]["duplicates"]) == (0, 0)
    # A repeat on SMTP or Zalo can only be the message in hand at a kill:
    assert result["crash_duplicates"] <= result["kills"]
