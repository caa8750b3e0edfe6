"""A throw-away site that sends for real, for the crash test and ``make bench-outreach``.

It has its own database (a SQLite file, or a new PostgreSQL database when ``DATABASE_URL``
names a server), the local provider servers of the channel tests, and sender processes
(``manage.py send_outbox``) started and killed as a real deployment's would be. Call
``configure`` before Django is set up; everything else needs Django.
"""

import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CHANNELS = {
    "email": "outreach.channels.email.EmailChannel",
    "push": "outreach.channels.push.PushChannel",
    "zalo": "outreach.channels.zalo.ZaloChannel",
    "gateway": "outreach.channels.sms_gateway.SmsGatewayChannel",
    "smpp": "outreach.channels.smpp.SmppChannel",
}
"""The sender of each provider; ``gateway`` and ``smpp`` are the two ways of SMS."""


def configure(var_dir: Path, database_url: str = "") -> str:
    """The test settings against a new, empty database, before Django is set up; the
    database's URL. A PostgreSQL ``database_url`` names the server: a new database is made on
    it and dropped by ``drop_database``."""
    if database_url.startswith("postgres"):
        import psycopg

        name = f"banlang_live_{uuid.uuid4().hex[:8]}"
        server = database_url.rsplit("/", 1)[0]
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        database_url = f"{server}/{name}"
    else:
        database_url = f"sqlite:///{var_dir / 'live.sqlite3'}"
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "VAR_DIR": str(var_dir),
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "ERROR",
            "OUTREACH_APPROVAL_ABOVE": str(10**9),
        }
    )
    return database_url


def drop_database(database_url: str) -> None:
    """Drop the PostgreSQL database ``configure`` made (a SQLite file goes with its folder)."""
    if not database_url.startswith("postgres"):
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrate() -> None:
    """Make the new database's tables (Django must be set up)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


@dataclass
class Providers:
    """The local servers, and the settings that send to them."""

    mailbox: Any = None
    push: Any = None
    zalo: Any = None
    gateway: Any = None
    smsc: Any = None
    environment: dict[str, str] | None = None


@contextmanager
def providers(names: list[str]) -> Iterator[Providers]:
    """The local servers of ``names`` (keys of ``CHANNELS``), running, with the environment
    that points each channel's sender at them (also set in this process)."""
    from tests.outreach import push_service, sms_gateway, smsc, smtp_server, zalo_server

    found = Providers()
    env: dict[str, str] = {}
    with ExitStack() as stack:
        if "email" in names:
            found.mailbox, port = stack.enter_context(smtp_server.smtp_server())
            env |= {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
            env["OUTREACH_EMAIL_CHANNEL"] = CHANNELS["email"]
        if "push" in names:
            found.push = stack.enter_context(push_service.push_service())
            private, public = vapid_keys()
            found.push.vapid_public_key = public
            env |= {"OUTREACH_VAPID_PRIVATE_KEY": private, "OUTREACH_VAPID_PUBLIC_KEY": public}
            env["OUTREACH_PUSH_CHANNEL"] = CHANNELS["push"]
        if "zalo" in names:
            found.zalo = stack.enter_context(zalo_server.zalo_server())
            env |= {
                "OUTREACH_ZALO_APP_ID": zalo_server.APP_ID,
                "OUTREACH_ZALO_SECRET_KEY": zalo_server.SECRET_KEY,
                "OUTREACH_ZALO_REFRESH_TOKEN": found.zalo.refresh_token,
                "OUTREACH_ZALO_TEMPLATE_ID": "401234",
                "OUTREACH_ZALO_API_URL": f"{found.zalo.origin}/message/template",
                "OUTREACH_ZALO_OAUTH_URL": f"{found.zalo.origin}/v4/oa/access_token",
                "OUTREACH_ZALO_CHANNEL": CHANNELS["zalo"],
            }
        if "gateway" in names:
            found.gateway = stack.enter_context(sms_gateway.sms_gateway())
            env |= {
                "OUTREACH_SMS_GATEWAY_URL": found.gateway.url,
                "OUTREACH_SMS_GATEWAY_TOKEN": sms_gateway.TOKEN,
                "OUTREACH_SMS_CHANNEL": CHANNELS["gateway"],
            }
        if "smpp" in names:
            found.smsc = stack.enter_context(smsc.smsc_server())
            found.smsc.receipt_state = None
            env |= {
                "OUTREACH_SMPP_PORT": str(found.smsc.port),
                "OUTREACH_SMPP_SYSTEM_ID": "banlang",
                "OUTREACH_SMPP_PASSWORD": "secret",
                "OUTREACH_SMS_CHANNEL": CHANNELS["smpp"],
            }
        found.environment = env
        os.environ.update(env)
        yield found


def vapid_keys() -> tuple[str, str]:
    """A new VAPID key pair, as ``manage.py vapid_keys`` prints it."""
    import io

    from django.core.management import call_command

    output = io.StringIO()
    call_command("vapid_keys", stdout=output)
    keys = dict(line.split("=", 1) for line in output.getvalue().split())
    return keys["OUTREACH_VAPID_PRIVATE_KEY"], keys["OUTREACH_VAPID_PUBLIC_KEY"]


def start_sender(extra: dict[str, str] | None = None) -> subprocess.Popen:
    """A ``manage.py send_outbox`` process with this process's environment; what it writes
    goes to ``senders.log`` in ``VAR_DIR``."""
    with open(Path(os.environ["VAR_DIR"]) / "senders.log", "ab") as log:
        return subprocess.Popen(
            [sys.executable, "manage.py", "send_outbox"],
            cwd=ROOT,
            env={**os.environ, **(extra or {})},
            stdout=log,
            stderr=log,
        )


def received(found: Providers) -> Counter[tuple[str, str]]:
    """How many messages each (channel, address) got, as the providers hand them to people:
    every e-mail the SMTP server accepted, every SMS the gateway or SMSC took, every Zalo
    message, and the push messages waiting for each browser (a repeat with the same ``Topic``
    replaces the first)."""
    counts: Counter[tuple[str, str]] = Counter()
    if found.mailbox is not None:
        for address in found.mailbox.recipients():
            counts["email", address] += 1
    if found.push is not None:
        for endpoint, _topic in list(found.push.waiting):
            counts["push", endpoint] += 1
    if found.zalo is not None:
        for item in list(found.zalo.messages):
            counts["zalo", "+" + item["phone"]] += 1
    if found.gateway is not None:
        for item in list(found.gateway.sent):
            counts["sms", item["to"]] += 1
    if found.smsc is not None:
        for destination, _text in found.smsc.texts():
            counts["sms", "+" + destination.lstrip("+")] += 1
    return counts


def requests(found: Providers) -> int:
    """How many messages the providers were handed, repeats included."""
    return sum(
        len(items)
        for items in (
            found.mailbox.envelopes if found.mailbox else [],
            found.push.received if found.push else [],
            found.zalo.messages if found.zalo else [],
            found.smsc.parts if found.smsc else [],
        )
    ) + (found.gateway.requests if found.gateway else 0)


def wait_until(done: Any, timeout: float, every: float = 0.05) -> bool:
    """Poll ``done()`` until it is true or ``timeout`` seconds pass; whether it came true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():
            return True
        time.sleep(every)
    return bool(done())


def seed(
    count: int,
    channels: list[str],
    *,
    found: Providers,
    first: int = 0,
    languages: tuple[str, ...] = ("vi",),
    topics: tuple[str, ...] = ("health",),
    one_channel_each: bool = False,
    batch: int = 5000,
) -> None:
    """``count`` confirmed subscribers numbered from ``first``, spread in turn over the
    provinces, ``languages`` and ``topics``, with consent to bulletins and alerts on each of
    their contacts: one on every one of ``channels``, or with ``one_channel_each`` one on
    ``channels`` in turn. Push contacts are browsers of the local push service where one runs,
    and endpoints nobody answers otherwise."""
    from django.utils import timezone

    from heritage.models import Place
    from outreach.contacts import contact_hash
    from outreach.models import ConsentRecord, Contact, Interest, Purpose, Subscriber

    provinces = list(Place.objects.current().provinces())
    now = timezone.now()
    for start in range(first, first + count, batch):
        numbers = range(start, min(start + batch, first + count))
        subscribers = Subscriber.objects.bulk_create(
            Subscriber(
                language=languages[number % len(languages)],
                province=provinces[number % len(provinces)],
            )
            for number in numbers
        )
        Interest.objects.bulk_create(
            Interest(subscriber=subscriber, topic=topics[number % len(topics)])
            for number, subscriber in zip(numbers, subscribers, strict=True)
        )
        contacts = []
        for number, subscriber in zip(numbers, subscribers, strict=True):
            mine = [channels[number % len(channels)]] if one_channel_each else channels
            for channel in mine:
                details: dict[str, str] = {}
                if channel == "email":
                    address = f"person{number}@example.vn"
                elif channel == "push" and found.push is not None:
                    browser = found.push.subscribe()
                    address, details = browser.endpoint, browser.keys
                elif channel == "push":
                    address = f"https://push.invalid/{number}"
                    details = {"p256dh": "unused", "auth": "unused"}
                else:
                    address = f"+849{number:08d}"
                contacts.append(
                    Contact(
                        subscriber=subscriber,
                        channel=channel,
                        address=address,
                        address_hash=contact_hash(channel, address),
                        details=details,
                        confirmed_at=now,
                    )
                )
        Contact.objects.bulk_create(contacts)
        ConsentRecord.objects.bulk_create(
            ConsentRecord(
                subscriber_id=contact.subscriber_id,
                purpose=purpose,
                channel=contact.channel,
                method="web",
                version="live",
                text="live",
                language="vi",
            )
            for contact in contacts
            for purpose in (Purpose.BULLETINS, Purpose.ALERTS)
        )


def urgent_bulletin(channels: list[str], topic: str = "health") -> Any:
    """An approved urgent bulletin (a storm warning) to everyone following ``topic``."""
    from outreach import bulletins
    from outreach.models import Bulletin, BulletinText, Purpose

    bulletin = Bulletin.objects.create(
        name="Cảnh báo bão", purpose=Purpose.BULLETINS, topic=topic, channels=channels, urgent=True
    )
    BulletinText.objects.create(
        bulletin=bulletin,
        language="vi",
        short="Bão số 3 đổ bộ đêm nay. Không ra suối, không đi rừng.",
        title="Cảnh báo bão số 3",
        body="Bão số 3 đổ bộ đêm nay. Không ra suối, không đi rừng.",
        link="https://banlang.example/vi/tin/bao-so-3/",
    )
    bulletins.approve(bulletin, None)
    return bulletin


def pending() -> int:
    """Messages not yet finished (queued or being sent)."""
    from outreach.models import Message, MessageState

    return Message.objects.filter(state__in=[MessageState.QUEUED, MessageState.SENDING]).count()


class Apart:
    """A local server of ``providers`` in a process of its own: the benchmark's servers must
    not share one interpreter lock with each other, or they, not the senders, set the pace."""

    def __init__(self, name: str) -> None:
        import multiprocessing

        from django.db import connections

        connections.close_all()
        self.name = name
        self.connection, child = multiprocessing.Pipe()
        self.process = multiprocessing.get_context("fork").Process(
            target=_serve_apart, args=(name, child), daemon=True
        )
        self.process.start()
        self.environment: dict[str, str] = self.connection.recv()

    def ask(self, *request: Any) -> Any:
        """Send ``request`` to the server's process; its answer."""
        self.connection.send(request)
        return self.connection.recv()

    def received(self) -> int:
        """How many messages the server has taken (a push topic's repeat counted once)."""
        return int(self.ask("received"))

    def subscribe(self) -> Any:
        """A new browser subscription of the push service, as ``PushService.subscribe``."""
        from types import SimpleNamespace

        endpoint, keys = self.ask("subscribe")
        return SimpleNamespace(endpoint=endpoint, keys=keys)

    def stop(self) -> None:
        """Stop the server and its process."""
        self.connection.send(("stop",))
        self.process.join(30)


def _serve_apart(name: str, connection: Any) -> None:
    with providers([name]) as found:
        connection.send(found.environment)
        while True:
            request = connection.recv()
            if request[0] == "stop":
                return
            if request[0] == "subscribe":
                browser = found.push.subscribe()
                connection.send((browser.endpoint, browser.keys))
            elif request[0] == "received":
                counts = {
                    "email": lambda: len(found.mailbox.envelopes),
                    "push": lambda: len(found.push.waiting),
                    "smpp": lambda: len(found.smsc.texts()),
                    "gateway": lambda: len(found.gateway.sent),
                    "zalo": lambda: len(found.zalo.messages),
                }
                connection.send(counts[name]())


@contextmanager
def providers_apart(names: list[str]) -> Iterator[dict[str, Apart]]:
    """The local servers of ``names``, each in its own process, with the environment that
    points each channel's sender at them (set in this process too)."""
    servers: dict[str, Apart] = {}
    try:
        for name in names:
            servers[name] = Apart(name)
            os.environ.update(servers[name].environment)
        yield servers
    finally:
        for server in servers.values():
            server.stop()
