"""A real SMPP 3.4 SMSC on a free local port: the server of PyPI's ``smpp34``, run in a thread.

It accepts every bind, answers each ``submit_sm`` (or refuses it with the statuses queued in
``refusals``), sends a delivery receipt per part when asked (``receipt_state``), keeps what it
received, and can send a resident's message (``send_mo``) to the bound client.
"""

import asyncio
import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import smpp34

from outreach.channels.smpp import decode


@dataclass
class Part:
    """One ``submit_sm`` as the SMSC received it."""

    destination: str
    data_coding: int
    esm_class: int
    short_message: bytes
    message_id: str


@dataclass
class Smsc:
    """What the server received, and how it is told to answer."""

    port: int
    prefix: str = field(default_factory=lambda: f"smsc{os.urandom(3).hex()}")
    """Starts every message id: ids are unique across servers, as a real SMSC's are."""
    parts: list[Part] = field(default_factory=list)
    refusals: list[int] = field(default_factory=list)
    receipt_state: str | None = "DELIVRD"
    receipt_delay: float = 0
    """Seconds between accepting a part and sending its receipt."""
    esmes: list = field(default_factory=list)
    binds: int = 0
    loop: asyncio.AbstractEventLoop | None = None

    def arrived(self, count: int, seconds: float = 10.0) -> bool:
        """Whether ``count`` texts came within ``seconds``: the server keeps a part as it
        answers it, so a busy machine may show it a moment after the sender moved on."""
        deadline = time.monotonic() + seconds
        while len(self.texts()) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return len(self.texts()) >= count

    def texts(self) -> list[tuple[str, str]]:
        """Each message as its destination reads it: concatenated parts joined, decoded."""
        found, pending = [], {}
        for part in self.parts:
            body = part.short_message
            if part.esm_class & 0x40:
                header = body[: body[0] + 1]
                reference, total, number = header[3], header[4], header[5]
                chunks = pending.setdefault((part.destination, reference), {})
                chunks[number] = body[len(header) :]
                if len(chunks) == total:
                    whole = b"".join(chunks[n] for n in sorted(chunks))
                    found.append((part.destination, decode(whole, part.data_coding)))
                    del pending[(part.destination, reference)]
            else:
                found.append((part.destination, decode(body, part.data_coding)))
        return found

    def send_mo(self, source: str, text: str) -> None:
        """A resident's message, in UCS-2, to the bound client."""
        assert self.loop is not None and self.esmes
        esme = self.esmes[-1]

        async def push() -> None:
            await esme.deliver_sm(
                "BanLang", text.encode("utf-16-be"), source_addr=source, data_coding=8
            )

        # The answer comes once the client reads the message: do not wait for it here.
        asyncio.run_coroutine_threadsafe(push(), self.loop)


async def _receipt(smsc: Smsc, to: str, source: str, text: str) -> None:
    await asyncio.sleep(smsc.receipt_delay)
    with contextlib.suppress(smpp34.SmppError):  # the client unbound before reading it
        await smsc.esmes[-1].deliver_sm(to, text.encode(), source_addr=source, esm_class=0x04)


async def _serve(smsc: Smsc, ready: threading.Event, stopping: asyncio.Event) -> None:
    server = smpp34.Server("127.0.0.1", smsc.port, system_id="testsmsc")
    await server.start()
    ready.set()
    numbered = 0
    in_flight: set[asyncio.Future] = set()
    waiting = asyncio.ensure_future(server.next())
    stop = asyncio.ensure_future(stopping.wait())
    while True:
        done, _ = await asyncio.wait({waiting, stop}, return_when=asyncio.FIRST_COMPLETED)
        if stop in done:
            waiting.cancel()
            await server.stop()
            return
        event = waiting.result()
        waiting = asyncio.ensure_future(server.next())
        if isinstance(event, smpp34.Esme):
            smsc.esmes.append(event)
            smsc.binds += 1
        elif isinstance(event, smpp34.SubmitSmEvent):
            if smsc.refusals:
                event.reject(smsc.refusals.pop(0))
                continue
            numbered += 1
            message_id = f"{smsc.prefix}-{numbered}"
            smsc.parts.append(
                Part(
                    event.destination_addr,
                    event.data_coding,
                    event.esm_class,
                    event.short_message,
                    message_id,
                )
            )
            event.accept(message_id)
            if event.registered_delivery and smsc.receipt_state and smsc.esmes:
                receipt = (
                    f"id:{message_id} sub:001 dlvrd:001 submit date:2612061200 "
                    f"done date:2612061201 stat:{smsc.receipt_state} err:000 text:"
                )
                sending = asyncio.ensure_future(
                    _receipt(smsc, event.source_addr, event.destination_addr, receipt)
                )
                in_flight.add(sending)
                sending.add_done_callback(in_flight.discard)


@contextmanager
def smsc_server() -> Iterator[Smsc]:
    """A running SMSC, stopped afterwards."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smsc = Smsc(port)
    loop = asyncio.new_event_loop()
    smsc.loop = loop
    ready = threading.Event()
    stopping = asyncio.Event()
    thread = threading.Thread(
        target=lambda: loop.run_until_complete(_serve(smsc, ready, stopping)), daemon=True
    )
    thread.start()
    assert ready.wait(10), "the SMSC did not start"
    try:
        yield smsc
    finally:
        loop.call_soon_threadsafe(stopping.set)
        thread.join(10)
