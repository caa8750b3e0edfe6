"""SMS over SMPP 3.4 (smpplib) to an operator's or aggregator's SMSC.

One transceiver bind per worker process, opened on the first message and again after any
failure. A text is sent in GSM-7 when every character allows it, else in UCS-2, split into
concatenated parts with a user-data header when longer than one SMS; each part asks for a
delivery receipt. Receipts and messages from residents that arrive on the bind while a worker
waits for its answers are kept for ``outreach.receipts`` and ``outreach.inbound``.
"""

import logging
import threading
from dataclasses import dataclass
from typing import Any

import smpplib.client
import smpplib.consts
import smpplib.exceptions
import smpplib.gsm
from django.conf import settings

from outreach.channels.base import Outgoing, PermanentFailure, Sent, TemporaryFailure

logger = logging.getLogger(__name__)

TON_ALPHANUMERIC, TON_INTERNATIONAL, NPI_ISDN = 5, 1, 1
TEMPORARY_STATUSES = frozenset(
    {
        smpplib.consts.SMPP_ESME_RTHROTTLED,
        smpplib.consts.SMPP_ESME_RMSGQFUL,
        smpplib.consts.SMPP_ESME_RSYSERR,
        smpplib.consts.SMPP_ESME_RX_T_APPN,
    }
)
"""SMSC answers that may go away: throttling, a full queue, a system error."""
GONE_STATUSES = frozenset({smpplib.consts.SMPP_ESME_RINVDSTADR})
"""Answers that say the number itself is wrong."""
RECEIPT = 0x04
"""``esm_class`` bit of a delivery receipt in a ``deliver_sm``."""


@dataclass(frozen=True)
class Incoming:
    """A ``deliver_sm`` the SMSC sent: a delivery receipt, or a resident's message."""

    source: str
    text: str
    is_receipt: bool


def decode(short_message: bytes, data_coding: int) -> str:
    """The text of a ``short_message``: UCS-2 (8) or GSM-7 / ASCII (0, 1)."""
    if data_coding == smpplib.consts.SMPP_ENCODING_ISO10646:
        return short_message.decode("utf-16-be", errors="replace")
    table = smpplib.gsm.GSM_CHARACTER_TABLE
    text, escape = [], False
    for byte in short_message:
        if byte == 0x1B:
            escape = True
            continue
        index = byte + 0x80 if escape else byte
        text.append(table[index] if index < len(table) else "\ufffd")
        escape = False
    return "".join(text)


class Session:
    """One bound SMPP session, used by one thread at a time."""

    def __init__(self) -> None:
        self.client: Any = None
        self.answers: dict[int, Any] = {}
        self.incoming: list[Incoming] = []
        self.lock = threading.Lock()

    @property
    def config(self) -> dict[str, Any]:
        """The SMSC's settings, read at each bind."""
        config: dict[str, Any] = settings.BANLANG_OUTREACH["SMPP"]
        return config

    def _bind(self) -> Any:
        client = smpplib.client.Client(
            self.config["HOST"],
            self.config["PORT"],
            timeout=self.config["TIMEOUT"],
            allow_unknown_opt_params=True,
        )
        client.set_message_sent_handler(self._answered)
        client.set_message_received_handler(self._received)
        # A refused submit_sm comes back as an answer with its status, decided on in submit().
        client.set_error_pdu_handler(lambda pdu: None)
        client.connect()
        client.bind_transceiver(
            system_id=self.config["SYSTEM_ID"], password=self.config["PASSWORD"]
        )
        return client

    def _answered(self, pdu: Any, **kwargs: Any) -> None:
        self.answers[pdu.sequence] = pdu

    def _received(self, pdu: Any, **kwargs: Any) -> None:
        source = pdu.source_addr.decode() if isinstance(pdu.source_addr, bytes) else pdu.source_addr
        self.incoming.append(
            Incoming(
                source=str(source),
                text=decode(pdu.short_message or b"", int(pdu.data_coding or 0)),
                is_receipt=bool(int(pdu.esm_class or 0) & RECEIPT),
            )
        )

    def close(self) -> None:
        """Drop the connection; the next message binds again."""
        if self.client is not None:
            try:
                self.client.disconnect()
            except OSError:
                logger.debug("SMPP disconnect failed", exc_info=True)
        self.client = None
        # Sequence numbers start again with the next bind: answers of this one mean nothing.
        self.answers.clear()

    def submit(self, destination: str, text: str) -> list[str]:
        """Send ``text`` to ``destination`` (E.164) in as many parts as it needs; the SMSC's
        id of each part."""
        parts, coding, esm_class = smpplib.gsm.make_parts(text)
        if self.client is None:
            self.client = self._bind()
        ids = []
        for part in parts:
            pdu = self.client.send_message(
                source_addr_ton=TON_ALPHANUMERIC,
                source_addr=self.config["SOURCE_ADDR"],
                dest_addr_ton=TON_INTERNATIONAL,
                dest_addr_npi=NPI_ISDN,
                destination_addr=destination.removeprefix("+"),
                short_message=part,
                data_coding=coding,
                esm_class=esm_class,
                registered_delivery=1,
            )
            while pdu.sequence not in self.answers:
                self.client.read_once()
            answer = self.answers.pop(pdu.sequence)
            if answer.status in TEMPORARY_STATUSES:
                raise TemporaryFailure(f"SMSC status {answer.status:#x}")
            if answer.status:
                raise PermanentFailure(
                    f"SMSC status {answer.status:#x}", gone=answer.status in GONE_STATUSES
                )
            message_id = answer.message_id
            ids.append(message_id.decode() if isinstance(message_id, bytes) else str(message_id))
        return ids

    def listen_once(self) -> None:
        """Wait for one PDU from the SMSC (binding first if needed); on a quiet line, ask the
        SMSC whether the bind is alive (``enquire_link``)."""
        if self.client is None:
            self.client = self._bind()
        self.client.read_once()

    def poll(self) -> None:
        """Read what the SMSC has sent without being asked, without waiting."""
        if self.client is not None:
            self.client.poll()

    def take_incoming(self) -> list[Incoming]:
        """The receipts and messages read so far, handed over once."""
        taken, self.incoming = self.incoming, []
        return taken


_sessions = threading.local()


def session() -> Session:
    """This thread's session (a worker process sends from one thread)."""
    if not hasattr(_sessions, "current"):
        _sessions.current = Session()
    current: Session = _sessions.current
    return current


class SmppChannel:
    """Sends each message over this worker's bind; a lost bind is a temporary failure."""

    def send(self, message: Outgoing) -> Sent:
        """Submit ``message``'s text to its number, in parts, each with a receipt asked."""
        current = session()
        try:
            ids = current.submit(message.to, message.text)
        except (TemporaryFailure, PermanentFailure):
            raise
        except (OSError, smpplib.exceptions.ConnectionError, smpplib.exceptions.PDUError) as error:
            current.close()
            raise TemporaryFailure(f"SMPP: {error or type(error).__name__}") from error
        return Sent(provider_id=ids[0], part_ids=tuple(ids))

    def take_incoming(self) -> list[Incoming]:
        """Receipts and residents' messages read while sending."""
        return session().take_incoming()
