"""``make bench-outreach``: audiences, the outbox, sending and receipts at a million subscribers.

On a new database (SQLite in ``var/bench/outreach``, or PostgreSQL when ``DATABASE_URL`` names
a server) it seeds ``--subscribers`` people over the 34 provinces, the 10 languages, the five
notifying topics and the four channels, then measures:

1. the audience of a bulletin by topic, province and language, counted by channel and by
   language (``outreach.audience.audience_counts``): the first count (cold) and the median and
   95th percentile of ``--counts`` more;
2. building the outbox of a bulletin to all of them, in a process of its own: its seconds and
   its peak resident memory;
3. sending ``--send`` messages over SMTP, SMPP and web push to the local servers with two
   ``manage.py send_outbox`` processes: messages a second per channel, from the first message
   queued to the last one the server received;
4. SMS delivery receipts posted, signed, to ``/outreach/sms/receipts/`` under gunicorn (two
   workers) by eight clients at once: receipts a second;
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
    script = (
        "import django, json, time, resource; django.setup();"
        "from outreach import bulletins; from outreach.models import Bulletin;"
        f"b = Bulletin.objects.get(pk={bulletin.pk}); t = time.perf_counter();"
        "n = bulletins.build_outbox(b);"
        "print(json.dumps([time.perf_counter() - t, n,"
        " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))"
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
    """Send ``count`` messages over SMTP, SMPP and push with two senders; messages a second
    per channel, from the senders' start to the last message the channel's server took."""
    from outreach import bulletins
    from outreach.models import Message

    per_channel = count // len(SEND_CHANNELS)
    found = live.Providers(push=servers["push"])
    live.seed(per_channel, SEND_CHANNELS, found=found, first=first, topics=("bench",))
    bulletin = live.urgent_bulletin(SEND_CHANNELS, topic="bench")
    queued = bulletins.build_outbox(bulletin)
    by_channel = {"email": servers["email"], "sms": servers["smpp"], "push": servers["push"]}
    started = time.monotonic()
    finished: dict[str, float] = {}
    senders = [live.start_sender(), live.start_sender()]
    try:
        while len(finished) < len(SEND_CHANNELS):
            for channel, server in by_channel.items():
                if channel not in finished and server.received() >= per_channel:
                    finished[channel] = time.monotonic() - started
            if time.monotonic() - started > 3600:
                raise RuntimeError(f"sending did not finish: {finished}")
            time.sleep(0.05)
    finally:
        for sender in senders:
            sender.terminate()
        for sender in senders:
            sender.wait(60)
    assert queued == per_channel * len(SEND_CHANNELS)
    assert Message.objects.filter(bulletin=bulletin, state="sent").count() == queued
    return {channel: per_channel / seconds for channel, seconds in finished.items()}


def post_receipts(port: int, part_ids: list[str], clients: int = 8) -> float:
    """POST a signed "delivered" receipt for each part, ``clients`` at once; receipts a
    second."""

    def post(part: str) -> int:
        body = json.dumps({"id": part, "status": "delivered"}).encode()
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
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status

    started = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        statuses = list(pool.map(post, part_ids))
    elapsed = time.monotonic() - started
    assert set(statuses) == {200}, set(statuses)
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
            from outreach.models import MessagePart

            parts = list(
                MessagePart.objects.filter(message__channel="sms").values_list(
                    "provider_id", flat=True
                )
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
