"""SMS text: which encoding a text needs, how many parts it takes, and folding to unmarked text.

GSM 03.38's 7-bit alphabet carries 160 characters in one SMS and 153 in each part of a longer
one (the rest of each part holds the concatenation header); its extension table's characters
(``€ [ ] { } ^ ~ | \\``) count twice. Vietnamese with marks needs UCS-2: 70 UTF-16 units in one
SMS, 67 in each part. Folding drops the marks (``Giá cà phê`` → ``Gia ca phe``) so a message fits
GSM-7, at the cost of readability; the editor chooses, seeing both counts.
"""

import unicodedata
from dataclasses import dataclass
from typing import Final, Literal

from cms.text import nfc

GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION: Final = frozenset("\f^{}\\[~]|€")
SINGLE: Final = {"gsm7": 160, "ucs2": 70}
PART: Final = {"gsm7": 153, "ucs2": 67}
MAX_PARTS: Final = 6
"""The longest message sent: six parts, 918 GSM-7 or 402 UCS-2 characters."""

Encoding = Literal["gsm7", "ucs2"]


@dataclass(frozen=True)
class SmsSize:
    """How a text goes as SMS."""

    encoding: Encoding
    units: int
    """Characters in GSM-7 (extension ones twice), UTF-16 code units in UCS-2."""
    parts: int


def encoding_of(text: str) -> Encoding:
    """GSM-7 if every character is in its alphabet or extension table, else UCS-2."""
    return "gsm7" if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text) else "ucs2"


def size(text: str) -> SmsSize:
    """The encoding, length and number of parts of ``text`` as SMS (NFC first)."""
    text = nfc(text)
    encoding = encoding_of(text)
    if encoding == "gsm7":
        units = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
    else:
        units = len(text.encode("utf-16-le")) // 2
    parts = 1 if units <= SINGLE[encoding] else -(-units // PART[encoding])
    return SmsSize(encoding, units, parts)


def fold(text: str) -> str:
    """``text`` without Vietnamese marks: ``Đắk Lắk`` → ``Dak Lak``. Other scripts unchanged."""
    decomposed = unicodedata.normalize("NFD", nfc(text).replace("đ", "d").replace("Đ", "D"))
    # Only the Latin diacritics (U+0300–U+036F, where all of Vietnamese's are): a Khmer coeng
    # or a Tai Viet vowel sign is part of the word, not a mark to drop.
    return nfc("".join(ch for ch in decomposed if not "\u0300" <= ch <= "\u036f"))


class TooLong(ValueError):
    """A text over ``MAX_PARTS`` parts: refused before sending, with its size."""

    def __init__(self, measured: SmsSize) -> None:
        super().__init__(
            f"{measured.units} {measured.encoding} units need {measured.parts} parts; "
            f"at most {MAX_PARTS} are sent"
        )
        self.size = measured


def checked(text: str) -> SmsSize:
    """The size of ``text``, or ``TooLong`` past ``MAX_PARTS`` parts."""
    measured = size(text)
    if measured.parts > MAX_PARTS:
        raise TooLong(measured)
    return measured
