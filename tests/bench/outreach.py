"""``make bench-outreach``: audiences, the outbox, sending and receipts at a million subscribers.

On a new database (SQLite in ``var/bench/outreach``, or PostgreSQL when ``DATABASE_URL`` names
a server) it seeds ``--subscribers`` people over the 34 provinces, the 10 languages, the five
notifying topics and the four channels, then measures:

1. the audience of a bulletin by topic, province and language, counted by channel and by
   language (``outreach.audience.audience_counts``): the first count (cold) and the median and
   95th percentile of ``--counts`` more;
2. building the outbox of a bulletin to all of them, in a process of its own: its seconds and
   its peak resident memory;
3. sending ``--send`` messages, a third each over SMTP, SMPP and web push to the local
   servers, one channel after the other, with two ``manage.py send_outbox`` processes:
   messages a second per channel, from its bulletin's approval to the last message its server
   received;
4. SMS delivery receipts posted, signed, to ``/outreach/sms/receipts/`` under gunicorn (two
   workers) by eight clients at once, 500 to a request as an aggregator's callback carries
   them: receipts a second;
5. the crash test (``tests.outreach.crash``): repeats and losses after two senders are killed.

The table is printed and written to ``var/bench/outreach.json``.
"""

import argparse
import hashlib
import hmac
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import median

from tests.bench.common import ROOT, gunicorn, percentile, write_report
from tests.outreach import crash, live

LANGUAGES = ("vi", "hmn", "km", "blt", "cjm", "rad", "jra", "bdq", "cmo", "en")
TOPICS = ("policy", "market", "health", "education", "security-order")
SEND_CHANNELS = ["email", "sms", "push"]
FINISHED = ["sent", "delivered"]
"""A message sent, whether or not its receipt came already."""
SECRET = "bench-inbound-secret"
WORK_DIR = ROOT / "var" / "bench" / "outreach-work"
"""Where the runs' databases and logs go while they run; removed afterwards."""


def measure_audience(times: int) -> tuple[float, list[float]]:
    """The cold count's milliseconds, and those of ``times`` more over random addressings."""
    from heritage.models import Place
    from outreach.audience import Addressing, audience_counts
    from outreach.models import Purpose

    provinces = list(Place.objects.current().provinces())
    chooser = random.Random(7)

    def one() -> float:
        addressing = Addressing(
            purpose=Purpose.BULLETINS,
            channels=["email", "sms", "push", "zalo"],
            topic=chooser.choice(TOPICS),
            provinces=[chooser.choice(provinces)],
        )
        started = time.perf_counter()
        counts = audience_counts(addressing)
        elapsed = (time.perf_counter() - started) * 1000
        assert sum(counts["channel"].values()) == sum(counts["language"].values())
        return elapsed

    cold = one()
    return cold, [one() for _ in range(times)]


def build_outbox_in_child() -> tuple[float, float, int]:
    """Build the outbox of a bulletin to everyone in a child process: seconds, peak MB, and
    how many messages it made."""
    from outreach import bulletins
    from outreach.models import Bulletin, BulletinText, Purpose

    bulletin = Bulletin.objects.create(
        name="Tin cho mọi người",
        purpose=Purpose.BULLETINS,
        channels=["email", "sms", "push", "zalo"],
    )
    BulletinText.objects.create(
        bulletin=bulletin, language="vi", short="Tin chung", title="Tin chung", body="Tin chung"
    )
    bulletins.approve(bulletin, None)
    # The peak is the process's own (VmHWM): getrusage's would carry over this process's, as
    # Linux keeps the larger of the two across the fork and exec that start the child.
    script = (
        "import django, json, re, time; django.setup();"
        "from outreach import bulletins; from outreach.models import Bulletin;"
        f"b = Bulletin.objects.get(pk={bulletin.pk}); t = time.perf_counter();"
        "n = bulletins.build_outbox(b); seconds = time.perf_counter() - t;"
        "peak = re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read())[1];"
        "print(json.dumps([seconds, n, int(peak)]))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=os.environ.copy(),
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    seconds, made, peak_kb = json.loads(output.strip().splitlines()[-1])
    from outreach.models import Message, MessageState

    # Its million messages stay, as history already sent: the sending measured below runs
    # beside a full outbox, and sends only its own messages.
    Message.objects.filter(bulletin=bulletin).update(state=MessageState.SENT)
    return seconds, peak_kb / 1024, made


def send_through_servers(
    servers: dict[str, live.Apart], first: int, count: int
) -> dict[str, float]:
    """Send ``count`` messages, a third each over SMTP, SMPP and push, one channel after the
    other with two senders running; messages a second per channel, from the moment its urgent
    bulletin is approved to the last message its server took."""
    from outreach import bulletins
    from outreach.models import Message

    per_channel = count // len(SEND_CHANNELS)
    found = live.Providers(push=servers["push"])
    for number, channel in enumerate(SEND_CHANNELS):
        live.seed(
            per_channel,
            [channel],
            found=found,
            first=first + number * per_channel,
            topics=(f"bench-{channel}",),
        )
    by_channel = {"email": servers["email"], "sms": servers["smpp"], "push": servers["push"]}
    rates: dict[str, float] = {}
    senders = [live.start_sender(), live.start_sender()]
    try:
        for channel, server in by_channel.items():
            started = time.monotonic()
            bulletin = live.urgent_bulletin([channel], topic=f"bench-{channel}")
            queued = bulletins.build_outbox(bulletin)
            if not live.wait_until(lambda: server.received() >= per_channel, 3600):  # noqa: B023
                raise RuntimeError(f"{channel}: sending did not finish")
            rates[channel] = per_channel / (time.monotonic() - started)
            assert queued == per_channel
            finished = Message.objects.filter(bulletin=bulletin, state__in=FINISHED)
            live.wait_until(lambda: finished.count() == queued, 60)  # noqa: B023
            assert finished.count() == queued
    finally:
        for sender in senders:
            sender.terminate()
        for sender in senders:
            sender.wait(60)
    return rates


def post_receipts(port: int, part_ids: list[str], clients: int = 8, batch: int = 500) -> float:
    """POST signed "delivered" receipts for the parts, ``batch`` to a request (as an
    aggregator's callback carries them) by ``clients`` at once; receipts a second."""

    def post(parts: list[str]) -> dict:
        body = json.dumps(
            {"receipts": [{"id": part, "status": "delivered"} for part in parts]}
        ).encode()
        stamp = str(int(time.time()))
        sign = hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/outreach/sms/receipts/",
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Banlang-Timestamp": stamp,
                "X-Banlang-Signature": sign.hexdigest(),
            },
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.load(answer)["states"]

    requests = [part_ids[start : start + batch] for start in range(0, len(part_ids), batch)]
    started = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        answers = list(pool.map(post, requests))
    elapsed = time.monotonic() - started
    states = {part: state for answer in answers for part, state in answer.items()}
    assert len(states) == len(part_ids), (len(states), len(part_ids))
    assert set(states.values()) == {"delivered"}, set(states.values())
    return len(part_ids) / elapsed


def run_crash_test(subscribers: int) -> dict:
    """The crash test (``tests.outreach.crash``) in a process of its own, with its own
    database; what it counted."""
    folder = Path(tempfile.mkdtemp(prefix="crash-", dir=WORK_DIR))
    report = folder / "crash.json"
    environment = {
        key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"
    }
    subprocess.run(
        [sys.executable, "-m", crash.__name__, "--var", str(folder / "var"), "--json", str(report),
         "--subscribers", str(subscribers), "--kills", "2"],
        cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return json.loads(report.read_text())


def main() -> None:
    """Seed, measure, print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=1_000_000)
    parser.add_argument("--counts", type=int, default=40)
    parser.add_argument("--send", type=int, default=100_000)
    parser.add_argument("--crash-subscribers", type=int, default=2500)
    options = parser.parse_args()

    WORK_DIR.mkdir(parents=True, exist_ok=True)
    try:
        results = measure(options)
    finally:
        shutil.rmtree(WORK_DIR, ignore_errors=True)
    print(f"{'metric':<28} {'value':>12}  unit")
    for row in results:
        print(f"{row['metric']:<28} {row['value']:>12}  {row['unit']}")
    print(f"written to {write_report('outreach', results)}")


def measure(options: argparse.Namespace) -> list[dict]:
    """Run every measurement; the report's rows."""
    crashed = run_crash_test(options.crash_subscribers)
    var_dir = Path(tempfile.mkdtemp(prefix="bench-", dir=WORK_DIR))
    url = live.configure(var_dir, os.environ.get("DATABASE_URL", ""))
    os.environ["OUTREACH_INBOUND_SMS_SECRET"] = SECRET
    import django

    django.setup()
    from django.db import connection

    results = []
    try:
        live.migrate()
        started = time.monotonic()
        live.seed(
            options.subscribers,
            ["email", "sms", "push", "zalo"],
            found=live.Providers(),
            languages=LANGUAGES,
            topics=TOPICS,
            one_channel_each=True,
            batch=20_000,
        )
        seed_seconds = time.monotonic() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        cold, warm = measure_audience(options.counts)
        build_seconds, build_mb, made = build_outbox_in_child()
        with live.providers_apart(["email", "smpp", "push"]) as servers:
            rates = send_through_servers(servers, options.subscribers, options.send)
            from outreach.models import Message, MessagePart

            parts = list(
                MessagePart.objects.filter(message__channel="sms").values_list(
                    "provider_id", flat=True
                )
            )
            # The SMSC's own receipts may have come already: the posted ones do the work anew.
            MessagePart.objects.update(delivered_at=None)
            Message.objects.filter(channel="sms", state="delivered").update(
                state="sent", delivered_at=None
            )
            with gunicorn(workers=2) as port:
                receipts = post_receipts(port, parts)
        results = [
            {"metric": "subscribers", "value": options.subscribers, "unit": "people"},
            {"metric": "seed_seconds", "value": round(seed_seconds, 1), "unit": "s"},
            {"metric": "audience_count_cold_ms", "value": round(cold, 1), "unit": "ms"},
            {"metric": "audience_count_p50_ms", "value": round(median(warm), 1), "unit": "ms"},
            {
                "metric": "audience_count_p95_ms",
                "value": round(percentile(warm, 0.95), 1),
                "unit": "ms",
            },
            {"metric": "outbox_messages", "value": made, "unit": "messages"},
            {"metric": "outbox_1m_seconds", "value": round(build_seconds, 1), "unit": "s"},
            {"metric": "outbox_peak_rss_mb", "value": round(build_mb, 1), "unit": "MB"},
            *(
                {"metric": f"{name}_messages_per_s", "value": round(rates[channel]), "unit": "/s"}
                for name, channel in (("smtp", "email"), ("smpp", "sms"), ("push", "push"))
            ),
            {"metric": "receipts", "value": len(parts), "unit": "receipts"},
            {"metric": "receipts_per_s", "value": round(receipts), "unit": "/s"},
            {"metric": "crash_messages", "value": crashed["messages"], "unit": "messages"},
            {
                "metric": "crash_duplicates",
                "value": crashed["crash_duplicates"],
                "unit": "messages",
            },
            {"metric": "crash_missing", "value": crashed["crash_missing"], "unit": "messages"},
            {
                "metric": "bench_peak_rss_mb",
                "value": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "unit": "MB",
            },
        ]
    finally:
        live.drop_database(url)
    return results


if __name__ == "__main__":
    main()
